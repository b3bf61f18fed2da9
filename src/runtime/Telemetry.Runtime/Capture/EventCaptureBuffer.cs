using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// The capture buffer of one event type: a lock-free queue of <see cref="CapturedEvent{TEvent}"/>
/// structs. Its storage is arrays of the struct itself (segments that are reused once the queue
/// is drained), so Track copies the event into preallocated memory and serialisation waits for
/// the background thread, which calls the generated <c>WriteProperties</c> without boxing.
/// </summary>
internal sealed class EventCaptureBuffer<TEvent> : ICaptureBuffer
    where TEvent : struct, ITelemetryEvent<TEvent>
{
    private readonly ConcurrentQueue<CapturedEvent<TEvent>> _queue = new();

    // Events dequeued by a drain that were captured after its cut: the next drain sends them first (background thread only).
    private readonly List<CapturedEvent<TEvent>> _later = new();

    public EventDescriptor Descriptor => TEvent.Descriptor;

    public void Enqueue(in CapturedEvent<TEvent> captured) => _queue.Enqueue(captured);

    public int Drain(EventSerializer serializer, List<QueuedEvent> output, List<long> sequences, long cut, BreadcrumbRing? breadcrumbs)
    {
        var drained = 0;
        if (_later.Count > 0)
        {
            var kept = 0;
            for (var i = 0; i < _later.Count; i++)
            {
                var captured = _later[i];
                if (captured.Sequence > cut)
                {
                    _later[kept++] = captured;
                    continue;
                }

                drained++;
                breadcrumbs?.AddTrackAt(captured.Value, captured.UtcTicks, captured.Sequence);
                Serialize(serializer, in captured, output, sequences);
            }

            _later.RemoveRange(kept, _later.Count - kept);
        }

        // At most what is there now: a type that keeps refilling cannot hold the drain (or the other types) back.
        var present = _queue.Count;
        for (var i = 0; i < present && _queue.TryDequeue(out var captured); i++)
        {
            if (captured.Sequence > cut)
            {
                _later.Add(captured);
                continue;
            }

            drained++;
            breadcrumbs?.AddTrackAt(captured.Value, captured.UtcTicks, captured.Sequence);
            Serialize(serializer, in captured, output, sequences);
        }

        return drained;
    }

    private static void Serialize(EventSerializer serializer, in CapturedEvent<TEvent> captured, List<QueuedEvent> output, List<long> sequences)
    {
        var before = output.Count;
        serializer.Serialize(in captured, output);
        if (output.Count > before) sequences.Add(captured.Sequence);
    }
}
