using System;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Cost;

/// <summary>
/// How the product is used, for a volume or cost estimate. The defaults (<see cref="Default"/>): 1,500 users, active
/// 1 hour a day, 50 pointer events a second, 30 days, $0.001 per event, 20 interactions an hour of every other event.
/// </summary>
/// <param name="Users">Active users.</param>
/// <param name="HoursPerDay">Active hours per user per day.</param>
/// <param name="Days">Days per month.</param>
/// <param name="HighFrequencyRate">Interactions per second of each <c>frequency: high</c> event while a user is active.</param>
/// <param name="NormalRatePerHour">Interactions per hour of each other event while a user is active.</param>
/// <param name="PricePerEvent">What the analytics provider charges per event, in dollars.</param>
public sealed record UsageScenario(int Users, decimal HoursPerDay, int Days, decimal HighFrequencyRate, decimal NormalRatePerHour, decimal PricePerEvent)
{
    /// <summary>The default scenario.</summary>
    public static UsageScenario Default { get; } = new(1500, 1m, 30, 50m, 20m, 0.001m);

    /// <summary>Active seconds of one user in a month.</summary>
    public decimal ActiveSecondsPerUser => HoursPerDay * 3600m * Days;
}

/// <summary>
/// The arithmetic of expected event volumes, in one place (the catalog tool's cost report and the ingest dashboard use
/// it). Per user and month an event fires <c>rate × active seconds</c> times (<c>frequency: high</c>) or
/// <c>normal rate × active hours</c> times (others); what is sent is that times the event's wire sampling. A derived
/// aggregate event is sent once per window per user while the user is active.
/// </summary>
public static class VolumeModel
{
    /// <summary>
    /// The share of users who send this event (<c>sampling_rate</c> in the envelope): its <c>sampling</c>, or for a
    /// <c>local_only</c> event the <c>full_stream_percent</c> share of users who also send the raw stream.
    /// </summary>
    public static double WireSampling(EventSpec spec) =>
        Telemetry.Wire.EffectiveSampling.Of(spec.Sampling, spec.LocalOnly, spec.Aggregate?.FullStreamPercent ?? 0);

    /// <summary>Interactions a month across all users if every one were an event.</summary>
    public static decimal RawEvents(EventSpec spec, UsageScenario scenario)
    {
        var perUser = spec.Frequency == Frequency.High
            ? scenario.HighFrequencyRate * scenario.ActiveSecondsPerUser
            : scenario.NormalRatePerHour * scenario.HoursPerDay * scenario.Days;
        return scenario.Users * perUser;
    }

    /// <summary>Aggregate events a month: one per window while each user is active.</summary>
    public static decimal AggregateEvents(AggregateSpec aggregate, UsageScenario scenario) =>
        scenario.Users * (scenario.ActiveSecondsPerUser * 1000m / aggregate.WindowMs);

    /// <summary>
    /// Events a month that reach the server under <paramref name="scenario"/>: for a derived aggregate event one per
    /// window per active user (times its sampling), else the raw volume times the wire sampling.
    /// </summary>
    /// <param name="spec">The event.</param>
    /// <param name="source">For a derived aggregate event, the event it is aggregated from (else null).</param>
    /// <param name="scenario">The usage scenario.</param>
    public static decimal SentEvents(EventSpec spec, EventSpec? source, UsageScenario scenario)
    {
        if (spec.IsAggregate && source?.Aggregate is { } aggregate) return AggregateEvents(aggregate, scenario) * (decimal)spec.Sampling;
        return RawEvents(spec, scenario) * (decimal)WireSampling(spec);
    }
}
