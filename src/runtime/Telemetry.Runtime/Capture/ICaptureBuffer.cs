using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>The background side of a per-event-type capture buffer: drain and serialise without knowing the type.</summary>
internal interface ICaptureBuffer
{
    /// <summary>The event's catalog facts.</summary>
    EventDescriptor Descriptor { get; }

    /// <summary>
    /// Serialises, through <paramref name="serializer"/>, every event of this buffer whose capture sequence is at most
    /// <paramref name="cut"/> and that was in the buffer when the drain reached it (events captured later wait for the
    /// next drain). Each serialised event's sequence goes to <paramref name="sequences"/>, one per entry added to
    /// <paramref name="output"/>; each drained event is recorded in <paramref name="breadcrumbs"/> under its capture
    /// sequence. Returns how many events left the buffer (serialised or dropped by the serialiser).
    /// </summary>
    int Drain(EventSerializer serializer, List<QueuedEvent> output, List<long> sequences, long cut, BreadcrumbRing? breadcrumbs);
}
