using System;

namespace Telemetry.Ingest.Storage;

/// <summary>One accepted event as stored: envelope columns, enrichment, and the raw wire object.</summary>
/// <param name="EventId">The client's <c>event_id</c>, or for events sent without one a UUID derived from the fingerprint (see <see cref="IdFromFingerprint"/>).</param>
/// <param name="IdFromFingerprint">True when <paramref name="EventId"/> was derived from the fingerprint.</param>
/// <param name="Project">Project of the write key that sent it.</param>
/// <param name="Event">Catalog event name.</param>
/// <param name="Timestamp">When it happened (client clock).</param>
/// <param name="ReceivedAt">When the server accepted it.</param>
/// <param name="SessionId">Session id, if sent.</param>
/// <param name="UserId">Signed-in user id, if sent.</param>
/// <param name="AnonymousId">Anonymous/device id, if sent.</param>
/// <param name="ClientVersion">App version.</param>
/// <param name="SchemaVersion">Event schema version.</param>
/// <param name="SamplingRate">Sampling rate the client applied.</param>
/// <param name="UserBucket">The user's sampling bucket (0..9999).</param>
/// <param name="Ip">Client address, anonymised unless configured off.</param>
/// <param name="Device">desktop, mobile, tablet, bot or other.</param>
/// <param name="Os">Operating system.</param>
/// <param name="Browser">Browser or HTTP library.</param>
/// <param name="Payload">The event's JSON object exactly as received.</param>
public sealed record StoredEvent(
    Guid EventId,
    bool IdFromFingerprint,
    string Project,
    string Event,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    string? SessionId,
    string? UserId,
    string? AnonymousId,
    string ClientVersion,
    int SchemaVersion,
    double SamplingRate,
    int UserBucket,
    string? Ip,
    string? Device,
    string? Os,
    string? Browser,
    string Payload);
