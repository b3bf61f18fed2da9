using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// The durable store between serialisation and delivery. Events are written before any send and
/// removed only when the sink confirmed them (or they were dropped for a counted reason), so a
/// crash at any point replays them with the same event ids: at-least-once delivery.
/// Implementations are thread-safe.
/// </summary>
public interface IOfflineQueue : IDisposable
{
    /// <summary>For logs: <c>sqlite:/path</c> or <c>memory</c>.</summary>
    string Description { get; }

    /// <summary>The bounds.</summary>
    QueueLimits Limits { get; }

    /// <summary>Events stored (leased ones included).</summary>
    long Count { get; }

    /// <summary>Payload bytes stored.</summary>
    long Bytes { get; }

    /// <summary>When the oldest stored event happened (null when empty or unknown); the health check reads it.</summary>
    DateTimeOffset? OldestEventTimestamp => null;

    /// <summary>
    /// Stores <paramref name="events"/>, dropping lower tiers first (never leased events) when a bound would be passed.
    /// The events' <see cref="OutgoingEvent.Json"/> is valid only during the call (the pipeline reuses its buffers):
    /// a queue copies the bytes it keeps.
    /// </summary>
    QueueAppendResult Append(IReadOnlyList<QueuedEvent> events);

    /// <summary>
    /// Leases the oldest unleased events, at most <paramref name="maxEvents"/> and <paramref name="maxBytes"/> (always at
    /// least one when any is waiting). Their <see cref="OutgoingEvent.Json"/> stays valid until <see cref="EndLease"/>
    /// is called with the returned list (or, if it never is, for as long as the caller holds it).
    /// </summary>
    IReadOnlyList<QueuedEvent> Lease(int maxEvents, long maxBytes);

    /// <summary>
    /// Ends a lease: the caller settled every event of <paramref name="leased"/> (<see cref="Complete"/> or
    /// <see cref="Release"/>) and reads neither the list nor the events' bytes again, so a queue that lends its own
    /// buffers may reuse them. A queue that does not lend has nothing to do.
    /// </summary>
    void EndLease(IReadOnlyList<QueuedEvent> leased)
    {
    }

    /// <summary>Deletes events for good: the sink confirmed them, or they were dropped for a counted reason.</summary>
    void Complete(IReadOnlyCollection<Guid> eventIds);

    /// <summary>Returns leased events to the queue, to be sent again later.</summary>
    void Release(IReadOnlyCollection<Guid> eventIds);

    /// <summary>
    /// Deletes every event of <paramref name="subject"/> (consent withdrawn, erasure), leased ones too. A
    /// durable queue removes them physically: no copy stays readable in its files once this returns.
    /// </summary>
    TierCounts Purge(string subject);

    /// <summary>
    /// Deletes every event whose subject, <see cref="OutgoingEvent.UserId"/> or <see cref="OutgoingEvent.AnonymousId"/>
    /// is <paramref name="id"/> (an erasure request names a person by any of their ids), physically like <see cref="Purge"/>.
    /// </summary>
    TierCounts PurgeIdentity(string id);

    /// <summary>Every event of <paramref name="subject"/> held now (leased ones too), oldest first: the user's own copy, in memory of its own.</summary>
    IReadOnlyList<QueuedEvent> Export(string subject);

    /// <summary>Deletes unleased events that happened before <paramref name="cutoff"/>.</summary>
    TierCounts RemoveOlderThan(DateTimeOffset cutoff);
}
