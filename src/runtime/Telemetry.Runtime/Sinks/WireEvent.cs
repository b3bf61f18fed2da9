using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// A parsed view of an <see cref="OutgoingEvent"/>'s flat wire object: the envelope fields sinks
/// translate into provider fields, and the event's own properties. Owns pooled memory: dispose it.
/// </summary>
/// <remarks>
/// One pass of <see cref="Utf8JsonReader"/> validates the object and notes where each top-level property's name and value
/// lie in the event's bytes; <see cref="WriteProperties"/> and <see cref="WriteMappedWireObject"/> then copy the values
/// as they are (the wire was written with the same encoder, so strings need no re-escaping) and the names without making
/// strings of them. A provider sink so pays no document, no string per property name and no re-encoding per event. Only
/// <see cref="Root"/> (GA4's property checks) parses a <see cref="JsonDocument"/>, on first use.
/// </remarks>
internal sealed class WireEvent : IDisposable
{
    private static readonly (byte[] Utf8, string Name)[] EnvelopeNames = CreateEnvelopeNames();

    private Property[] _properties;
    private int _count;
    private readonly bool _holdsNames;
    private JsonDocument? _document;

    private WireEvent(OutgoingEvent source, Property[] properties, int count, bool holdsNames, string? sessionId, string? clientVersion)
    {
        Source = source;
        _properties = properties;
        _count = count;
        _holdsNames = holdsNames;
        SessionId = sessionId;
        ClientVersion = clientVersion;
    }

    /// <summary>The event this view reads.</summary>
    public OutgoingEvent Source { get; }

    /// <summary>The wire object (parsed on first use).</summary>
    public JsonElement Root => (_document ??= JsonDocument.Parse(Source.Json)).RootElement;

    /// <summary>The envelope's <c>session_id</c>, if present.</summary>
    public string? SessionId { get; }

    /// <summary>The envelope's <c>client_version</c>, if present.</summary>
    public string? ClientVersion { get; }

    /// <summary>Parses <paramref name="source"/>'s JSON; on failure returns null and a reason for the rejection.</summary>
    public static WireEvent? TryParse(OutgoingEvent source, out string? error)
    {
        var json = source.Json.Span;

        // Values are copied as they are, so the bytes must be UTF-8 throughout: one invalid byte in a request body makes
        // the provider refuse the whole batch, not this event alone.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            error = "malformed event JSON: not valid UTF-8";
            return null;
        }

        var properties = ArrayPool<Property>.Shared.Rent(32);
        var count = 0;
        var holdsNames = false;
        string? sessionId = null;
        string? clientVersion = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                // A document that is not an object: still malformed when it does not parse at all.
                reader.Skip();
                if (reader.Read()) throw new JsonException("more than one JSON value");
                ArrayPool<Property>.Shared.Return(properties);
                error = "event JSON is not an object";
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex + 1;
                var nameLength = reader.ValueSpan.Length;
                string? name = null;
                string? envelope;
                if (reader.ValueIsEscaped)
                {
                    name = reader.GetString()!;
                    envelope = Telemetry.Wire.EnvelopeFields.IsEnvelopeField(name) ? name : null;
                    holdsNames = true;
                }
                else
                {
                    envelope = EnvelopeName(reader.ValueSpan);
                }

                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                var kind = reader.TokenType;
                if (envelope == Telemetry.Wire.EnvelopeFields.SessionId)
                {
                    sessionId = Text(ref reader, json);
                }
                else if (envelope == Telemetry.Wire.EnvelopeFields.ClientVersion)
                {
                    clientVersion = Text(ref reader, json);
                }

                if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                var valueLength = (int)reader.BytesConsumed - valueStart;
                if (count == properties.Length)
                {
                    var larger = ArrayPool<Property>.Shared.Rent(count * 2);
                    properties.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<Property>.Shared.Return(properties, clearArray: holdsNames);
                    properties = larger;
                }

                properties[count++] = new Property(nameStart, nameLength, name, envelope, valueStart, valueLength);
            }

            // The object is closed, and nothing but whitespace follows it.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) throw new JsonException("the event object is not closed or is followed by more JSON");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or an envelope string escaping half a surrogate pair, which has no text.
            ArrayPool<Property>.Shared.Return(properties, clearArray: holdsNames);
            error = "malformed event JSON: " + ex.Message;
            return null;
        }

        error = null;
        return new WireEvent(source, properties, count, holdsNames, sessionId, clientVersion);
    }

    /// <summary>True for the envelope field names our wire format puts before the event's own properties.</summary>
    public static bool IsEnvelopeField(string name) => Telemetry.Wire.EnvelopeFields.IsEnvelopeField(name);

    /// <summary>
    /// Writes the provider's property bag: the event's own properties plus the envelope fields named in
    /// <paramref name="carriedEnvelope"/>, each renamed or dropped by <paramref name="mapping"/>.
    /// </summary>
    public void WriteProperties(Utf8JsonWriter writer, SinkEventMapping mapping, ReadOnlySpan<string> carriedEnvelope)
    {
        var json = Source.Json.Span;
        for (var i = 0; i < _count; i++)
        {
            ref readonly var p = ref _properties[i];
            if (p.Envelope is { } envelope && carriedEnvelope.IndexOf(envelope) < 0) continue;
            if (!WriteName(writer, json, in p, mapping, keepEnvelope: false)) continue;
            writer.WriteRawValue(json.Slice(p.ValueStart, p.ValueLength), skipInputValidation: true);
        }
    }

    /// <summary>
    /// Writes the wire object with <paramref name="eventName"/> as its <c>event</c> and the event's own
    /// properties renamed or dropped by <paramref name="mapping"/>; envelope fields are kept as they are.
    /// </summary>
    public void WriteMappedWireObject(Utf8JsonWriter writer, SinkEventMapping mapping, string eventName)
    {
        var json = Source.Json.Span;
        writer.WriteStartObject();
        for (var i = 0; i < _count; i++)
        {
            ref readonly var p = ref _properties[i];
            if (p.Envelope == Telemetry.Wire.EnvelopeFields.Event)
            {
                writer.WriteString(Telemetry.Wire.EnvelopeFields.Event, eventName);
                continue;
            }

            if (!WriteName(writer, json, in p, mapping, keepEnvelope: true)) continue;
            writer.WriteRawValue(json.Slice(p.ValueStart, p.ValueLength), skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The session start in Unix milliseconds when the session id is a UUIDv7 (whose first 48 bits are
    /// its creation time), otherwise null.
    /// </summary>
    public long? SessionStartUnixMilliseconds()
    {
        if (SessionId is null || !Guid.TryParse(SessionId, out var guid)) return null;
        Span<byte> bytes = stackalloc byte[16];
        if (!guid.TryWriteBytes(bytes, bigEndian: true, out _)) return null;
        if ((bytes[6] >> 4) != 7) return null;
        long ms = 0;
        for (var i = 0; i < 6; i++) ms = (ms << 8) | bytes[i];
        return ms;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _document?.Dispose();
        if (_count < 0) return;
        ArrayPool<Property>.Shared.Return(_properties, clearArray: _holdsNames);
        _properties = [];
        _count = -1;
    }

    /// <summary>
    /// Writes a property's name as the sink calls it; false when the mapping drops it. An envelope field keeps its name
    /// when <paramref name="keepEnvelope"/>; a name the mapping does not rename is copied from the event's bytes.
    /// </summary>
    private static bool WriteName(Utf8JsonWriter writer, ReadOnlySpan<byte> json, in Property p, SinkEventMapping mapping, bool keepEnvelope)
    {
        if (p.Envelope is { } envelope && keepEnvelope)
        {
            writer.WritePropertyName(envelope);
            return true;
        }

        var name = p.Envelope ?? p.Name;
        if (name is null && !mapping.RenamesProperties)
        {
            writer.WritePropertyName(json.Slice(p.NameStart, p.NameLength));
            return true;
        }

        var mapped = mapping.PropertyName(name ?? System.Text.Encoding.UTF8.GetString(json.Slice(p.NameStart, p.NameLength)));
        if (mapped is null) return false;
        writer.WritePropertyName(mapped);
        return true;
    }

    /// <summary>The envelope field's name (the constant itself, no new string) when <paramref name="utf8"/> is one.</summary>
    private static string? EnvelopeName(ReadOnlySpan<byte> utf8)
    {
        foreach (var (bytes, name) in EnvelopeNames)
        {
            if (utf8.SequenceEqual(bytes)) return name;
        }

        return null;
    }

    private static (byte[] Utf8, string Name)[] CreateEnvelopeNames()
    {
        var fields = Telemetry.Wire.EnvelopeFields.All;
        var names = new (byte[], string)[fields.Count];
        for (var i = 0; i < names.Length; i++) names[i] = (System.Text.Encoding.UTF8.GetBytes(fields[i].Name), fields[i].Name);
        return names;
    }

    /// <summary>A string value as text, a number as its JSON text, anything else null (as the envelope's readers expect).</summary>
    private static string? Text(ref Utf8JsonReader reader, ReadOnlySpan<byte> json) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(json.Slice((int)reader.TokenStartIndex, (int)reader.BytesConsumed - (int)reader.TokenStartIndex)),
        _ => null,
    };

    /// <summary>Where a top-level property's name (unquoted, as escaped in the bytes) and value (raw JSON) lie.</summary>
    private readonly record struct Property(int NameStart, int NameLength, string? Name, string? Envelope, int ValueStart, int ValueLength);

    /// <summary>Formats a timestamp the way every provider accepts: ISO-8601 in UTC.</summary>
    public static string Iso8601(DateTimeOffset timestamp) =>
        timestamp.ToUniversalTime().ToString(Iso8601Format, CultureInfo.InvariantCulture);

    /// <summary>Writes <see cref="Iso8601"/>'s text of <paramref name="timestamp"/> as the string property <paramref name="name"/>, without a string.</summary>
    public static void WriteIso8601(Utf8JsonWriter writer, string name, DateTimeOffset timestamp)
    {
        Span<char> text = stackalloc char[32];
        if (!timestamp.ToUniversalTime().TryFormat(text, out var written, Iso8601Format, CultureInfo.InvariantCulture)) throw new FormatException("timestamp does not fit its format");
        writer.WriteString(name, text[..written]);
    }

    private const string Iso8601Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
}
