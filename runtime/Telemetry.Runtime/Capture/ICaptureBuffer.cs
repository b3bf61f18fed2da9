using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>The background side of a per-event-type capture buffer: drain and serialise without knowing the type.</summary>
internal interface ICaptureBuffer
{
    /// <summary>The event's catalog facts.</summary>
    EventDescriptor Descriptor { get; }

    /// <summary>Dequeues up to <paramref name="max"/> events and hands each to <paramref name="serializer"/>; returns how many were dequeued.</summary>
    int Drain(EventSerializer serializer, List<QueuedEvent> output, int max);
}
