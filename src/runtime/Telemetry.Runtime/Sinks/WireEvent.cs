using System;
using System.Globalization;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// A parsed view of an <see cref="OutgoingEvent"/>'s flat wire object: the envelope fields sinks
/// translate into provider fields, and the event's own properties. Owns pooled memory: dispose it.
/// </summary>
internal sealed class WireEvent : IDisposable
{
    private readonly JsonDocument _document;

    private WireEvent(OutgoingEvent source, JsonDocument document)
    {
        Source = source;
        _document = document;
        var root = document.RootElement;
        SessionId = StringOrNull(root, Telemetry.Wire.EnvelopeFields.SessionId);
        ClientVersion = StringOrNull(root, Telemetry.Wire.EnvelopeFields.ClientVersion);
    }

    /// <summary>The event this view reads.</summary>
    public OutgoingEvent Source { get; }

    /// <summary>The wire object.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>The envelope's <c>session_id</c>, if present.</summary>
    public string? SessionId { get; }

    /// <summary>The envelope's <c>client_version</c>, if present.</summary>
    public string? ClientVersion { get; }

    /// <summary>Parses <paramref name="source"/>'s JSON; on failure returns null and a reason for the rejection.</summary>
    public static WireEvent? TryParse(OutgoingEvent source, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(source.Json);
        }
        catch (JsonException ex)
        {
            error = "malformed event JSON: " + ex.Message;
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = "event JSON is not an object";
            return null;
        }

        error = null;
        return new WireEvent(source, document);
    }

    /// <summary>True for the envelope field names our wire format puts before the event's own properties.</summary>
    public static bool IsEnvelopeField(string name) => Telemetry.Wire.EnvelopeFields.IsEnvelopeField(name);

    /// <summary>
    /// Writes the provider's property bag: the event's own properties plus the envelope fields named in
    /// <paramref name="carriedEnvelope"/>, each renamed or dropped by <paramref name="mapping"/>.
    /// </summary>
    public void WriteProperties(Utf8JsonWriter writer, SinkEventMapping mapping, ReadOnlySpan<string> carriedEnvelope)
    {
        foreach (var property in Root.EnumerateObject())
        {
            if (IsEnvelopeField(property.Name) && carriedEnvelope.IndexOf(property.Name) < 0) continue;
            var name = mapping.PropertyName(property.Name);
            if (name is null) continue;
            writer.WritePropertyName(name);
            property.Value.WriteTo(writer);
        }
    }

    /// <summary>
    /// Writes the wire object with <paramref name="eventName"/> as its <c>event</c> and the event's own
    /// properties renamed or dropped by <paramref name="mapping"/>; envelope fields are kept as they are.
    /// </summary>
    public void WriteMappedWireObject(Utf8JsonWriter writer, SinkEventMapping mapping, string eventName)
    {
        writer.WriteStartObject();
        foreach (var property in Root.EnumerateObject())
        {
            if (property.NameEquals("event"))
            {
                writer.WriteString("event", eventName);
                continue;
            }

            var name = IsEnvelopeField(property.Name) ? property.Name : mapping.PropertyName(property.Name);
            if (name is null) continue;
            writer.WritePropertyName(name);
            property.Value.WriteTo(writer);
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
    public void Dispose() => _document.Dispose();

    private static string? StringOrNull(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>Formats a timestamp the way every provider accepts: ISO-8601 in UTC.</summary>
    public static string Iso8601(DateTimeOffset timestamp) =>
        timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
