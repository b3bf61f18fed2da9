namespace Telemetry.Runtime;

/// <summary>Why sampling kept an event from being recorded; the <c>reason</c> tag of <c>telemetry.client.events.sampled_out</c>.</summary>
public enum SampledOutReason
{
    /// <summary>The user's bucket is outside the event's sampled share (probabilistic or catalog rate).</summary>
    Bucket,
    /// <summary>The event's throttle allowed no more events in the current window.</summary>
    Throttled,
    /// <summary>The event's strategy is <see cref="SamplingStrategy.Never"/>.</summary>
    Never,
}
