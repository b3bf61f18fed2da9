using System;
using System.Diagnostics;
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
/// A batch the sink keeps answering with 5xx (<see cref="TelemetryOptions.PoisonBatchThreshold"/> times in a row) is
/// bisected like a too-large one to find the poison event(s): those are dropped (<c>poison</c>) once the sink has
/// accepted other parts, and the rest is delivered; when every part fails the sink is down, nothing is dropped.
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
    private readonly int _poisonThreshold;
    /// <summary>Most events remembered as possibly ingested-but-unanswered (beyond it, resends go uncounted).</summary>
    private const int MaxUncertain = 100_000;

    private readonly Dictionary<Guid, ResendReason> _uncertain = new();
    private readonly Stack<List<Guid>> _freeIds = new();
    private readonly List<Guid> _inFlightIds = new();
    private OutgoingEvent[] _lent = Array.Empty<OutgoingEvent>();

    /// <summary>The sink reads a batch during its send alone (<see cref="ITelemetrySink.ReadsBatchOnlyDuringSend"/>): it borrows the queue's memory.</summary>
    private readonly bool _lend;
    private readonly InFlightJournal? _inFlight;
    private DateTimeOffset _nextExpiryCheck = DateTimeOffset.MinValue;
    private int _serverErrorStreak;

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
        _lend = sink.ReadsBatchOnlyDuringSend;
        _queue = queue;
        _retry = retry;
        _batchSize = Math.Max(1, sink.MaxBatchSize > 0 ? Math.Min(options.MaxBatchSize, sink.MaxBatchSize) : options.MaxBatchSize);
        _maxBatchBytes = options.MaxBatchBytes;
        _sendTimeout = options.SendTimeout;
        _maxEventAge = options.MaxEventAge;
        _poisonThreshold = options.PoisonBatchThreshold;
        _isSubjectAllowed = isSubjectAllowed;
        _onWindowOverride = onWindowOverride;
        _counters = counters;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    /// <summary>
    /// The in-flight journal next to a durable queue: events it still names from the previous run are counted as
    /// <see cref="ResendReason.CrashReplay"/> when they are sent again.
    /// </summary>
    public InFlightJournal? InFlight
    {
        get => _inFlight;
        init
        {
            _inFlight = value;
            if (value is null || value.Recovered.Count == 0) return;
            foreach (var id in value.Recovered) Remember(id, ResendReason.CrashReplay);
            Log.CrashReplayPending(_logger, value.Recovered.Count);
        }
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

        // The lease is ended (and its list reused) before this returns: its size is taken now.
        var leasedCount = leased.Count;

        var tally = new Tally(leased, this);
        try
        {
            // Consecutive events mostly share their subject (the same string): one consent lookup per run of them.
            IReadOnlyList<QueuedEvent> allowed = leased;
            List<QueuedEvent>? kept = null;
            List<Guid>? purged = null;
            string? lastSubject = null;
            var lastAllowed = false;
            for (var i = 0; i < leased.Count; i++)
            {
                var e = leased[i];
                if (!ReferenceEquals(e.Subject, lastSubject))
                {
                    lastSubject = e.Subject;
                    lastAllowed = _isSubjectAllowed(e.Subject);
                }

                if (lastAllowed)
                {
                    kept?.Add(e);
                    continue;
                }

                if (kept is null)
                {
                    kept = new List<QueuedEvent>(leased.Count);
                    for (var k = 0; k < i; k++) kept.Add(leased[k]);
                }

                (purged ??= RentIds()).Add(e.Event.EventId);
                _counters.AddDropped(DropReason.Consent, e.Event.Tier);
                tally.Dropped++;
            }

            if (kept is not null) allowed = kept;

            if (purged is not null) Settle(purged, tally, complete: true);
            if (allowed.Count > 1 && _poisonThreshold > 0 && _serverErrorStreak >= _poisonThreshold)
            {
                await BisectAsync(allowed, tally, cancellationToken).ConfigureAwait(false);
            }
            else if (allowed.Count > 0)
            {
                await SendAsync(allowed, tally, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Cancelled mid-send (shutdown): whatever was not settled stays queued for the next run.
            if (tally.HasOutstanding) _queue.Release(tally.Outstanding());

            // The queue may reuse the leased events' memory only when the sink reads a batch during its send alone and
            // no send was abandoned while the sink might still be reading (it ignored its timeout). Otherwise the lease
            // is never ended: the memory stays the events' for as long as anything holds them.
            if (_lend && !tally.LentBatchAbandoned) _queue.EndLease(leased);
            tally.ReturnIdLists();
        }

        // Only an unbroken run of 5xx answers leads to a bisection; a bisection (whatever it found) starts a new run.
        _serverErrorStreak = tally.Bisected ? 0 : tally.RetryLater && tally.ServerError ? _serverErrorStreak + 1 : 0;

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

        return new DispatchResult(leasedCount, tally.Sent, tally.Dropped + expired, tally.Retried, delay);
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
        var result = await InvokeSinkAsync(batch, cancellationToken, tally).ConfigureAwait(false);
        return await SettleResultAsync(batch, result, tally, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Looks for the poison event(s) in a batch the sink keeps answering with 5xx: sends halves, and halves of failing
    /// halves, down to single events; parts the sink takes are settled as usual. A single event that fails alone is a
    /// suspect; suspects are dropped as poison only when the sink accepted some other part (so it is up) and each
    /// fails once more on its own. Without such evidence (every part failed: the sink is down) nothing is dropped and
    /// the rest is retried later; a search that fails blindly more than log2(n) + 2 times gives up early.
    /// </summary>
    private async Task BisectAsync(IReadOnlyList<QueuedEvent> batch, Tally tally, CancellationToken cancellationToken)
    {
        Log.PoisonSearch(_logger, _sink.Name, _poisonThreshold, batch.Count);
        tally.Bisected = true;
        var search = new PoisonSearch((int)Math.Ceiling(Math.Log2(batch.Count)) + 2);
        var half = batch.Count / 2;
        var completed = await ProbeAsync(Slice(batch, 0, half), tally, search, cancellationToken).ConfigureAwait(false)
            && await ProbeAsync(Slice(batch, half, batch.Count - half), tally, search, cancellationToken).ConfigureAwait(false);
        if (completed && search.Delivered && search.Suspects.Count > 0)
        {
            // Each suspect alone once more: a sink that was briefly down cannot make a healthy event look poisoned.
            var poison = new List<QueuedEvent>();
            foreach (var suspect in search.Suspects)
            {
                var single = new[] { suspect };
                var result = await InvokeSinkAsync(single, cancellationToken, tally).ConfigureAwait(false);
                if (result.Outcome == SinkOutcome.RetryLater && result.IsServerError && result.Rejected is not { Count: > 0 })
                {
                    poison.Add(suspect);
                    continue;
                }

                if (!await SettleResultAsync(single, result, tally, cancellationToken).ConfigureAwait(false))
                {
                    completed = false;
                    break;
                }
            }

            if (poison.Count > 0)
            {
                foreach (var e in poison) _counters.AddDropped(DropReason.Poison, e.Event.Tier);
                tally.Dropped += poison.Count;
                Settle(Ids(poison), tally, complete: true);
                var names = new List<string>();
                foreach (var e in poison)
                {
                    if (names.Count == 5) break;
                    names.Add(e.Event.Name + " " + e.Event.EventId.ToString("D"));
                }

                Log.PoisonDropped(_logger, poison.Count, string.Join(", ", names), _sink.Name);
            }
        }

        if (!completed || !search.Delivered)
        {
            // The sink is down (or asked to wait): whatever is not settled stays queued and is retried after a delay.
            tally.RetryLater = true;
            var outstanding = tally.Outstanding().Count;
            tally.Retried += outstanding;
            _counters.AddRetried(outstanding);
            tally.Detail ??= "5xx for every part of the batch; the sink looks down, nothing dropped";
        }
    }

    /// <summary>One step of <see cref="BisectAsync"/>; false stops the search (retry later).</summary>
    private async Task<bool> ProbeAsync(IReadOnlyList<QueuedEvent> part, Tally tally, PoisonSearch search, CancellationToken cancellationToken)
    {
        if (part.Count == 0) return true;
        var result = await InvokeSinkAsync(part, cancellationToken, tally).ConfigureAwait(false);
        if (result.Outcome != SinkOutcome.RetryLater || !result.IsServerError)
        {
            var sent = tally.Sent;
            var go = await SettleResultAsync(part, result, tally, cancellationToken).ConfigureAwait(false);
            if (tally.Sent > sent) search.Delivered = true;
            return go;
        }

        if (result.AggregationWindowOverride is { } window) _onWindowOverride(window);
        if (result.Rejected is { Count: > 0 })
        {
            part = DropRejected(part, result, tally);
            if (part.Count == 0) return true;
        }

        if (!search.Delivered && ++search.BlindFailures > search.MaxBlindFailures) return false;
        if (part.Count == 1)
        {
            search.Suspects.Add(part[0]);
            return true;
        }

        var half = part.Count / 2;
        return await ProbeAsync(Slice(part, 0, half), tally, search, cancellationToken).ConfigureAwait(false)
            && await ProbeAsync(Slice(part, half, part.Count - half), tally, search, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Settles <paramref name="batch"/> by the sink's <paramref name="result"/>; false when the sink asked to retry.</summary>
    private async Task<bool> SettleResultAsync(IReadOnlyList<QueuedEvent> batch, SinkResult result, Tally tally, CancellationToken cancellationToken)
    {
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
                tally.ServerError = result.IsServerError;
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

    private async Task<SinkResult> InvokeSinkAsync(IReadOnlyList<QueuedEvent> batch, CancellationToken cancellationToken, Tally tally)
    {
        // A sink that reads its batch during the send only gets it in an array reused for every send; any other sink
        // gets an array of its own, which it may keep (the lease is then never ended, so the bytes stay valid too).
        if (_lend && _lent.Length < batch.Count) _lent = new OutgoingEvent[Math.Max(batch.Count, _lent.Length * 2)];
        var array = _lend ? _lent : new OutgoingEvent[batch.Count];
        for (var i = 0; i < batch.Count; i++) array[i] = batch[i].Event;

        var outgoing = new ArraySegment<OutgoingEvent>(array, 0, batch.Count);
        CountResends(outgoing);
        var attempt = new SendAttempt();
        SinkHttp.Attempt.Value = attempt;
        if (_inFlight is not null)
        {
            _inFlightIds.Clear();
            foreach (var e in outgoing) _inFlightIds.Add(e.EventId);
            _inFlight.Begin(_inFlightIds);
        }

        var started = _time.GetTimestamp();
        SinkResult result;
        using var activity = TelemetryTracing.Source.StartActivity(TelemetryTracing.DeliveryActivityName, ActivityKind.Client);
        activity?.SetTag("telemetry.sink", _sink.Name);
        activity?.SetTag("telemetry.batch.size", batch.Count);
        using var timeout = new CancellationTokenSource(_sendTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // WaitAsync also bounds a sink that ignores its token; a late answer is ignored and the batch resent (same ids).
            var send = _sink.SendAsync(outgoing, linked.Token);
            result = send.IsCompletedSuccessfully ? send.Result : await send.AsTask().WaitAsync(_sendTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (_lend) Abandon(tally);
            throw;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (_lend) Abandon(tally);
            attempt.Uncertain(ResendReason.Timeout);
            Log.SinkFailed(_logger, null, _sink.Name, "timeout after " + _sendTimeout);
            result = new SinkResult(SinkOutcome.RetryLater, Detail: "timeout");
        }
        catch (Exception ex)
        {
            // The contract says sinks report failures in the result; one that throws is treated as transient.
            Log.SinkFailed(_logger, ex, _sink.Name, ex.GetType().Name);
            result = new SinkResult(SinkOutcome.RetryLater, Detail: ex.GetType().Name);
        }

        _inFlight?.End();
        if (result.Outcome == SinkOutcome.RetryLater && attempt.Reason is { } uncertain) RememberUncertain(outgoing, result, uncertain);
        var elapsed = _time.GetElapsedTime(started);
        _metrics?.RecordBatch(elapsed, OutcomeTag(result.Outcome), _sink.Name);
        if (activity is not null)
        {
            activity.SetTag("telemetry.outcome", OutcomeTag(result.Outcome));
            if (result.Outcome != SinkOutcome.Delivered) activity.SetStatus(ActivityStatusCode.Error, result.Detail);
        }

        if (result.Outcome == SinkOutcome.Delivered) Log.BatchDelivered(_logger, batch.Count, _sink.Name, elapsed);
        if (_lend && !tally.LentBatchAbandoned) Array.Clear(array, 0, batch.Count);
        return result;
    }

    /// <summary>
    /// A sink that borrows its batch did not finish in time and may still read it: neither the array it got nor the
    /// queue's memory under it is reused.
    /// </summary>
    private void Abandon(Tally tally)
    {
        tally.LentBatchAbandoned = true;
        _lent = Array.Empty<OutgoingEvent>();
    }

    /// <summary>Counts the events of this send that an earlier attempt may already have delivered.</summary>
    private void CountResends(ArraySegment<OutgoingEvent> outgoing)
    {
        if (_uncertain.Count == 0) return;
        foreach (var e in outgoing)
        {
            if (_uncertain.Remove(e.EventId, out var reason)) _counters.AddResent(reason);
        }
    }

    /// <summary>The events of a retried send whose request may have been ingested: their next send is a resend.</summary>
    private void RememberUncertain(ArraySegment<OutgoingEvent> outgoing, SinkResult result, ResendReason reason)
    {
        HashSet<Guid>? rejected = null;
        if (result.Rejected is { Count: > 0 } list)
        {
            rejected = new HashSet<Guid>();
            foreach (var r in list) rejected.Add(r.EventId);
        }

        foreach (var e in outgoing)
        {
            if (rejected is null || !rejected.Contains(e.EventId)) Remember(e.EventId, reason);
        }
    }

    private void Remember(Guid id, ResendReason reason)
    {
        if (_uncertain.Count < MaxUncertain || _uncertain.ContainsKey(id)) _uncertain[id] = reason;
    }

    private void Settle(List<Guid> ids, Tally tally, bool complete)
    {
        if (complete)
        {
            _queue.Complete(ids);
            if (_uncertain.Count > 0) foreach (var id in ids) _uncertain.Remove(id);
        }
        else
        {
            _queue.Release(ids);
        }

        tally.Settled(ids);
    }

    private List<Guid> Ids(IReadOnlyList<QueuedEvent> batch)
    {
        var ids = RentIds();
        foreach (var e in batch) ids.Add(e.Event.EventId);
        return ids;
    }

    /// <summary>An empty id list, reused across dispatches (the queue reads the ids during the call only).</summary>
    private List<Guid> RentIds() => _freeIds.TryPop(out var ids) ? ids : new List<Guid>();

    private void ReturnIds(List<Guid> ids)
    {
        if (_freeIds.Count >= 8 || ids.Capacity > 4096) return;
        ids.Clear();
        _freeIds.Push(ids);
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

    private sealed class Tally(IReadOnlyList<QueuedEvent> leased, EventDispatcher owner)
    {
        // The id lists settled so far (each event is settled at most once): no per-event set while all goes well.
        private readonly List<List<Guid>> _settled = new(2);
        private int _settledCount;

        /// <summary>Some leased event is not settled yet (the common single answer settles them all).</summary>
        public bool HasOutstanding => _settledCount < leased.Count && Outstanding().Count > 0;

        public void Settled(List<Guid> ids)
        {
            _settled.Add(ids);
            _settledCount += ids.Count;
        }

        /// <summary>A sink that borrows its batch timed out and may still read it.</summary>
        public bool LentBatchAbandoned { get; set; }

        /// <summary>Hands the settled id lists back for the next dispatch.</summary>
        public void ReturnIdLists()
        {
            foreach (var ids in _settled) owner.ReturnIds(ids);
            _settled.Clear();
        }

        /// <summary>The leased events not settled yet, in lease order.</summary>
        public List<Guid> Outstanding()
        {
            var settled = new HashSet<Guid>();
            foreach (var ids in _settled) settled.UnionWith(ids);
            var outstanding = new List<Guid>();
            foreach (var e in leased)
            {
                if (!settled.Contains(e.Event.EventId)) outstanding.Add(e.Event.EventId);
            }

            return outstanding;
        }

        public int Sent { get; set; }

        public int Dropped { get; set; }

        public int Retried { get; set; }

        public bool RetryLater { get; set; }

        public TimeSpan? RetryAfter { get; set; }

        public string? Detail { get; set; }

        /// <summary>The answer that asked to retry was a 5xx.</summary>
        public bool ServerError { get; set; }

        /// <summary>This dispatch bisected the batch to look for poison events.</summary>
        public bool Bisected { get; set; }
    }

    private sealed class PoisonSearch
    {
        public PoisonSearch(int maxBlindFailures) => MaxBlindFailures = maxBlindFailures;

        public int MaxBlindFailures { get; }

        public int BlindFailures { get; set; }

        /// <summary>The sink accepted some part: it is up, so parts that keep failing hold poison.</summary>
        public bool Delivered { get; set; }

        public List<QueuedEvent> Suspects { get; } = new();
    }
}
