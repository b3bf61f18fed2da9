using System;
using System.Collections.Generic;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// All capture buffers of one pipeline and their shared bound. Track reserves a place with one
/// interlocked increment; each tier may fill the buffers only up to its own watermark (C to 75 %,
/// B to 90 %, A to 100 % of <see cref="Capacity"/>), so when the background stage falls behind the
/// lowest tier is dropped first and tier A keeps the last quarter. Nothing ever blocks.
/// </summary>
internal sealed class CaptureBuffers
{
    private readonly object _gate = new();
    private readonly long[] _tierLimits;
    private readonly long _wakeThreshold;
    private readonly Action _wake;
    private ICaptureBuffer?[] _byType = new ICaptureBuffer?[Math.Max(16, EventTypeSlotCounter.Count + 8)];
    private ICaptureBuffer[] _all = Array.Empty<ICaptureBuffer>();
    private long _count;

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

    /// <summary>Events captured and not yet drained.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>The most events of <paramref name="tier"/> the buffers accept.</summary>
    public long LimitOf(EventTier tier) => _tierLimits[(int)tier];

    /// <summary>Captures <paramref name="value"/> by copy, or returns false when its tier's share of the buffer is full.</summary>
    public bool TryCapture<TEvent>(in TEvent value, long utcTicks, ClientIdentity identity, double samplingRate)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var tier = (int)TEvent.Descriptor.Tier;
        var limit = (uint)tier < (uint)_tierLimits.Length ? _tierLimits[tier] : _tierLimits[(int)EventTier.C];
        var count = Interlocked.Increment(ref _count);
        if (count > limit)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        BufferOf<TEvent>().Enqueue(new CapturedEvent<TEvent>(in value, utcTicks, identity, samplingRate));

        // Wake the background stage once when the buffer passes half full: one signal per crossing, not per event.
        if (count == _wakeThreshold) _wake();
        return true;
    }

    /// <summary>Drains every buffer (at most what was there when the drain started) through <paramref name="serializer"/>.</summary>
    public int DrainAll(EventSerializer serializer, List<QueuedEvent> output)
    {
        var buffers = Volatile.Read(ref _all);
        var budget = (int)Math.Min(int.MaxValue, Math.Max(0, Count));
        var drained = 0;
        foreach (var buffer in buffers)
        {
            if (drained >= budget) break;
            var n = buffer.Drain(serializer, output, budget - drained);
            if (n > 0)
            {
                drained += n;
                Interlocked.Add(ref _count, -n);
            }
        }

        return drained;
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
