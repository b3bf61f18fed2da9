using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Shared;

namespace Telemetry.Catalog.Tool.Cost;

/// <summary>One figure of a published cost estimate against the same figure computed by <see cref="CostModel"/>.</summary>
/// <param name="Claim">What the figure is.</param>
/// <param name="Published">What the published estimate says.</param>
/// <param name="Computed">What the catalog and the estimate's scenario give.</param>
/// <param name="Agrees">Whether the two match.</param>
/// <param name="Explanation">Where the difference comes from (or why they match).</param>
internal sealed record EstimateFinding(string Claim, string Published, string Computed, bool Agrees, string Explanation);

/// <summary>
/// <c>cost --compare crosshair</c>: the published cost estimate of crosshair aggregation prices its scenario
/// (<see cref="CostScenario.Default"/>) as 270M raw events a month, 32.4M aggregates, 2.7M full-stream events, 34.8M in
/// total, and "88 %", "87 %" and "99.996 %" savings. Several of these mix a day with a month. This comparison recomputes
/// each figure for the catalog's aggregated high-frequency event under that scenario and states every disagreement
/// with the numbers.
/// </summary>
internal static class EstimateComparison
{
    /// <summary>The <c>--compare</c> value of the crosshair estimate, the one published estimate the tool knows.</summary>
    public const string Crosshair = "crosshair";

    /// <summary>The event the estimate's figures are about: the aggregated high-frequency event (<c>chart.crosshair_move</c> in the shipped catalog).</summary>
    public static EventSpec? Subject(IEnumerable<EventSpec> events)
    {
        var candidates = events.Where(e => e.Frequency == Frequency.High && e.Aggregate is not null).ToList();
        return candidates.FirstOrDefault(e => e.Name == "chart.crosshair_move") ?? candidates.FirstOrDefault();
    }

    public static IReadOnlyList<EstimateFinding> Run(EventSpec crosshair)
    {
        var scenario = CostScenario.Default;
        var aggregate = crosshair.Aggregate!;
        var raw = CostModel.RawEvents(crosshair, scenario);
        var perDay = raw / scenario.Days;
        var aggregates = CostModel.AggregateEvents(aggregate, scenario);
        var windowsPerHour = 3600m * 1000m / aggregate.WindowMs;
        var fullStreamShare = (decimal)aggregate.FullStreamPercent / 100m;
        var fullStream = raw * fullStreamShare;
        var total = aggregates + fullStream;
        var fsp = CatalogWords.PercentOf(aggregate.FullStreamPercent);
        var window = CatalogWords.Window(aggregate.WindowMs);
        decimal Price(decimal events) => CostModel.Price(events, scenario);

        const decimal publishedRaw = 270_000_000m;
        const decimal publishedAggregates = 32_400_000m;
        const decimal publishedFullStream = 2_700_000m;
        const decimal publishedAggregatesWithFullStream = 32_100_000m;
        const decimal publishedTotal = 34_800_000m;
        var findings = new List<EstimateFinding>
        {
            new("Raw events per month (no aggregation)",
                "270M events/month, $270,000/month",
                $"{Events(raw)} events/month, {Money(Price(raw))}/month",
                raw == publishedRaw,
                $"{N(scenario.Users)} users × {N(scenario.HoursPerDay * 3600m)} s × {N(scenario.HighFrequencyRate)}/s × {scenario.Days} days = {Events(raw)}. " +
                $"The estimate's 270M is {N(scenario.Users)} × {N(scenario.HoursPerDay * 3600m)} × {N(scenario.HighFrequencyRate)} = {Events(perDay)}: one day, not a month."),
            new($"Aggregate events per month ({window} window)",
                "32.4M/month, $32,400/month",
                $"{Events(aggregates)} events/month, {Money(Price(aggregates))}/month",
                aggregates == publishedAggregates,
                $"{N(scenario.Users)} users × {N(windowsPerHour)} windows/h × {N(scenario.HoursPerDay)} h × {scenario.Days} days = {Events(aggregates)}: a monthly figure, as stated."),
            new("Saving with aggregation",
                "88 %",
                Percent(CostModel.Saving(raw, aggregates)),
                Percent(CostModel.Saving(raw, aggregates)) == "88 %",
                $"1 − 32.4M / 270M = {Percent(CostModel.Saving(publishedRaw, publishedAggregates))} compares a month of aggregates with one day of raw events; " +
                $"against the month's {Events(raw)} raw events the saving is 1 − {Events(aggregates)} / {Events(raw)} = {Percent(CostModel.Saving(raw, aggregates))}."),
            new($"Full-stream events per month ({fsp} of users)",
                "2.7M/month",
                $"{Events(fullStream)} events/month, {Money(Price(fullStream))}/month",
                fullStream == publishedFullStream,
                $"{fsp} of {Events(raw)} = {Events(fullStream)}. The estimate's 2.7M is {fsp} of its per-day 270M."),
            new("Aggregate events with the full stream on",
                "32.1M (99 %)",
                $"{Events(aggregates)} events/month",
                aggregates == publishedAggregatesWithFullStream,
                "Full-stream users send the raw stream in addition to their aggregates (full_stream_percent: \"also send the raw stream\"), " +
                "so every user still sends aggregates; the estimate counts aggregates for 99 % of users only."),
            new("Total events per month with the full stream",
                "34.8M/month, $34,800/month",
                $"{Events(total)} events/month, {Money(Price(total))}/month",
                total == publishedTotal,
                $"{Events(aggregates)} aggregates + {Events(fullStream)} full-stream events = {Events(total)}; the estimate adds its per-day full stream to a reduced monthly aggregate count."),
            new("Saving with the full stream",
                "87 %",
                Percent(CostModel.Saving(raw, total)),
                Percent(CostModel.Saving(raw, total)) == "87 %",
                $"1 − 34.8M / 270M = {Percent(CostModel.Saving(publishedRaw, publishedTotal))}, again a month against a day; " +
                $"1 − {Events(total)} / {Events(raw)} = {Percent(CostModel.Saving(raw, total))}."),
            new("Headline saving (\"99.996% cost savings vs raw event streaming\")",
                "99.996 %",
                $"{Percent(CostModel.Saving(raw, total))} ({Percent(CostModel.Saving(raw, aggregates))} for aggregates alone)",
                Percent(CostModel.Saving(raw, total)) == "99.996 %",
                $"Follows from none of the estimate's figures: a 99.996 % saving on {Events(raw)} raw events would leave {Events(raw * 0.00004m)} events a month, " +
                $"fewer than the {Events(aggregates)} aggregates the estimate itself counts."),
        };
        return findings;
    }

    private static string N(decimal value) => value.ToString("#,0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string Events(decimal value) => CostFormat.Events(value);

    private static string Money(decimal value) => CostFormat.Money(value);

    private static string Percent(decimal fraction) => CostFormat.Percent(fraction);
}
