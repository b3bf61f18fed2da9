using System;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// Writes the envelope fields every sent event carries (event, event_id, timestamp, session_id, user_bucket,
/// sampling_rate, client_version, schema_version, and optionally user_id / anonymous_id), in wire order.
/// One place for the wire envelope, shared by the pipeline's serialiser and the simple clients.
/// </summary>
internal static class EnvelopeWriter
{
    private static readonly JsonEncodedText EventField = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText EventIdField = JsonEncodedText.Encode("event_id");
    private static readonly JsonEncodedText TimestampField = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText SessionIdField = JsonEncodedText.Encode("session_id");
    private static readonly JsonEncodedText UserBucketField = JsonEncodedText.Encode("user_bucket");
    private static readonly JsonEncodedText SamplingRateField = JsonEncodedText.Encode("sampling_rate");
    private static readonly JsonEncodedText ClientVersionField = JsonEncodedText.Encode("client_version");
    private static readonly JsonEncodedText SchemaVersionField = JsonEncodedText.Encode("schema_version");
    private static readonly JsonEncodedText UserIdField = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText AnonymousIdField = JsonEncodedText.Encode("anonymous_id");

    /// <summary>Writes the envelope into the open JSON object.</summary>
    public static void Write(
        Utf8JsonWriter writer,
        EventDescriptor descriptor,
        Guid eventId,
        DateTimeOffset timestamp,
        Guid sessionId,
        int userBucket,
        double samplingRate,
        JsonEncodedText clientVersion,
        string? userId = null,
        string? anonymousId = null)
    {
        writer.WriteString(EventField, descriptor.EncodedName);
        writer.WriteString(EventIdField, eventId);
        writer.WriteString(TimestampField, timestamp);
        writer.WriteString(SessionIdField, sessionId);
        writer.WriteNumber(UserBucketField, userBucket);
        writer.WriteNumber(SamplingRateField, samplingRate);
        writer.WriteString(ClientVersionField, clientVersion);
        writer.WriteNumber(SchemaVersionField, descriptor.Version);
        if (userId is not null) writer.WriteString(UserIdField, userId);
        if (anonymousId is not null) writer.WriteString(AnonymousIdField, anonymousId);
    }
}
