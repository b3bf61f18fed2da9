using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>
/// The byte layout of one segment of <see cref="SqliteOfflineQueue"/>: a run of queued events stored as one row.
/// <c>meta</c> holds, per event, the id, time, payload length, tier and the indexes of its name, user id, anonymous id
/// and subject in a string table written once per segment; <c>payload</c> is the events' wire bytes (exactly what the
/// sink gets) one after another, in the same order.
/// </summary>
/// <remarks>
/// <c>meta</c>: version byte (1), event count (int32), string count (int32), each string as an int32 UTF-8 length and
/// its bytes, then one 37-byte record per event: id (16), UTC ticks (int64), payload length (int32), tier (byte),
/// then four uint16 string indexes (name, user id, anonymous id, subject; <c>0xFFFF</c> is null). Little-endian.
/// </remarks>
internal sealed class QueueSegmentCodec
{
    public const byte Version = 1;
    public const int RecordSize = 16 + 8 + 4 + 1 + 8;
    private const ushort Null = 0xFFFF;

    private readonly List<string> _strings = new();
    private readonly List<string> _subjects = new();
    private readonly List<string> _lastSubjects = new();
    private byte[] _subjectsJson = Array.Empty<byte>();
    private int _subjectsJsonLength;
    private readonly StringBuilder _json = new();
    private ushort[] _indexes = new ushort[256];
    private byte[] _meta = new byte[4096];
    private byte[] _payload = new byte[64 * 1024];

    /// <summary>The meta bytes of the last <see cref="Encode"/>.</summary>
    public ReadOnlySpan<byte> Meta => _meta.AsSpan(0, MetaLength);

    /// <summary>The payload bytes of the last <see cref="Encode"/>.</summary>
    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, PayloadLength);

    /// <summary>The distinct subjects of the last <see cref="Encode"/>, as a JSON array in UTF-8 (the <c>subjects</c> column).</summary>
    public ReadOnlySpan<byte> SubjectsJson => _subjectsJson.AsSpan(0, _subjectsJsonLength);

    private int MetaLength { get; set; }

    private int PayloadLength { get; set; }

    /// <summary>Lays out <paramref name="events"/> (at most 65,000) into <see cref="Meta"/>, <see cref="Payload"/> and <see cref="SubjectsJson"/>.</summary>
    public void Encode(ReadOnlySpan<QueuedEvent> events)
    {
        _strings.Clear();
        _subjects.Clear();
        if (_indexes.Length < events.Length * 4) _indexes = new ushort[Math.Max(events.Length * 4, _indexes.Length * 2)];
        var payload = 0;
        for (var k = 0; k < events.Length; k++)
        {
            var e = events[k];
            _indexes[(4 * k) + 0] = Index(e.Event.Name);
            _indexes[(4 * k) + 1] = Index(e.Event.UserId);
            _indexes[(4 * k) + 2] = Index(e.Event.AnonymousId);
            var subject = Index(e.Subject);
            _indexes[(4 * k) + 3] = subject;
            if (!_subjects.Contains(e.Subject)) _subjects.Add(e.Subject);
            payload += e.Event.Json.Length;
        }

        var max = 9 + (events.Length * RecordSize);
        foreach (var s in _strings) max += 4 + Encoding.UTF8.GetMaxByteCount(s.Length);
        if (_meta.Length < max) _meta = new byte[Math.Max(max, _meta.Length * 2)];
        if (_payload.Length < payload) _payload = new byte[Math.Max(payload, _payload.Length * 2)];

        var meta = _meta.AsSpan();
        meta[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(meta[1..], events.Length);
        BinaryPrimitives.WriteInt32LittleEndian(meta[5..], _strings.Count);
        var at = 9;
        foreach (var s in _strings)
        {
            var length = Encoding.UTF8.GetBytes(s, meta[(at + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(meta[at..], length);
            at += 4 + length;
        }

        var p = 0;
        for (var k = 0; k < events.Length; k++)
        {
            var e = events[k].Event;
            var record = meta.Slice(at, RecordSize);
            e.EventId.TryWriteBytes(record);
            BinaryPrimitives.WriteInt64LittleEndian(record[16..], e.Timestamp.UtcTicks);
            BinaryPrimitives.WriteInt32LittleEndian(record[24..], e.Json.Length);
            record[28] = (byte)e.Tier;
            for (var j = 0; j < 4; j++) BinaryPrimitives.WriteUInt16LittleEndian(record[(29 + (2 * j))..], _indexes[(4 * k) + j]);
            at += RecordSize;
            e.Json.Span.CopyTo(_payload.AsSpan(p));
            p += e.Json.Length;
        }

        MetaLength = at;
        PayloadLength = p;
        if (!SameSubjectsAsLast())
        {
            var json = SubjectsToJson();
            var length = Encoding.UTF8.GetByteCount(json);
            if (_subjectsJson.Length < length) _subjectsJson = new byte[length];
            _subjectsJsonLength = Encoding.UTF8.GetBytes(json, _subjectsJson);
            _lastSubjects.Clear();
            _lastSubjects.AddRange(_subjects);
        }
    }

    private bool SameSubjectsAsLast()
    {
        if (_subjectsJsonLength == 0 || _subjects.Count != _lastSubjects.Count) return false;
        for (var i = 0; i < _subjects.Count; i++)
        {
            if (!string.Equals(_subjects[i], _lastSubjects[i], StringComparison.Ordinal)) return false;
        }

        return true;
    }

    /// <summary>
    /// The events of a segment, each payload in an array of its own (one array per segment would often be large
    /// enough for the large-object heap, which only a full collection frees).
    /// </summary>
    public static QueuedEvent[] Decode(ReadOnlySpan<byte> meta, ReadOnlySpan<byte> payload)
    {
        var events = new QueuedEvent[Count(meta)];
        Decode(meta, payload, events, page: null);
        return events;
    }

    /// <summary>
    /// The events of a segment into <paramref name="into"/>, their payloads slices of <paramref name="page"/> (which the
    /// caller rented for the segment's payload); returns how many.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> meta, ReadOnlySpan<byte> payload, Span<QueuedEvent> into, PayloadPage? page)
    {
        var strings = new List<string?>();
        var at = ReadStrings(meta, strings, out var count);
        if (into.Length < count) throw new ArgumentException("Too small.", nameof(into));
        var p = 0;
        for (var k = 0; k < count; k++)
        {
            var r = Record.Read(meta.Slice(at + (k * RecordSize), RecordSize));
            if (p + r.Length > payload.Length) throw new InvalidDataException("A queue segment's payload is shorter than its records say.");
            var bytes = payload.Slice(p, r.Length);
            var outgoing = new OutgoingEvent(
                r.Id,
                strings[r.Name] ?? string.Empty,
                r.Tier,
                new DateTimeOffset(r.Ticks, TimeSpan.Zero),
                r.UserId == Null ? null : strings[r.UserId],
                r.AnonymousId == Null ? null : strings[r.AnonymousId],
                page is null ? bytes.ToArray() : page.Append(bytes));
            into[k] = new QueuedEvent(outgoing, strings[r.Subject] ?? string.Empty);
            p += r.Length;
        }

        return count;
    }

    /// <summary>The fixed part of each event of a segment (what the queue keeps in memory), without reading the strings.</summary>
    public static int ReadRecords(ReadOnlySpan<byte> meta, Span<Record> into)
    {
        var at = ReadStrings(meta, null, out var count);
        if (into.Length < count) throw new ArgumentException("Too small.", nameof(into));
        for (var k = 0; k < count; k++) into[k] = Record.Read(meta.Slice(at + (k * RecordSize), RecordSize));
        return count;
    }

    /// <summary>The number of events of a segment.</summary>
    public static int Count(ReadOnlySpan<byte> meta)
    {
        if (meta.Length < 9 || meta[0] != Version) throw new InvalidDataException("Unknown queue segment layout.");
        return BinaryPrimitives.ReadInt32LittleEndian(meta[1..]);
    }

    /// <summary>Whether any string of the segment's table equals <paramref name="value"/> (a cheap test before decoding it).</summary>
    public static bool MentionsString(ReadOnlySpan<byte> meta, string value)
    {
        var strings = new List<string?>();
        ReadStrings(meta, strings, out _);
        return strings.Contains(value);
    }

    private static int ReadStrings(ReadOnlySpan<byte> meta, List<string?>? strings, out int count)
    {
        count = Count(meta);
        var stringCount = BinaryPrimitives.ReadInt32LittleEndian(meta[5..]);
        var at = 9;
        for (var i = 0; i < stringCount; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(meta[at..]);
            strings?.Add(Encoding.UTF8.GetString(meta.Slice(at + 4, length)));
            at += 4 + length;
        }

        if (meta.Length < at + (count * RecordSize)) throw new InvalidDataException("A queue segment's meta is truncated.");
        return at;
    }

    private ushort Index(string? value)
    {
        if (value is null) return Null;
        for (var i = 0; i < _strings.Count; i++)
        {
            if (ReferenceEquals(_strings[i], value) || string.Equals(_strings[i], value, StringComparison.Ordinal)) return (ushort)i;
        }

        _strings.Add(value);
        return (ushort)(_strings.Count - 1);
    }

    private string SubjectsToJson()
    {
        _json.Clear().Append('[');
        for (var i = 0; i < _subjects.Count; i++)
        {
            if (i > 0) _json.Append(',');
            _json.Append('"');
            foreach (var c in _subjects[i])
            {
                if (c is '"' or '\\') _json.Append('\\').Append(c);
                else if (c < ' ') _json.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                else _json.Append(c);
            }

            _json.Append('"');
        }

        return _json.Append(']').ToString();
    }

    /// <summary>The fixed part of one event's record.</summary>
    public readonly record struct Record(Guid Id, long Ticks, int Length, EventTier Tier, ushort Name, ushort UserId, ushort AnonymousId, ushort Subject)
    {
        public static Record Read(ReadOnlySpan<byte> r) => new(
            new Guid(r[..16]),
            BinaryPrimitives.ReadInt64LittleEndian(r[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(r[24..]),
            (EventTier)r[28],
            BinaryPrimitives.ReadUInt16LittleEndian(r[29..]),
            BinaryPrimitives.ReadUInt16LittleEndian(r[31..]),
            BinaryPrimitives.ReadUInt16LittleEndian(r[33..]),
            BinaryPrimitives.ReadUInt16LittleEndian(r[35..]));
    }
}
