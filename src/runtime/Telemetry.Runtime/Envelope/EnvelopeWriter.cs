using System;
using System.Text.Json;
using Telemetry.Wire;

namespace Telemetry.Runtime;

/// <summary>
/// Writes the envelope fields every sent event carries (<see cref="EnvelopeFields.All"/>), in wire order.
/// One place for the wire envelope, shared by the pipeline's serialiser and the simple clients.
/// </summary>
internal static class EnvelopeWriter
{
    private static readonly JsonEncodedText EventField = JsonEncodedText.Encode(EnvelopeFields.Event);
    private static readonly JsonEncodedText EventIdField = JsonEncodedText.Encode(EnvelopeFields.EventId);
    private static readonly JsonEncodedText TimestampField = JsonEncodedText.Encode(EnvelopeFields.Timestamp);
    private static readonly JsonEncodedText SessionIdField = JsonEncodedText.Encode(EnvelopeFields.SessionId);
    private static readonly JsonEncodedText UserBucketField = JsonEncodedText.Encode(EnvelopeFields.UserBucket);
    private static readonly JsonEncodedText SamplingRateField = JsonEncodedText.Encode(EnvelopeFields.SamplingRate);
    private static readonly JsonEncodedText ClientVersionField = JsonEncodedText.Encode(EnvelopeFields.ClientVersion);
    private static readonly JsonEncodedText SchemaVersionField = JsonEncodedText.Encode(EnvelopeFields.SchemaVersion);
    private static readonly JsonEncodedText UserIdField = JsonEncodedText.Encode(EnvelopeFields.UserId);
    private static readonly JsonEncodedText AnonymousIdField = JsonEncodedText.Encode(EnvelopeFields.AnonymousId);

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
        WriteHead(writer, descriptor, eventId, timestamp);
        WriteTail(writer, descriptor, sessionId, userBucket, samplingRate, clientVersion, userId, anonymousId);
    }

    /// <summary>The envelope fields that differ per event (name, id, timestamp): the first ones, in wire order.</summary>
    public static void WriteHead(Utf8JsonWriter writer, EventDescriptor descriptor, Guid eventId, DateTimeOffset timestamp)
    {
        writer.WriteString(EventField, descriptor.EncodedName);
        writer.WriteString(EventIdField, eventId);
        writer.WriteString(TimestampField, timestamp);
    }

    /// <summary>The envelope fields after <see cref="WriteHead"/>: the same for every event of one identity, rate and schema version.</summary>
    public static void WriteTail(
        Utf8JsonWriter writer,
        EventDescriptor descriptor,
        Guid sessionId,
        int userBucket,
        double samplingRate,
        JsonEncodedText clientVersion,
        string? userId,
        string? anonymousId)
    {
        writer.WriteString(SessionIdField, sessionId);
        writer.WriteNumber(UserBucketField, userBucket);
        writer.WriteNumber(SamplingRateField, samplingRate);
        writer.WriteString(ClientVersionField, clientVersion);
        writer.WriteNumber(SchemaVersionField, descriptor.Version);
        if (userId is not null) writer.WriteString(UserIdField, userId);
        if (anonymousId is not null) writer.WriteString(AnonymousIdField, anonymousId);
    }
}
