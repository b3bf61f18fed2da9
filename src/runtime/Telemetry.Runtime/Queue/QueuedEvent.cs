namespace Telemetry.Runtime;

/// <summary>A serialised, scrubbed event in the offline queue, with the consent subject it belongs to.</summary>
/// <param name="Event">What the sink receives.</param>
/// <param name="Subject">
/// Who the event belongs to, for purges: the pipeline gives the keyed HMAC of the user id (else the anonymous id)
/// under the per-install key, never the id itself. Stored locally, never sent.
/// </param>
public readonly record struct QueuedEvent(OutgoingEvent Event, string Subject)
{
    /// <summary>Payload size in bytes (what queue byte limits count).</summary>
    public int Bytes => Event.Json.Length;
}
