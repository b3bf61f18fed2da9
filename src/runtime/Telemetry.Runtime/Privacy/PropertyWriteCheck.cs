using System;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// Lets the serialiser skip re-reading an event's properties for personal data when nothing in them can be personal data.
/// While a generated <c>WriteProperties</c> writes through <see cref="EventPropertyWriter"/>, each string value meets the
/// scrubber's pre-check as it is written, and each byte the writer gains must come from one of those calls. The properties
/// are clean only when both hold: every byte was written by <see cref="EventPropertyWriter"/> (enums, numbers, booleans,
/// UUIDs and timestamps, which cannot hold free text, and strings) and no string passed the pre-check, so the scrubber
/// would have returned every string unchanged. Anything else (a value written to the writer directly, as arrays and
/// hand-written events do; a string the pre-check flags; fields named for redaction) goes through the full scan.
/// </summary>
/// <remarks>One per serialiser, used by the thread that serialises; found by <see cref="EventPropertyWriter"/> through the writer it writes to.</remarks>
internal sealed class PropertyWriteCheck
{
    [ThreadStatic]
    private static PropertyWriteCheck? t_current;

    private Utf8JsonWriter? _writer;
    private long _end;
    private bool _scan;

    /// <summary>The check running on this thread for <paramref name="writer"/>, or null (nothing to account).</summary>
    public static PropertyWriteCheck? For(Utf8JsonWriter writer)
    {
        var current = t_current;
        return current is not null && ReferenceEquals(current._writer, writer) ? current : null;
    }

    /// <summary>Starts checking what is written to <paramref name="writer"/> from its current position.</summary>
    public void Begin(Utf8JsonWriter writer)
    {
        _writer = writer;
        _end = Position(writer);
        _scan = false;
        t_current = this;
    }

    /// <summary>Ends the check: true when every byte since <see cref="Begin"/> was written by <see cref="EventPropertyWriter"/> and no string may hold personal data.</summary>
    public bool End(Utf8JsonWriter writer)
    {
        var clean = !_scan && _end == Position(writer);
        _writer = null;
        return clean;
    }

    /// <summary>Before a value: anything written since the last accounted value was written by someone else.</summary>
    public void Enter(Utf8JsonWriter writer)
    {
        if (Position(writer) != _end) _scan = true;
    }

    /// <summary>After a value that cannot hold free text.</summary>
    public void Leave(Utf8JsonWriter writer) => _end = Position(writer);

    /// <summary>After a string value: the scrubber's pre-check decides whether the full scan must run.</summary>
    public void Leave(Utf8JsonWriter writer, string? value)
    {
        _end = Position(writer);
        if (!_scan && value is not null && PersonalDataScrubber.MayContainPersonalData(value.AsSpan())) _scan = true;
    }

    private static long Position(Utf8JsonWriter writer) => writer.BytesCommitted + writer.BytesPending;
}
