using System;
using System.Collections.Generic;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>How <see cref="CaptureBuffers.TryCapture{TEvent}"/> ended.</summary>
internal enum CaptureResult
{
    /// <summary>In the buffer; the background stage will serialise it.</summary>
    Captured,
    /// <summary>The tier's share of the buffers is full: dropped (<see cref="DropReason.BufferFull"/>).</summary>
    Full,
    /// <summary>The buffers were closed for shutdown: dropped (<see cref="DropReason.Shutdown"/>).</summary>
    Closed,
}

/// <summary>
/// All capture buffers of one pipeline and their shared bound. Track reserves a place with one
/// interlocked increment, whose result is also the event's place in the pipeline's one capture order
/// (<see cref="CapturedEvent{TEvent}.Sequence"/>); each tier may fill the buffers only up to its own watermark
/// (C to 75 %, B to 90 %, A to 100 % of <see cref="Capacity"/>), so when the background stage falls behind the
/// lowest tier is dropped first and tier A keeps the last quarter. Nothing ever blocks.
/// </summary>
/// <remarks>
/// A drain takes a cut (the last sequence handed out when it starts) and sends every event captured up to the cut,
/// from every type's buffer, sorted by sequence: no type waits for another, and events from one thread leave in the
/// order they were tracked (a thread's later event is reserved after its earlier one was in its buffer). After
/// <see cref="Close"/>, a reservation is refused and counted; <see cref="Count"/> includes reservations whose copy
/// is still being made, so a final drain that runs until <see cref="Count"/> is zero misses no accepted event.
/// </remarks>
internal sealed class CaptureBuffers
{
    private readonly object _gate = new();
    private readonly long[] _tierLimits;
    private readonly long _wakeThreshold;
    private readonly Action _wake;
    private ICaptureBuffer?[] _byType = new ICaptureBuffer?[Math.Max(16, EventTypeSlotCounter.Count + 8)];
    private ICaptureBuffer[] _all = Array.Empty<ICaptureBuffer>();

    // Reservations handed out (the last capture sequence), and reservations that left: drained or refused.
    private long _sequence;
    private long _released;
    private volatile bool _closed;

    public CaptureBuffers(int capacity, Action wake)
    {
        Capacity = capacity;
        _wake = wake;
        _tierLimits = new long[PipelineCounters.TierCount];
        _tierLimits[(int)EventTier.A] = capacity;
        _tierLimits[(int)EventTier.B] = Math.Max(1, capacity * 9L / 10);
        _tierLimits[(int)EventTier.C] = Math.Max(1, capacity * 3L / 4);
        _wakeThreshold = Math.Max(1, capacity / 2);
    }

    public int Capacity { get; }

    /// <summary>Where each drained event is recorded as a breadcrumb under its capture sequence (null: breadcrumbs off).</summary>
    public BreadcrumbRing? Breadcrumbs { get; set; }

    /// <summary>
    /// A number in the capture order for something that is not captured here (a log breadcrumb, a write-through Track call):
    /// it sorts after every capture reserved before it. Takes no place in the buffers.
    /// </summary>
    public long NextOrder()
    {
        var sequence = Interlocked.Increment(ref _sequence);
        Interlocked.Increment(ref _released);
        return sequence;
    }

    /// <summary>Events captured (or being copied in) and not yet drained.</summary>
    public long Count => Math.Max(0, Volatile.Read(ref _sequence) - Volatile.Read(ref _released));

    /// <summary>The most events of <paramref name="tier"/> the buffers accept.</summary>
    public long LimitOf(EventTier tier) => _tierLimits[(int)tier];

    /// <summary>Refuses every later capture (<see cref="CaptureResult.Closed"/>); captures already reserved complete.</summary>
    public void Close()
    {
        _closed = true;
        Interlocked.MemoryBarrier();
    }

    /// <summary>Captures <paramref name="value"/> by copy, or says why not (its tier's share is full, or the buffers are closed).</summary>
    public CaptureResult TryCapture<TEvent>(in TEvent value, long utcTicks, ClientIdentity identity, double samplingRate)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var tier = (int)TEvent.Descriptor.Tier;
        var limit = (uint)tier < (uint)_tierLimits.Length ? _tierLimits[tier] : _tierLimits[(int)EventTier.C];

        // The interlocked increment is a full fence: either Close's flag is seen here, or the closing drain sees this reservation.
        var sequence = Interlocked.Increment(ref _sequence);
        var count = sequence - Volatile.Read(ref _released);
        if (count > limit)
        {
            Interlocked.Increment(ref _released);
            return CaptureResult.Full;
        }

        if (_closed)
        {
            Interlocked.Increment(ref _released);
            return CaptureResult.Closed;
        }

        BufferOf<TEvent>().Enqueue(new CapturedEvent<TEvent>(in value, utcTicks, identity, samplingRate, sequence));

        // Wake the background stage once when the buffer passes half full: one signal per crossing, not per event.
        if (count == _wakeThreshold) _wake();
        return CaptureResult.Captured;
    }

    /// <summary>
    /// Drains every event captured before the drain started, from every buffer, through <paramref name="serializer"/>
    /// into <paramref name="output"/> in capture order. Returns how many events left the buffers.
    /// </summary>
    public int DrainAll(EventSerializer serializer, List<QueuedEvent> output)
    {
        var buffers = Volatile.Read(ref _all);
        var cut = Volatile.Read(ref _sequence);
        var sequences = _sequences;
        sequences.Clear();
        var first = output.Count;
        var drained = 0;
        var breadcrumbs = Breadcrumbs;
        foreach (var buffer in buffers) drained += buffer.Drain(serializer, output, sequences, cut, breadcrumbs);
        if (drained > 0) Interlocked.Add(ref _released, drained);
        SortByCapture(output, first, sequences);
        return drained;
    }

    // Background thread only (the pipeline drains under its ingest lock).
    private readonly List<long> _sequences = new();
    private long[] _keys = Array.Empty<long>();
    private QueuedEvent[] _items = Array.Empty<QueuedEvent>();

    private void SortByCapture(List<QueuedEvent> output, int first, List<long> sequences)
    {
        var n = sequences.Count;
        if (n < 2) return;
        if (_keys.Length < n)
        {
            _keys = new long[Math.Max(n, _keys.Length * 2)];
            _items = new QueuedEvent[_keys.Length];
        }

        var sorted = true;
        for (var i = 0; i < n; i++)
        {
            _keys[i] = sequences[i];
            _items[i] = output[first + i];
            if (i > 0 && _keys[i] < _keys[i - 1]) sorted = false;
        }

        if (!sorted)
        {
            Array.Sort(_keys, _items, 0, n);
            for (var i = 0; i < n; i++) output[first + i] = _items[i];
        }

        Array.Clear(_items, 0, n);
    }

    private EventCaptureBuffer<TEvent> BufferOf<TEvent>()
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var index = EventTypeSlot<TEvent>.Index;
        var byType = Volatile.Read(ref _byType);
        if ((uint)index < (uint)byType.Length && byType[index] is EventCaptureBuffer<TEvent> existing) return existing;
        return AddBuffer<TEvent>(index);
    }

    private EventCaptureBuffer<TEvent> AddBuffer<TEvent>(int index)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        lock (_gate)
        {
            var byType = _byType;
            if ((uint)index < (uint)byType.Length && byType[index] is EventCaptureBuffer<TEvent> existing) return existing;
            if (index >= byType.Length)
            {
                var grown = new ICaptureBuffer?[Math.Max(index + 1, byType.Length * 2)];
                Array.Copy(byType, grown, byType.Length);
                byType = grown;
            }

            var created = new EventCaptureBuffer<TEvent>();
            byType[index] = created;
            var all = new ICaptureBuffer[_all.Length + 1];
            Array.Copy(_all, all, _all.Length);
            all[^1] = created;
            Volatile.Write(ref _all, all);
            Volatile.Write(ref _byType, byType);
            return created;
        }
    }
}
