using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// The JSON Schemas of one catalog file's events, as generated code ships them: one compressed block per file
/// (base64 of raw deflate over UTF-8 lines <c>name TAB schema</c>) instead of one string literal per event. It is
/// decompressed on the first <see cref="Find"/>, never on the Track path.
/// </summary>
/// <remarks>Serves generated code; not meant to be called by hand.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class EventSchemaTable
{
    private readonly byte[] _compressed;
    private Dictionary<string, string>? _schemas;

    /// <summary>Creates the table.</summary>
    /// <param name="compressed">Base64 of the deflated lines.</param>
    public EventSchemaTable(string compressed) => _compressed = Convert.FromBase64String(compressed ?? throw new ArgumentNullException(nameof(compressed)));

    /// <summary>Creates the table from a UTF-8 literal; called by generated code (the assembly stores the literal as bytes).</summary>
    /// <param name="compressedUtf8">Base64 of the deflated lines, as UTF-8.</param>
    public EventSchemaTable(ReadOnlySpan<byte> compressedUtf8)
    {
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(compressedUtf8.Length)];
        if (Base64.DecodeFromUtf8(compressedUtf8, bytes, out _, out var written) != OperationStatus.Done) throw new FormatException("The schema table is not base64.");
        _compressed = bytes.AsSpan(0, written).ToArray();
    }

    /// <summary>The JSON Schema of the event called <paramref name="eventName"/>, or null when the table has none.</summary>
    public string? Find(string eventName)
    {
        var schemas = Volatile.Read(ref _schemas) ?? Interlocked.CompareExchange(ref _schemas, Decode(_compressed), null) ?? _schemas!;
        return schemas.TryGetValue(eventName, out var schema) ? schema : null;
    }

    private static Dictionary<string, string> Decode(byte[] compressed)
    {
        using var input = new MemoryStream(compressed, writable: false);
        using var deflate = new DeflateStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(deflate, new UTF8Encoding(false));
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0) map[line[..tab]] = line[(tab + 1)..];
        }

        return map;
    }
}
