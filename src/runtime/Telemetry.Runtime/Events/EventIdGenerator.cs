using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// UUIDv7 event ids (RFC 9562) from user space: a 48-bit millisecond timestamp, then a 74-bit
/// counter seeded randomly once per process and incremented per id, so ids stay unique and
/// time-ordered with no per-event syscall (Guid.NewGuid costs a getrandom call each time).
/// </summary>
internal sealed class EventIdGenerator
{
    private readonly TimeProvider _time;
    private readonly ulong _node;
    private long _counter;

    /// <summary>Creates a generator; <paramref name="time"/> defaults to the system clock.</summary>
    public EventIdGenerator(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Span<byte> seed = stackalloc byte[16];
        RandomNumberGenerator.Fill(seed);
        _node = BinaryPrimitives.ReadUInt64LittleEndian(seed);
        _counter = BinaryPrimitives.ReadInt64LittleEndian(seed[8..]) & 0x0000_0FFF_FFFF_FFFF;
    }

    /// <summary>A shared generator on the system clock.</summary>
    public static EventIdGenerator Shared { get; } = new();

    /// <summary>A new UUIDv7 stamped with the current time.</summary>
    public Guid Next() => Next(_time.GetUtcNow());

    /// <summary>
    /// A new UUIDv7 stamped with <paramref name="timestamp"/>: the pipeline captures the time on the
    /// caller's thread and makes the id later, on its background thread.
    /// </summary>
    public Guid Next(DateTimeOffset timestamp)
    {
        var ms = (ulong)Math.Max(0, timestamp.ToUnixTimeMilliseconds());
        var n = (ulong)Interlocked.Increment(ref _counter);
        Span<byte> b = stackalloc byte[16];
        b[0] = (byte)(ms >> 40);
        b[1] = (byte)(ms >> 32);
        b[2] = (byte)(ms >> 24);
        b[3] = (byte)(ms >> 16);
        b[4] = (byte)(ms >> 8);
        b[5] = (byte)ms;

        // 12 bits rand_a from the counter's high part, 62 bits rand_b from counter ^ node.
        var rand = n ^ (_node & 0x0000_0000_FFFF_FFFF_0000);
        b[6] = (byte)(0x70 | ((n >> 40) & 0x0F));
        b[7] = (byte)(n >> 32);
        var low = (rand << 16) ^ _node;
        b[8] = (byte)(0x80 | ((low >> 56) & 0x3F));
        b[9] = (byte)(low >> 48);
        b[10] = (byte)(n >> 24);
        b[11] = (byte)(n >> 16);
        b[12] = (byte)(n >> 8);
        b[13] = (byte)n;
        b[14] = (byte)(low >> 8);
        b[15] = (byte)low;
        return new Guid(b, bigEndian: true);
    }
}
