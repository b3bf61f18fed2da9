using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telemetry.Ingest.Enrichment;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Validation;
using Telemetry.Wire;

namespace Telemetry.Ingest.Ingestion;

/// <summary>What the server adds to each event of one request.</summary>
/// <param name="Project">Project of the write key.</param>
/// <param name="ReceivedAt">Server receive time.</param>
/// <param name="Ip">Client address (already anonymised when configured).</param>
/// <param name="UserAgent">Parsed User-Agent.</param>
internal sealed record RequestContext(string Project, DateTimeOffset ReceivedAt, string? Ip, UserAgentInfo UserAgent);

/// <summary>Turns a validated wire object into a <see cref="StoredEvent"/>; derives ids for events sent without one.</summary>
internal static class StoredEventFactory
{
    /// <summary>Builds the stored form of a valid event (the validator has checked every type read here).</summary>
    public static StoredEvent Create(JsonElement evt, RequestContext context, int fingerprintBucketSeconds)
    {
        var name = evt.GetProperty(EnvelopeFields.Event).GetString()!;
        if (!CatalogValidator.TryParseDateTime(evt.GetProperty(EnvelopeFields.Timestamp).GetString()!, out var timestamp)) throw new FormatException("The timestamp is not an RFC 3339 date-time.");
        var sessionId = OptionalString(evt, EnvelopeFields.SessionId);
        var userId = OptionalString(evt, EnvelopeFields.UserId);
        var anonymousId = OptionalString(evt, EnvelopeFields.AnonymousId);
        Guid eventId;
        bool derived;
        if (evt.TryGetProperty(EnvelopeFields.EventId, out var idElement))
        {
            var idText = idElement.GetString()!;
            if (!CatalogValidator.IsCanonicalUuid(idText)) throw new FormatException("The event id is not a canonical UUID.");
            eventId = Guid.ParseExact(idText, "D");
            derived = false;
        }
        else
        {
            eventId = Fingerprint(evt, context.Project, name, userId ?? anonymousId ?? sessionId, timestamp, fingerprintBucketSeconds);
            derived = true;
        }

        return new StoredEvent(
            eventId,
            derived,
            context.Project,
            name,
            timestamp.ToUniversalTime(),
            context.ReceivedAt,
            sessionId,
            userId,
            anonymousId,
            Clean(evt.GetProperty(EnvelopeFields.ClientVersion).GetString()!),
            NumberContract.ToInt32(evt.GetProperty(EnvelopeFields.SchemaVersion)),
            NumberContract.ToDouble(evt.GetProperty(EnvelopeFields.SamplingRate)),
            NumberContract.ToInt32(evt.GetProperty(EnvelopeFields.UserBucket)),
            context.Ip,
            context.UserAgent.Device,
            context.UserAgent.Os,
            context.UserAgent.Browser,
            evt.GetRawText());
    }

    /// <summary>
    /// Fingerprint dedup for events without <c>event_id</c>: SHA-256 over project, event name, identity
    /// (user_id, else anonymous_id, else session_id), every non-envelope property (sorted by name, raw JSON values) and
    /// the timestamp floored to <paramref name="bucketSeconds"/>; its first 16 bytes become a UUIDv8. The same event
    /// resent within the bucket gets the same id, so the event-id unique key stores it once.
    /// </summary>
    public static Guid Fingerprint(JsonElement evt, string project, string name, string? identity, DateTimeOffset timestamp, int bucketSeconds)
    {
        var properties = new List<(string Name, string Value)>();
        foreach (var p in evt.EnumerateObject())
        {
            if (EnvelopeFields.IsEnvelopeField(p.Name)) continue;
            properties.Add((p.Name, p.Value.GetRawText()));
        }

        properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var bucket = bucketSeconds <= 0 ? timestamp.ToUnixTimeMilliseconds() : timestamp.ToUnixTimeSeconds() / bucketSeconds;
        var text = new StringBuilder();
        text.Append(project).Append('\0').Append(name).Append('\0').Append(identity).Append('\0').Append(bucket.ToString(CultureInfo.InvariantCulture));
        foreach (var (n, v) in properties) text.Append('\0').Append(n).Append('=').Append(v);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (RFC 9562: custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // variant 10
        return new Guid(hash.Slice(0, 16), bigEndian: true);
    }

    private static string? OptionalString(JsonElement evt, string name) =>
        evt.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Clean(value.GetString()!) : null;

    /// <summary>
    /// Column values must be storable everywhere: PostgreSQL text rejects NUL and Npgsql's strict UTF-8 rejects lone
    /// surrogates (both legal in JSON strings). The raw payload keeps the original escapes; only the columns are cleaned.
    /// </summary>
    internal static string Clean(string value)
    {
        var dirty = false;
        for (var i = 0; i < value.Length && !dirty; i++)
        {
            var c = value[i];
            if (c == '\0') dirty = true;
            else if (char.IsHighSurrogate(c)) dirty = i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]);
            else if (char.IsLowSurrogate(c)) dirty = i == 0 || !char.IsHighSurrogate(value[i - 1]);
        }

        if (!dirty) return value;
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c == '\0') chars[i] = '\uFFFD';
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
                else chars[i] = '\uFFFD';
            }
            else if (char.IsLowSurrogate(c))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
