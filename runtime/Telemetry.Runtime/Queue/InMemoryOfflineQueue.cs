using System;
using System.Collections.Generic;
using System.Linq;

namespace Telemetry.Runtime;

/// <summary>
/// An offline queue in process memory, with the same bounds, drop policy and lease rules as
/// <see cref="SqliteOfflineQueue"/>. Nothing survives the process: use it in tests, or where no
/// per-user folder exists (the pipeline then logs that events may be lost on exit).
/// </summary>
public sealed class InMemoryOfflineQueue : IOfflineQueue
{
    private readonly object _gate = new();
    private readonly SortedDictionary<long, QueuedEvent> _events = new();
    private readonly Dictionary<Guid, long> _seqById = new();
    private readonly HashSet<long> _leased = new();
    private long _nextSeq;
    private long _bytes;

    // Write-through seam (a store that mirrors the queue, e.g. IndexedDB in a browser): told, inside the lock and in
    // order, which events each call stored and which it removed. Leases are not mirrored: they end with the process.
    private readonly IOfflineQueueObserver? _observer;
    private List<Guid>? _removedByCall;

    /// <summary>Creates an empty queue with <paramref name="limits"/> (default <see cref="QueueLimits.Default"/>).</summary>
    public InMemoryOfflineQueue(QueueLimits? limits = null) => Limits = (limits ?? QueueLimits.Default).Validate();

    /// <summary>Creates an empty queue whose changes <paramref name="observer"/> mirrors.</summary>
    internal InMemoryOfflineQueue(QueueLimits? limits, IOfflineQueueObserver observer)
        : this(limits) => _observer = observer;

    /// <inheritdoc/>
    public string Description => "memory";

    /// <inheritdoc/>
    public QueueLimits Limits { get; }

    /// <inheritdoc/>
    public long Count
    {
        get
        {
            lock (_gate) return _events.Count;
        }
    }

    /// <inheritdoc/>
    public long Bytes
    {
        get
        {
            lock (_gate) return _bytes;
        }
    }

    /// <inheritdoc/>
    public DateTimeOffset? OldestEventTimestamp
    {
        get
        {
            lock (_gate)
            {
                DateTimeOffset? oldest = null;
                foreach (var e in _events.Values)
                {
                    if (oldest is null || e.Event.Timestamp < oldest) oldest = e.Event.Timestamp;
                }

                return oldest;
            }
        }
    }

    /// <inheritdoc/>
    public QueueAppendResult Append(IReadOnlyList<QueuedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            var plan = TierEvictionPlanner.Make(Limits, _events.Count, _bytes, events, StoredOldestFirst);
            BeginRemovals();
            if (plan is not null)
            {
                foreach (var seq in plan.EvictStored) Remove(seq);
            }

            var stored = _observer is null ? null : new List<QueuedEvent>(events.Count);
            var appended = 0;
            for (var i = 0; i < events.Count; i++)
            {
                if (plan is not null && plan.SkipIncoming.Contains(i)) continue;
                var e = events[i];
                if (_seqById.ContainsKey(e.Event.EventId)) continue;
                var seq = _nextSeq++;
                _events.Add(seq, e);
                _seqById.Add(e.Event.EventId, seq);
                _bytes += e.Bytes;
                stored?.Add(e);
                appended++;
            }

            EndRemovals();
            if (stored is { Count: > 0 }) _observer!.Stored(stored);
            return new QueueAppendResult(appended, plan?.Dropped ?? default);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<QueuedEvent> Lease(int maxEvents, long maxBytes)
    {
        var leased = new List<QueuedEvent>();
        lock (_gate)
        {
            long bytes = 0;
            foreach (var pair in _events)
            {
                if (leased.Count >= maxEvents) break;
                if (_leased.Contains(pair.Key)) continue;
                if (leased.Count > 0 && bytes + pair.Value.Bytes > maxBytes) break;
                leased.Add(pair.Value);
                bytes += pair.Value.Bytes;
                _leased.Add(pair.Key);
            }
        }

        return leased;
    }

    /// <inheritdoc/>
    public void Complete(IReadOnlyCollection<Guid> eventIds)
    {
        lock (_gate)
        {
            BeginRemovals();
            foreach (var id in eventIds)
            {
                if (_seqById.TryGetValue(id, out var seq)) Remove(seq);
            }

            EndRemovals();
        }
    }

    /// <inheritdoc/>
    public void Release(IReadOnlyCollection<Guid> eventIds)
    {
        lock (_gate)
        {
            foreach (var id in eventIds)
            {
                if (_seqById.TryGetValue(id, out var seq)) _leased.Remove(seq);
            }
        }
    }

    /// <inheritdoc/>
    public TierCounts PurgeIdentity(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RemoveWhere(
            e => string.Equals(e.Subject, id, StringComparison.Ordinal)
                || string.Equals(e.Event.UserId, id, StringComparison.Ordinal)
                || string.Equals(e.Event.AnonymousId, id, StringComparison.Ordinal),
            includeLeased: true);
    }

    /// <inheritdoc/>
    public IReadOnlyList<QueuedEvent> Export(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        lock (_gate)
        {
            var result = new List<QueuedEvent>();
            foreach (var e in _events.Values)
            {
                if (string.Equals(e.Subject, subject, StringComparison.Ordinal)) result.Add(e);
            }

            return result;
        }
    }

    /// <inheritdoc/>
    public TierCounts Purge(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return RemoveWhere(e => string.Equals(e.Subject, subject, StringComparison.Ordinal), includeLeased: true);
    }

    /// <inheritdoc/>
    public TierCounts RemoveOlderThan(DateTimeOffset cutoff) => RemoveWhere(e => e.Event.Timestamp < cutoff, includeLeased: false);

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }

    private TierCounts RemoveWhere(Func<QueuedEvent, bool> predicate, bool includeLeased)
    {
        var removed = default(TierCounts);
        lock (_gate)
        {
            var doomed = _events.Where(p => (includeLeased || !_leased.Contains(p.Key)) && predicate(p.Value)).ToList();
            BeginRemovals();
            foreach (var pair in doomed)
            {
                removed = removed.Add(pair.Value.Event.Tier);
                Remove(pair.Key);
            }

            EndRemovals();
        }

        return removed;
    }

    private IEnumerable<TierEvictionPlanner.Candidate> StoredOldestFirst(EventTier tier)
    {
        foreach (var pair in _events)
        {
            if (pair.Value.Event.Tier == tier && !_leased.Contains(pair.Key)) yield return new TierEvictionPlanner.Candidate(pair.Key, pair.Value.Bytes);
        }
    }

    private void Remove(long seq)
    {
        if (!_events.Remove(seq, out var e)) return;
        _seqById.Remove(e.Event.EventId);
        _leased.Remove(seq);
        _bytes -= e.Bytes;
        _removedByCall?.Add(e.Event.EventId);
    }

    private void BeginRemovals()
    {
        if (_observer is not null) _removedByCall = new List<Guid>();
    }

    private void EndRemovals()
    {
        var removed = _removedByCall;
        _removedByCall = null;
        if (removed is { Count: > 0 }) _observer!.Removed(removed);
    }
}

/// <summary>Mirrors an <see cref="InMemoryOfflineQueue"/> into durable storage (write-through, in call order).</summary>
internal interface IOfflineQueueObserver
{
    /// <summary>These events were stored (in queue order).</summary>
    void Stored(IReadOnlyList<QueuedEvent> events);

    /// <summary>These events left the queue (delivered, dropped, evicted, purged or expired).</summary>
    void Removed(IReadOnlyList<Guid> eventIds);
}
