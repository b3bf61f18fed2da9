using System;
using System.ComponentModel.DataAnnotations;

namespace Telemetry.Runtime;

/// <summary>
/// A sampling override for one event name (<c>replay.seek</c>) or a feature (<c>replay.*</c>) in
/// <see cref="TelemetryOptions.Sampling"/>. Events with <c>sensitivity: session</c> or
/// <c>financial</c> are never sampled: on them only <see cref="SamplingStrategy.Never"/> has an effect.
/// </summary>
public sealed class SamplingRule
{
    /// <summary>The strategy.</summary>
    public SamplingStrategy Strategy { get; set; } = SamplingStrategy.Probabilistic;

    /// <summary>Share of users for <see cref="SamplingStrategy.Probabilistic"/>, 0..1; null keeps the catalog's rate.</summary>
    [Range(0d, 1d)]
    public double? Rate { get; set; }

    /// <summary>Most events per window for <see cref="SamplingStrategy.Throttled"/>.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEvents { get; set; } = 100;

    /// <summary>Throttle window for <see cref="SamplingStrategy.Throttled"/>.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A rule that records every event.</summary>
    public static SamplingRule Always() => new() { Strategy = SamplingStrategy.Always };

    /// <summary>A rule that records nothing.</summary>
    public static SamplingRule Never() => new() { Strategy = SamplingStrategy.Never };

    /// <summary>A deterministic per-user share.</summary>
    public static SamplingRule Probabilistic(double rate) => new() { Strategy = SamplingStrategy.Probabilistic, Rate = rate };

    /// <summary>At most <paramref name="maxEvents"/> per <paramref name="window"/> (after the catalog's per-user sampling).</summary>
    public static SamplingRule Throttled(int maxEvents, TimeSpan window) => new() { Strategy = SamplingStrategy.Throttled, MaxEvents = maxEvents, Window = window };
}
