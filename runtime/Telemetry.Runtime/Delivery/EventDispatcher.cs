using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The delivery stage: leases a batch from the offline queue, sends it through the sink with a
/// timeout, and settles every event by the sink's answer. Delivered and permanently rejected
/// events are deleted (rejected ones counted with their reason, never retried); a too-large batch
/// is split in halves down to single events (a single too-large event is dropped and counted);
/// anything transient (429, 5xx, timeout, refused connection, a sink that throws) returns the batch
/// to the queue and yields a delay: the server's Retry-After, else backoff with full jitter.
/// One batch at a time, so no event is ever in two requests at once.
/// </summary>
internal sealed class EventDispatcher
{
    private static readonly TimeSpan ExpiryCheckInterval = TimeSpan.FromMinutes(1);

    private readonly ITelemetrySink _sink;
    private readonly IOfflineQueue _queue;
    private readonly RetryPolicy _retry;
    private readonly int _batchSize;
    private readonly long _maxBatchBytes;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeSpan _maxEventAge;
    private readonly Func<string, bool> _isSubjectAllowed;
    private readonly Action<TimeSpan> _onWindowOverride;
    private readonly PipelineCounters _counters;
    private readonly TelemetryMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private DateTimeOffset _nextExpiryCheck = DateTimeOffset.MinValue;

    public EventDispatcher(
        ITelemetrySink sink,
        IOfflineQueue queue,
        RetryPolicy retry,
        TelemetryOptions options,
        Func<string, bool> isSubjectAllowed,
        Action<TimeSpan> onWindowOverride,
        PipelineCounters counters,
        TelemetryMetrics? metrics,
        ILogger logger,
        TimeProvider time)
    {
        _sink = sink;
        _queue = queue;
        _retry = retry;
        _batchSize = Math.Max(1, sink.MaxBatchSize > 0 ? Math.Min(options.MaxBatchSize, sink.MaxBatchSize) : options.MaxBatchSize);
        _maxBatchBytes = options.MaxBatchBytes;
        _sendTimeout = options.SendTimeout;
        _maxEventAge = options.MaxEventAge;
        _isSubjectAllowed = isSubjectAllowed;
        _onWindowOverride = onWindowOverride;
        _counters = counters;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    /// <summary>Most events per request: the smaller of the options' and the sink's limit.</summary>
    public int BatchSize => _batchSize;

    /// <summary>Failed attempts in a row (0 after any attempt the sink answered for good).</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>When the sink last confirmed at least one event (null: never in this process).</summary>
    public DateTimeOffset? LastSuccessfulDelivery { get; private set; }

    /// <summary>Sends one batch (split as needed) and settles it.</summary>
    public async Task<DispatchResult> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var expired = DropExpired();
        var leased = _queue.Lease(_batchSize, _maxBatchBytes);
        if (leased.Count == 0) return new DispatchResult(0, 0, expired, 0, null);

        var tally = new Tally();
        foreach (var e in leased) tally.Outstanding.Add(e.Event.EventId);
        try
        {
            var allowed = new List<QueuedEvent>(leased.Count);
            List<Guid>? purged = null;
            foreach (var e in leased)
            {
                if (_isSubjectAllowed(e.Subject))
                {
                    allowed.Add(e);
                    continue;
                }

                (purged ??= new List<Guid>()).Add(e.Event.EventId);
                _counters.AddDropped(DropReason.Consent, e.Event.Tier);
                tally.Dropped++;
            }

            if (purged is not null) Settle(purged, tally, complete: true);
            if (allowed.Count > 0) await SendAsync(allowed, tally, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Cancelled mid-send (shutdown): whatever was not settled stays queued for the next run.
            if (tally.Outstanding.Count > 0) _queue.Release(new List<Guid>(tally.Outstanding));
        }

        if (tally.Sent > 0) LastSuccessfulDelivery = _time.GetUtcNow();
        TimeSpan? delay = null;
        if (tally.RetryLater)
        {
            ConsecutiveFailures++;
            delay = _retry.NextDelay(ConsecutiveFailures, tally.RetryAfter);
            Log.BatchRetry(_logger, _sink.Name, tally.Retried, tally.Detail ?? "retry later", delay.Value, ConsecutiveFailures);
        }
        else
        {
            ConsecutiveFailures = 0;
        }

        return new DispatchResult(leased.Count, tally.Sent, tally.Dropped + expired, tally.Retried, delay);
    }

    private int DropExpired()
    {
        var now = _time.GetUtcNow();
        if (now < _nextExpiryCheck) return 0;
        _nextExpiryCheck = now + ExpiryCheckInterval;
        var removed = _queue.RemoveOlderThan(now - _maxEventAge);
        if (removed.Total == 0) return 0;
        for (var tier = EventTier.A; tier <= EventTier.C; tier++) _counters.AddDropped(DropReason.Expired, tier, removed[tier]);
        Log.EventsExpired(_logger, removed.Total, _maxEventAge);
        return removed.Total;
    }

    /// <summary>Sends <paramref name="batch"/>; false when the sink asked to retry (the caller stops sending).</summary>
    private async Task<bool> SendAsync(IReadOnlyList<QueuedEvent> batch, Tally tally, CancellationToken cancellationToken)
    {
        var result = await InvokeSinkAsync(batch, cancellationToken).ConfigureAwait(false);
        if (result.AggregationWindowOverride is { } window) _onWindowOverride(window);

        // Events a sink rejected permanently are never resent, whatever the batch's outcome (e.g. Amplitude's
        // daily-quota users inside a 429): drop and count them, then retry or split only the rest.
        if (result.Outcome is SinkOutcome.RetryLater or SinkOutcome.TooLarge && result.Rejected is { Count: > 0 })
        {
            batch = DropRejected(batch, result, tally);
            if (batch.Count == 0) return true;
        }

        switch (result.Outcome)
        {
            case SinkOutcome.Delivered:
                SettleDelivered(batch, result, tally);
                return true;

            case SinkOutcome.Rejected:
                foreach (var e in batch) _counters.AddDropped(DropReason.Rejected, e.Event.Tier);
                tally.Dropped += batch.Count;
                Settle(Ids(batch), tally, complete: true);
                Log.EventsRejected(_logger, _sink.Name, batch.Count, result.Detail ?? "rejected");
                return true;

            case SinkOutcome.TooLarge when batch.Count == 1:
                _counters.AddDropped(DropReason.TooLarge, batch[0].Event.Tier);
                tally.Dropped++;
                Settle(Ids(batch), tally, complete: true);
                Log.EventTooLarge(_logger, batch[0].Event.Name, batch[0].Bytes, _sink.Name);
                return true;

            case SinkOutcome.TooLarge:
                Log.BatchSplit(_logger, _sink.Name, batch.Count);
                var half = batch.Count / 2;
                var first = Slice(batch, 0, half);
                var second = Slice(batch, half, batch.Count - half);
                if (!await SendAsync(first, tally, cancellationToken).ConfigureAwait(false))
                {
                    Settle(Ids(second), tally, complete: false);
                    return false;
                }

                return await SendAsync(second, tally, cancellationToken).ConfigureAwait(false);

            default:
                _counters.AddRetried(batch.Count);
                tally.Retried += batch.Count;
                tally.RetryLater = true;
                if (result.RetryAfter is { } after && (tally.RetryAfter is null || after > tally.RetryAfter)) tally.RetryAfter = after;
                tally.Detail = result.Detail;
                Settle(Ids(batch), tally, complete: false);
                return false;
        }
    }

    private IReadOnlyList<QueuedEvent> DropRejected(IReadOnlyList<QueuedEvent> batch, SinkResult result, Tally tally)
    {
        var rejected = new HashSet<Guid>();
        foreach (var r in result.Rejected!) rejected.Add(r.EventId);
        var keep = new List<QueuedEvent>(batch.Count);
        var dropped = new List<QueuedEvent>();
        foreach (var e in batch) (rejected.Contains(e.Event.EventId) ? dropped : keep).Add(e);
        if (dropped.Count == 0) return batch;
        foreach (var e in dropped) _counters.AddDropped(DropReason.Rejected, e.Event.Tier);
        tally.Dropped += dropped.Count;
        Settle(Ids(dropped), tally, complete: true);
        Log.EventsRejected(_logger, _sink.Name, dropped.Count, result.Rejected![0].Reason);
        return keep;
    }

    private void SettleDelivered(IReadOnlyList<QueuedEvent> batch, SinkResult result, Tally tally)
    {
        HashSet<Guid>? rejected = null;
        if (result.Rejected is { Count: > 0 } list)
        {
            rejected = new HashSet<Guid>();
            foreach (var r in list) rejected.Add(r.EventId);
        }

        var rejectedCount = 0;
        foreach (var e in batch)
        {
            if (rejected is not null && rejected.Contains(e.Event.EventId))
            {
                rejectedCount++;
                _counters.AddDropped(DropReason.Rejected, e.Event.Tier);
            }
        }

        var sent = batch.Count - rejectedCount;
        _counters.AddSent(sent);
        tally.Sent += sent;
        tally.Dropped += rejectedCount;
        Settle(Ids(batch), tally, complete: true);
        if (rejectedCount > 0)
        {
            var reasons = new List<string>();
            foreach (var r in result.Rejected!)
            {
                if (reasons.Count == 3) break;
                reasons.Add(r.Reason);
            }

            Log.EventsRejected(_logger, _sink.Name, rejectedCount, string.Join("; ", reasons));
        }
    }

    private async Task<SinkResult> InvokeSinkAsync(IReadOnlyList<QueuedEvent> batch, CancellationToken cancellationToken)
    {
        var outgoing = new OutgoingEvent[batch.Count];
        for (var i = 0; i < batch.Count; i++) outgoing[i] = batch[i].Event;
        var started = _time.GetTimestamp();
        SinkResult result;
        using var timeout = new CancellationTokenSource(_sendTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // WaitAsync also bounds a sink that ignores its token; a late answer is ignored and the batch resent (same ids).
            result = await _sink.SendAsync(outgoing, linked.Token).AsTask().WaitAsync(_sendTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            Log.SinkFailed(_logger, null, _sink.Name, "timeout after " + _sendTimeout);
            result = new SinkResult(SinkOutcome.RetryLater, Detail: "timeout");
        }
        catch (Exception ex)
        {
            // The contract says sinks report failures in the result; one that throws is treated as transient.
            Log.SinkFailed(_logger, ex, _sink.Name, ex.GetType().Name);
            result = new SinkResult(SinkOutcome.RetryLater, Detail: ex.GetType().Name);
        }

        var elapsed = _time.GetElapsedTime(started);
        _metrics?.RecordBatch(elapsed, OutcomeTag(result.Outcome), _sink.Name);
        if (result.Outcome == SinkOutcome.Delivered) Log.BatchDelivered(_logger, batch.Count, _sink.Name, elapsed);
        return result;
    }

    private void Settle(List<Guid> ids, Tally tally, bool complete)
    {
        if (complete) _queue.Complete(ids);
        else _queue.Release(ids);
        foreach (var id in ids) tally.Outstanding.Remove(id);
    }

    private static List<Guid> Ids(IReadOnlyList<QueuedEvent> batch)
    {
        var ids = new List<Guid>(batch.Count);
        foreach (var e in batch) ids.Add(e.Event.EventId);
        return ids;
    }

    private static QueuedEvent[] Slice(IReadOnlyList<QueuedEvent> batch, int start, int count)
    {
        var slice = new QueuedEvent[count];
        for (var i = 0; i < count; i++) slice[i] = batch[start + i];
        return slice;
    }

    private static string OutcomeTag(SinkOutcome outcome) => outcome switch
    {
        SinkOutcome.Delivered => "delivered",
        SinkOutcome.RetryLater => "retry_later",
        SinkOutcome.TooLarge => "too_large",
        SinkOutcome.Rejected => "rejected",
        _ => "unknown",
    };

    private sealed class Tally
    {
        public HashSet<Guid> Outstanding { get; } = new();

        public int Sent { get; set; }

        public int Dropped { get; set; }

        public int Retried { get; set; }

        public bool RetryLater { get; set; }

        public TimeSpan? RetryAfter { get; set; }

        public string? Detail { get; set; }
    }
}
