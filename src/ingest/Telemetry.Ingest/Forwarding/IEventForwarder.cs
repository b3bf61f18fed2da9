using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Forwarding;

/// <summary>Takes committed events for delivery to a provider (at least once; providers dedupe by event id).</summary>
public interface IEventForwarder
{
    /// <summary>Hands events over for delivery. Returns once they are in the forwarding queue.</summary>
    Task EnqueueAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>Events waiting for delivery.</summary>
    long QueueDepth { get; }

    /// <summary>The sink's name (<c>segment</c>, <c>amplitude</c>, ...).</summary>
    string SinkName { get; }

    /// <summary>
    /// Removes every queued event whose user_id or anonymous_id is <paramref name="userId"/> (GDPR erasure), waiting for a
    /// send in progress to settle first, so none of them reaches the provider afterwards. Returns the events removed.
    /// </summary>
    Task<long> EraseUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Tries to deliver everything queued now; returns when the queue is empty, delivery is backing off, or the token fires.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
