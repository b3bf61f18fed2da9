using System;
using System.Collections.Generic;
using System.Linq;

namespace Telemetry.Runtime;

/// <summary>
/// An offline queue in process memory, with the same bounds, drop policy and lease rules as
/// <see cref="SqliteOfflineQueue"/>. Nothing survives the process: use it in tests, or where no
/// per-user folder exists (the pipeline then logs that events may be lost on exit).
/// </summary>
/// <remarks>
/// The events' bytes are copied into pooled pages of 64 KiB, one after another, and leased as slices of them: a page
/// goes back to the pool (cleared) once its events are gone and no lease reads it. When the pages held reach twice the
/// stored bytes (events removed out of order: evictions, purges), the stored events of sparse pages are copied into
/// fresh ones, so memory stays within about twice <see cref="QueueLimits.MaxBytes"/> plus the leased pages.
/// </remarks>
public sealed class InMemoryOfflineQueue : IOfflineQueue
{
    private readonly object _gate = new();
    private readonly SequenceRing _events = new();
    private readonly Dictionary<Guid, long> _seqById = new();
    private readonly Stack<LeasedEvents> _freeLeases = new();
    private readonly System.Buffers.ArrayPool<byte> _pool = PayloadPage.CreatePool(PayloadPage.DefaultSize, arraysPerSize: 64);
    private PayloadPage? _page;
    private long _bytes;
    private long _pageBytes;
    private long _compactAgainAt;

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

    /// <summary>Bytes of the pages holding stored events now (pages only a lease still reads are not counted).</summary>
    internal long PageBytes
    {
        get
        {
            lock (_gate) return _pageBytes;
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
                for (var seq = _events.First; seq < _events.End; seq++)
                {
                    ref var slot = ref _events.Get(seq);
                    if (slot.Present && (oldest is null || slot.Event.Event.Timestamp < oldest)) oldest = slot.Event.Event.Timestamp;
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
                var kept = Store(e, out var page);
                _events.Add(kept, page);
                _bytes += kept.Bytes;
                stored?.Add(kept);
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
        lock (_gate)
        {
            var leased = LeasedEvents.Start(this, _freeLeases);
            long bytes = 0;
            for (var seq = _events.First; seq < _events.End && leased.Count < maxEvents; seq++)
            {
                ref var slot = ref _events.Get(seq);
                if (!slot.Present || slot.Leased) continue;
                if (leased.Count > 0 && bytes + slot.Event.Bytes > maxBytes) break;
                leased.Add(slot.Event, slot.Page);
                bytes += slot.Event.Bytes;
                slot.Leased = true;
            }

            return leased;
        }
    }

    /// <inheritdoc/>
    public void EndLease(IReadOnlyList<QueuedEvent> leased)
    {
        ArgumentNullException.ThrowIfNull(leased);
        lock (_gate) LeasedEvents.End(this, leased, _freeLeases);
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
                if (!_seqById.TryGetValue(id, out var seq)) continue;
                ref var slot = ref _events.Get(seq);
                if (slot.Present) slot.Leased = false;
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
            for (var seq = _events.First; seq < _events.End; seq++)
            {
                ref var slot = ref _events.Get(seq);
                if (!slot.Present || !string.Equals(slot.Event.Subject, subject, StringComparison.Ordinal)) continue;
                result.Add(slot.Event with { Event = slot.Event.Event with { Json = slot.Event.Event.Json.ToArray() } });
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

    /// <summary>Nothing to release: the pages are collected with the queue.</summary>
    public void Dispose()
    {
    }

    /// <summary>The stored copy of <paramref name="e"/>: its bytes in the open page (a new page when they do not fit).</summary>
    private QueuedEvent Store(in QueuedEvent e, out PayloadPage page)
    {
        var json = e.Event.Json.Span;
        if (_page is null || _page.Free < json.Length)
        {
            if (_page is not null)
            {
                _page.Open = false;
                _page.ReturnIfIdle();
            }

            _page = PayloadPage.Rent(_pool, Math.Max(PayloadPage.DefaultSize, json.Length));
            _page.Open = true;
        }

        page = _page;
        if (page.Stored++ == 0) _pageBytes += page.Array.Length;
        page.StoredBytes += json.Length;
        return e with { Event = e.Event with { Json = page.Append(json) } };
    }

    /// <summary>An event of <paramref name="bytes"/> left <paramref name="page"/>: the page goes back to the pool when nothing else holds it.</summary>
    private void Unstore(PayloadPage page, int bytes)
    {
        page.StoredBytes -= bytes;
        if (--page.Stored > 0) return;
        _pageBytes -= page.Array.Length;
        page.ReturnIfIdle();
    }

    private TierCounts RemoveWhere(Func<QueuedEvent, bool> predicate, bool includeLeased)
    {
        var removed = default(TierCounts);
        lock (_gate)
        {
            var doomed = new List<long>();
            for (var seq = _events.First; seq < _events.End; seq++)
            {
                ref var slot = ref _events.Get(seq);
                if (slot.Present && (includeLeased || !slot.Leased) && predicate(slot.Event)) doomed.Add(seq);
            }

            BeginRemovals();
            foreach (var seq in doomed) removed = removed.Add(Remove(seq, clear: true));
            EndRemovals();
        }

        return removed;
    }

    private IEnumerable<TierEvictionPlanner.Candidate> StoredOldestFirst(EventTier tier)
    {
        for (var seq = _events.First; seq < _events.End; seq++)
        {
            var slot = _events.Get(seq);
            if (slot.Present && slot.Event.Event.Tier == tier && !slot.Leased) yield return new TierEvictionPlanner.Candidate(seq, slot.Event.Bytes);
        }
    }

    /// <summary>
    /// Removes the event at <paramref name="seq"/>; returns its tier. With <paramref name="clear"/> (purges, expiry) its
    /// bytes are zeroed in its page at once (the page's other events can keep it alive long after), unless some lease,
    /// ended or kept by a sink, was given bytes of that page.
    /// </summary>
    private EventTier Remove(long seq, bool clear = false)
    {
        ref var slot = ref _events.Get(seq);
        if (!slot.Present) return default;
        var e = slot.Event;
        var page = slot.Page;
        if (clear && page is { Lent: 0 }) System.Runtime.InteropServices.MemoryMarshal.AsMemory(e.Event.Json).Span.Clear();
        _events.Remove(seq);
        _seqById.Remove(e.Event.EventId);
        _bytes -= e.Bytes;
        _removedByCall?.Add(e.Event.EventId);
        if (page is not null) Unstore(page, e.Bytes);

        return e.Event.Tier;
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
        if (_pageBytes <= (2 * _bytes) + (4L * PayloadPage.DefaultSize) || _pageBytes < _compactAgainAt) return;
        Compact();

        // Pages a lease still reads cannot be compacted now: the next try waits until the pages have grown again.
        _compactAgainAt = _pageBytes > (2 * _bytes) + (4L * PayloadPage.DefaultSize) ? _pageBytes + (4L * PayloadPage.DefaultSize) : 0;
    }

    /// <summary>
    /// Copies the stored, unleased events of pages less than half full of stored events (and not lent) into fresh pages,
    /// in queue order, so the sparse pages can go back to the pool.
    /// </summary>
    private void Compact()
    {
        for (var seq = _events.First; seq < _events.End; seq++)
        {
            ref var slot = ref _events.Get(seq);
            var page = slot.Page;
            if (!slot.Present || slot.Leased || page is null || page.Open || page.Lent > 0 || page.StoredBytes * 2 >= page.Used) continue;

            // Copied first: the old page may go back to the pool (cleared) as its last event leaves it.
            var moved = Store(slot.Event, out var movedTo);
            Unstore(page, moved.Bytes);

            slot.Event = moved;
            slot.Page = movedTo;
        }
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
    // Small rings are kept: a ring shrunk after every drain would be grown again by the next one.
    private const int MinShrinkLength = 16 * 1024;
    private Slot[] _slots = new Slot[64];
    private Slot _none;
    private int _head;
    private long _first;
    private long _end;

    public int Count { get; private set; }

    /// <summary>The oldest sequence that may still be held.</summary>
    public long First => _first;

    /// <summary>One past the newest sequence handed out.</summary>
    public long End => _end;

    public long Add(in QueuedEvent e, PayloadPage? page)
    {
        if (_end - _first == _slots.Length) Grow();
        var seq = _end++;
        _slots[Index(seq)] = new Slot { Event = e, Page = page, Present = true };
        Count++;
        return seq;
    }

    /// <summary>The slot of <paramref name="seq"/> (an empty one when it is outside the ring).</summary>
    public ref Slot Get(long seq)
    {
        if (seq < _first || seq >= _end)
        {
            _none = default;
            return ref _none;
        }

        return ref _slots[Index(seq)];
    }

    public void Remove(long seq)
    {
        if (seq < _first || seq >= _end) return;
        var i = Index(seq);
        if (!_slots[i].Present) return;
        _slots[i] = default;
        Count--;

        // Advance past the removed prefix, so the oldest held event is found without a scan.
        while (_first < _end && !_slots[_head].Present)
        {
            _first++;
            _head = (_head + 1) & (_slots.Length - 1);
        }

        // A burst's large ring is let go once the queue has drained.
        if (_slots.Length > MinShrinkLength && _end - _first < _slots.Length / 8) Resize(_slots.Length / 2);
    }

    private int Index(long seq) => (int)((_head + (seq - _first)) & (_slots.Length - 1));

    private void Grow() => Resize(_slots.Length * 2);

    private void Resize(int length)
    {
        var span = (int)(_end - _first);
        var slots = new Slot[length];
        for (var k = 0; k < span; k++) slots[k] = _slots[(_head + k) & (_slots.Length - 1)];
        _slots = slots;
        _head = 0;
    }

    /// <summary>One sequence number's event, the page its bytes are in, and whether it is leased.</summary>
    public struct Slot
    {
        public QueuedEvent Event;
        public PayloadPage? Page;
        public bool Present;
        public bool Leased;
    }
}
