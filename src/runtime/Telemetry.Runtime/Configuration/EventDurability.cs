using System;

namespace Telemetry.Runtime;

/// <summary>When a tracked event becomes durable (docs/runtime.md, "Durability").</summary>
public enum EventDurability
{
    /// <summary>
    /// Track copies the event into a memory buffer; the background stage serialises, scrubs and queues it within
    /// <see cref="TelemetryOptions.DrainInterval"/>. A killed process loses what was tracked since the last drain.
    /// Track costs tens of nanoseconds and never does I/O.
    /// </summary>
    Deferred,

    /// <summary>
    /// Track serialises, scrubs and commits the event to the offline queue on the caller's thread before it returns:
    /// once Track returned, a killed process loses nothing. Track then costs one queue transaction (tens of
    /// microseconds with the SQLite queue) and takes a lock shared with other write-through callers.
    /// </summary>
    WriteThrough,
}

/// <summary>The <see cref="EventDurability"/> of each tier: tier A write-through, B and C deferred by default.</summary>
public sealed class TierDurability
{
    /// <summary>Tier A (business-critical, financial): <see cref="EventDurability.WriteThrough"/> by default.</summary>
    public EventDurability A { get; set; } = EventDurability.WriteThrough;

    /// <summary>Tier B: <see cref="EventDurability.Deferred"/> by default.</summary>
    public EventDurability B { get; set; } = EventDurability.Deferred;

    /// <summary>Tier C: <see cref="EventDurability.Deferred"/> by default.</summary>
    public EventDurability C { get; set; } = EventDurability.Deferred;

    /// <summary>The durability of <paramref name="tier"/>.</summary>
    /// <param name="tier">A tier.</param>
    public EventDurability this[EventTier tier]
    {
        get => tier switch
        {
            EventTier.A => A,
            EventTier.B => B,
            EventTier.C => C,
            _ => throw new ArgumentOutOfRangeException(nameof(tier)),
        };
        set
        {
            switch (tier)
            {
                case EventTier.A: A = value; break;
                case EventTier.B: B = value; break;
                case EventTier.C: C = value; break;
                default: throw new ArgumentOutOfRangeException(nameof(tier));
            }
        }
    }
}
