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
    private readonly SequenceRing _events = new();
    private readonly Dictionary<Guid, long> _seqById = new();
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
                foreach (var e in _events.Values())
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
                // One lookup: the id takes the sequence the ring hands out next, or the event is already stored.
                if (!_seqById.TryAdd(e.Event.EventId, _events.End)) continue;
                _events.Add(e);
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
            for (var seq = _events.First; seq < _events.End && leased.Count < maxEvents; seq++)
            {
                var e = _events.Get(seq, out var isLeased);
                if (e is null || isLeased) continue;
                if (leased.Count > 0 && bytes + e.Bytes > maxBytes) break;
                leased.Add(e);
                bytes += e.Bytes;
                _events.SetLeased(seq, true);
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
                if (_seqById.TryGetValue(id, out var seq)) _events.SetLeased(seq, false);
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
            foreach (var e in _events.Values())
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
            var doomed = new List<KeyValuePair<long, QueuedEvent>>();
            for (var seq = _events.First; seq < _events.End; seq++)
            {
                var e = _events.Get(seq, out var isLeased);
                if (e is not null && (includeLeased || !isLeased) && predicate(e)) doomed.Add(new(seq, e));
            }

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
        for (var seq = _events.First; seq < _events.End; seq++)
        {
            var e = _events.Get(seq, out var isLeased);
            if (e is not null && e.Event.Tier == tier && !isLeased) yield return new TierEvictionPlanner.Candidate(seq, e.Bytes);
        }
    }

    private void Remove(long seq)
    {
        var e = _events.Remove(seq);
        if (e is null) return;
        _seqById.Remove(e.Event.EventId);
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

/// <summary>
/// Queued events by their sequence number, in order: a ring of slots indexed by sequence (numbers are handed out in
/// order, so the slot of a number is its distance from the oldest one held). O(1) add, remove and lookup, no node per event.
/// </summary>
internal sealed class SequenceRing
{
    private QueuedEvent?[] _slots = new QueuedEvent?[64];
    private bool[] _leased = new bool[64];
    private int _head;
    private long _first;
    private long _end;

    public int Count { get; private set; }

    /// <summary>The oldest sequence that may still be held.</summary>
    public long First => _first;

    /// <summary>One past the newest sequence handed out.</summary>
    public long End => _end;

    public long Add(QueuedEvent e)
    {
        if (_end - _first == _slots.Length) Grow();
        var seq = _end++;
        var i = Index(seq);
        _slots[i] = e;
        _leased[i] = false;
        Count++;
        return seq;
    }

    public QueuedEvent? Get(long seq, out bool leased)
    {
        leased = false;
        if (seq < _first || seq >= _end) return null;
        var i = Index(seq);
        leased = _leased[i];
        return _slots[i];
    }

    public void SetLeased(long seq, bool leased)
    {
        if (seq < _first || seq >= _end) return;
        var i = Index(seq);
        if (_slots[i] is not null) _leased[i] = leased;
    }

    public QueuedEvent? Remove(long seq)
    {
        if (seq < _first || seq >= _end) return null;
        var i = Index(seq);
        var e = _slots[i];
        if (e is null) return null;
        _slots[i] = null;
        _leased[i] = false;
        Count--;

        // Advance past the removed prefix, so the oldest held event is found without a scan.
        while (_first < _end && _slots[_head] is null)
        {
            _first++;
            _head = (_head + 1) & (_slots.Length - 1);
        }

        return e;
    }

    public IEnumerable<QueuedEvent> Values()
    {
        for (var seq = _first; seq < _end; seq++)
        {
            var e = _slots[Index(seq)];
            if (e is not null) yield return e;
        }
    }

    private int Index(long seq) => (int)((_head + (seq - _first)) & (_slots.Length - 1));

    private void Grow()
    {
        var span = (int)(_end - _first);
        var slots = new QueuedEvent?[_slots.Length * 2];
        var leased = new bool[slots.Length];
        for (var k = 0; k < span; k++)
        {
            var i = (_head + k) & (_slots.Length - 1);
            slots[k] = _slots[i];
            leased[k] = _leased[i];
        }

        _slots = slots;
        _leased = leased;
        _head = 0;
    }
}
