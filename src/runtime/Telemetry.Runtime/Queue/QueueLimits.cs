using System;

namespace Telemetry.Runtime;

/// <summary>Bounds of an offline queue; when an append would pass either, lower tiers are dropped first (oldest first within a tier).</summary>
/// <param name="MaxRows">Most events kept.</param>
/// <param name="MaxBytes">Most payload bytes kept.</param>
public sealed record QueueLimits(long MaxRows, long MaxBytes)
{
    /// <summary>100,000 events or 50 MiB.</summary>
    public static QueueLimits Default { get; } = new(100_000, 50L * 1024 * 1024);

    /// <summary>Throws when a bound is not positive.</summary>
    public QueueLimits Validate()
    {
        if (MaxRows <= 0) throw new ArgumentOutOfRangeException(nameof(MaxRows));
        if (MaxBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxBytes));
        return this;
    }
}
