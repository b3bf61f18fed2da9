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

    public EventDescriptor Descriptor => TEvent.Descriptor;

    public void Enqueue(in CapturedEvent<TEvent> captured) => _queue.Enqueue(captured);

    public int Drain(EventSerializer serializer, List<QueuedEvent> output, int max)
    {
        var drained = 0;
        while (drained < max && _queue.TryDequeue(out var captured))
        {
            drained++;
            serializer.Serialize(in captured, output);
        }

        return drained;
    }
}
