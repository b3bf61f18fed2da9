namespace Telemetry.Runtime;

/// <summary>How an event is sampled, configurable per event name.</summary>
public enum SamplingStrategy
{
    /// <summary>Every user, every event (rate 1).</summary>
    Always,
    /// <summary>Never recorded (rate 0): switches an event off without a release.</summary>
    Never,
    /// <summary>A deterministic share of users (FNV-1a 32 bucket below rate × 10,000): a user is wholly in or out.</summary>
    Probabilistic,
    /// <summary>The catalog's per-user sampling, then at most <see cref="SamplingRule.MaxEvents"/> per <see cref="SamplingRule.Window"/>.</summary>
    Throttled,
}
