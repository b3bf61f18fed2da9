using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// A destination for batches of serialised events (Segment, Amplitude, Mixpanel, our ingest endpoint,
/// console, no-op, or your own). Sinks translate our wire object into the provider's format and map
/// the provider's answer to a <see cref="SinkResult"/>; retry, backoff and queueing are the pipeline's.
/// </summary>
public interface ITelemetrySink
{
    /// <summary>Short name for logs and metrics (<c>segment</c>, <c>amplitude</c>, ...).</summary>
    string Name { get; }

    /// <summary>Most events one request may carry (the provider's limit).</summary>
    int MaxBatchSize { get; }

    /// <summary>Sends one batch. Must not throw for HTTP or network failures: report them in the result.</summary>
    ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken);

    /// <summary>
    /// True when the sink reads the batch, and each event's <see cref="OutgoingEvent.Json"/>, only until the task
    /// <see cref="SendAsync"/> returned has completed, and copies whatever it keeps longer. The pipeline then lends the
    /// events straight from its queue's memory, which it reuses afterwards. False (the default): every send gets a
    /// batch and bytes of its own, which the sink may keep.
    /// </summary>
    bool ReadsBatchOnlyDuringSend => false;
}

/// <summary>
/// One event ready to send: our flat JSON wire object plus the facts sinks and queues need without parsing it. A value:
/// the pipeline moves events between its stages without an object per event, and <see cref="Json"/> may be a slice of
/// a buffer the pipeline reuses (see <see cref="ITelemetrySink.ReadsBatchOnlyDuringSend"/> and
/// <see cref="IOfflineQueue.Append"/>).
/// </summary>
/// <param name="EventId">UUIDv7 event id (the dedup key: Segment messageId, Amplitude insert_id, Mixpanel $insert_id).</param>
/// <param name="Name">Catalog event name.</param>
/// <param name="Tier">Tier; lower tiers are dropped first when a queue is full.</param>
/// <param name="Timestamp">When the event happened.</param>
/// <param name="UserId">Signed-in user id, if any.</param>
/// <param name="AnonymousId">Anonymous/device id, if any.</param>
/// <param name="Json">UTF-8 JSON object: envelope and properties.</param>
public readonly record struct OutgoingEvent(Guid EventId, string Name, EventTier Tier, DateTimeOffset Timestamp, string? UserId, string? AnonymousId, ReadOnlyMemory<byte> Json);

/// <summary>What happened to a batch.</summary>
public enum SinkOutcome
{
    /// <summary>Accepted (all events, or all not listed in <see cref="SinkResult.Rejected"/>).</summary>
    Delivered,
    /// <summary>Transient failure (429, 5xx, timeout, network): retry the whole batch later.</summary>
    RetryLater,
    /// <summary>The request was too large (413): split the batch and retry the halves.</summary>
    TooLarge,
    /// <summary>Permanent failure for the whole batch (bad credentials, malformed request): drop and count.</summary>
    Rejected,
}

/// <summary>An event the provider rejected permanently, with its reason.</summary>
public sealed record RejectedEvent(Guid EventId, string Reason);

/// <summary>The result of <see cref="ITelemetrySink.SendAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="RetryAfter">Server-requested delay (Retry-After), if any.</param>
/// <param name="Rejected">Events permanently rejected (never resent, whatever the outcome: the pipeline drops and counts them, then retries or splits only the rest).</param>
/// <param name="Detail">Status code and reason, for logs.</param>
/// <param name="AggregationWindowOverride">The server's X-AGG-WINDOW-OVERRIDE, if it sent one.</param>
/// <param name="StatusCode">The HTTP status the provider answered, when it answered (null for network failures, timeouts and
/// sinks that are not HTTP). The pipeline looks for repeated 5xx answers to find poison events.</param>
public sealed record SinkResult(SinkOutcome Outcome, TimeSpan? RetryAfter = null, IReadOnlyList<RejectedEvent>? Rejected = null, string? Detail = null, TimeSpan? AggregationWindowOverride = null, int? StatusCode = null)
{
    /// <summary>All delivered.</summary>
    public static SinkResult Success { get; } = new(SinkOutcome.Delivered);

    /// <summary>True when the provider answered with a server error (5xx).</summary>
    public bool IsServerError => StatusCode is >= 500 and <= 599;
}
