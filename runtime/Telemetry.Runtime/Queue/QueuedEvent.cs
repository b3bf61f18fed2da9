namespace Telemetry.Runtime;

/// <summary>A serialised, scrubbed event in the offline queue, with the consent subject it belongs to.</summary>
/// <param name="Event">What the sink receives.</param>
/// <param name="Subject">The user id, else the anonymous id, the event was tracked under: consent purges by it. Stored locally, never sent.</param>
public sealed record QueuedEvent(OutgoingEvent Event, string Subject)
{
    /// <summary>Payload size in bytes (what queue byte limits count).</summary>
    public int Bytes => Event.Json.Length;
}
