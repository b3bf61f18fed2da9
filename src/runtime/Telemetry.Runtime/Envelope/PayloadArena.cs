using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// Where <see cref="EventSerializer"/> writes the events of one pass: chunks of 64 KiB filled one after another and
/// kept for the next pass, so serialising allocates nothing once the chunks exist. The events are valid until
/// <see cref="Reset"/>, which the pipeline calls once the queue has copied them (<see cref="IOfflineQueue.Append"/>).
/// </summary>
internal sealed class PayloadArena
{
    private const int ChunkSize = PayloadPage.DefaultSize;

    /// <summary>Chunks kept between passes (a burst's extra chunks are let go): 4 MiB.</summary>
    private const int MaxKeptChunks = 64;

    private readonly List<byte[]> _chunks = new();
    private int _chunk;
    private int _used;

    /// <summary>Room for <paramref name="length"/> bytes, valid until <see cref="Reset"/>.</summary>
    public Memory<byte> Allocate(int length)
    {
        // An event larger than a chunk (rare: only if the event size limit was raised above it) gets an array of its own.
        if (length > ChunkSize) return new byte[length];
        if (_chunks.Count == 0 || ChunkSize - _used < length)
        {
            if (_chunks.Count > 0) _chunk++;
            if (_chunk == _chunks.Count) _chunks.Add(new byte[ChunkSize]);
            _used = 0;
        }

        var memory = new Memory<byte>(_chunks[_chunk], _used, length);
        _used += length;
        return memory;
    }

    /// <summary>Makes every chunk free again (the events written so far must no longer be read).</summary>
    public void Reset()
    {
        if (_chunks.Count > MaxKeptChunks) _chunks.RemoveRange(MaxKeptChunks, _chunks.Count - MaxKeptChunks);
        _chunk = 0;
        _used = 0;
    }
}
