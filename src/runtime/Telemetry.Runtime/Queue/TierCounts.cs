namespace Telemetry.Runtime;

/// <summary>Event counts by tier (what a queue dropped or purged).</summary>
public readonly record struct TierCounts(int A, int B, int C)
{
    /// <summary>All tiers.</summary>
    public int Total => A + B + C;

    /// <summary>The count of <paramref name="tier"/>.</summary>
    public int this[EventTier tier] => tier switch
    {
        EventTier.A => A,
        EventTier.B => B,
        _ => C,
    };

    /// <summary>This plus one event of <paramref name="tier"/>.</summary>
    public TierCounts Add(EventTier tier, int count = 1) => tier switch
    {
        EventTier.A => this with { A = A + count },
        EventTier.B => this with { B = B + count },
        _ => this with { C = C + count },
    };
}
