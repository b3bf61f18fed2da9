using System;
using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Cost;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Shared;

namespace Telemetry.Catalog.Tool.Cost;

/// <summary>One event's monthly volume and price, raw (every interaction sent) and as the catalog sends it.</summary>
/// <param name="Event">The event.</param>
/// <param name="RawEvents">Events a month if every interaction were sent as itself (0 for a derived aggregate: it exists only because of aggregation).</param>
/// <param name="SentEvents">Events a month with the catalog's sampling, local_only, full stream and aggregation.</param>
/// <param name="Counted">False for planned events: they are listed, not added to the totals.</param>
/// <param name="How">What the catalog does to the volume, in words.</param>
internal sealed record EventCost(EventSpec Event, decimal RawEvents, decimal SentEvents, bool Counted, string How);

/// <summary>All events' costs and their totals under one scenario.</summary>
internal sealed record CostEstimate(CostScenario Scenario, IReadOnlyList<EventCost> Events)
{
    public decimal RawEvents => Events.Where(e => e.Counted).Sum(e => e.RawEvents);

    public decimal SentEvents => Events.Where(e => e.Counted).Sum(e => e.SentEvents);

    public decimal RawCost => CostModel.Price(RawEvents, Scenario);

    public decimal SentCost => CostModel.Price(SentEvents, Scenario);

    /// <summary>Share of the raw volume not sent, 0..1 (0 when nothing would be sent raw).</summary>
    public decimal Saving => CostModel.Saving(RawEvents, SentEvents);
}

/// <summary>
/// The arithmetic of a cost estimate, in one place. Per user and month an event fires
/// <c>rate × active seconds</c> times (<c>frequency: high</c>) or <c>normal rate × active hours</c> times (others);
/// what is sent is that times the event's wire sampling (its <c>sampling</c>, or for a <c>local_only</c> event the
/// <c>full_stream_percent</c> share of users). A derived aggregate event is sent once per window per user while the
/// user is active (one group at a time, e.g. one chart symbol).
/// </summary>
internal static class CostModel
{
    public static CostEstimate Estimate(IEnumerable<EventSpec> events, CostScenario scenario)
    {
        var list = events.ToList();
        var byName = list.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var costs = new List<EventCost>();
        foreach (var e in list)
        {
            var source = e.AggregatedFrom is { } from && byName.TryGetValue(from, out var s) ? s : null;
            costs.Add(Cost(e, source, scenario));
        }

        return new CostEstimate(scenario, costs);
    }

    public static EventCost Cost(EventSpec e, EventSpec? source, CostScenario scenario)
    {
        var counted = e.Status != EventStatus.Planned;
        var planned = counted ? string.Empty : "planned, not in the totals; ";
        if (e.IsAggregate && source?.Aggregate is { } aggregate)
        {
            var sent = AggregateEvents(aggregate, scenario) * (decimal)e.Sampling;
            return new EventCost(e, 0m, sent, counted, $"{planned}1 per {CatalogWords.Window(aggregate.WindowMs)} window per active user");
        }

        var raw = RawEvents(e, scenario);
        var wire = (decimal)EventWire.Sampling(e);
        string how;
        if (e.LocalOnly)
        {
            how = wire > 0 ? $"local only; {CatalogWords.PercentOf((double)(wire * 100))} full stream" : "local only, never sent";
        }
        else
        {
            how = wire >= 1 ? "every user" : $"{CatalogWords.PercentOf((double)(wire * 100))} of users";
        }

        if (e.Aggregate is { } own) how += $"; aggregated into {own.Into}";
        return new EventCost(e, raw, raw * wire, counted, planned + how);
    }

    /// <summary>Interactions a month across all users if every one were an event.</summary>
    public static decimal RawEvents(EventSpec e, CostScenario scenario) => VolumeModel.RawEvents(e, scenario.Usage);

    /// <summary>Aggregate events a month: one per window while each user is active.</summary>
    public static decimal AggregateEvents(AggregateSpec aggregate, CostScenario scenario) => VolumeModel.AggregateEvents(aggregate, scenario.Usage);

    public static decimal Price(decimal events, CostScenario scenario) => events * scenario.PricePerEvent;

    public static decimal Saving(decimal raw, decimal sent) => raw <= 0 ? 0m : 1m - (sent / raw);
}
