using System.Text.Json;
using Telemetry.Catalog.Tool.Cost;
using Telemetry.Catalog.Tool.Tests.TestSupport;

namespace Telemetry.Catalog.Tool.Tests.Commands;

public sealed class CostCommandTests
{
    [Fact]
    public void Crosshair_with_the_defaults_is_8_1_billion_raw_and_32_4_million_aggregates_a_month()
    {
        var set = Catalogs.Shipped();
        var estimate = CostModel.Estimate(set.Events, CostScenario.Default);

        var move = estimate.Events.Single(c => c.Event.Name == "chart.crosshair_move");
        var agg = estimate.Events.Single(c => c.Event.Name == "chart.crosshair_agg");
        Assert.Equal(8_100_000_000m, move.RawEvents);
        Assert.Equal(81_000_000m, move.SentEvents); // the 1 % full stream
        Assert.Equal(0m, agg.RawEvents);
        Assert.Equal(32_400_000m, agg.SentEvents);
        Assert.Equal(8_100_000m, CostModel.Price(move.RawEvents, CostScenario.Default));
        Assert.Equal(32_400m, CostModel.Price(agg.SentEvents, CostScenario.Default));
    }

    [Fact]
    public void Normal_events_use_the_normal_rate_and_their_sampling()
    {
        var set = Catalogs.Shipped();
        var scenario = CostScenario.Default with { NormalRatePerHour = 12m };
        var add = CostModel.Estimate(set.Events, scenario).Events.Single(c => c.Event.Name == "watchlist.add");

        Assert.Equal(1500m * 12m * 1m * 30m, add.RawEvents);
        Assert.Equal(1500m * 12m * 30m * 0.1m, add.SentEvents);
    }

    [Fact]
    public void The_crosshair_comparison_states_each_disagreement_with_numbers()
    {
        var findings = EstimateComparison.Run(Catalogs.Event(Catalogs.Shipped(), "chart.crosshair_move"));

        var byClaim = findings.ToDictionary(f => f.Claim);
        Assert.False(byClaim["Raw events per month (no aggregation)"].Agrees);
        Assert.Contains("8,100,000,000", byClaim["Raw events per month (no aggregation)"].Computed);
        Assert.Contains("270,000,000: one day, not a month", byClaim["Raw events per month (no aggregation)"].Explanation);
        Assert.True(byClaim["Aggregate events per month (5 s window)"].Agrees);
        Assert.Equal("99.6 %", byClaim["Saving with aggregation"].Computed);
        Assert.Contains("= 88 % compares a month of aggregates with one day of raw events", byClaim["Saving with aggregation"].Explanation);
        Assert.StartsWith("81,000,000 events/month", byClaim["Full-stream events per month (1 % of users)"].Computed);
        Assert.Equal("98.6 %", byClaim["Saving with the full stream"].Computed);
        Assert.False(byClaim["Headline saving (\"99.996% cost savings vs raw event streaming\")"].Agrees);
        Assert.Equal(1, findings.Count(f => f.Agrees));
    }

    [Fact]
    public void Cost_table_with_the_defaults_matches_golden()
    {
        var run = ToolRunner.Run("cost", "Fixtures/valid");

        Assert.Equal(0, run.ExitCode);
        Golden.Match("cost/valid.txt", run.Out);
    }

    [Fact]
    public void Cost_table_compared_with_the_crosshair_estimate_matches_golden()
    {
        var run = ToolRunner.Run("cost", "Fixtures/valid", "--compare", "crosshair");

        Assert.Equal(0, run.ExitCode);
        Golden.Match("cost/valid-compare.txt", run.Out);
    }

    [Fact]
    public void Cost_json_matches_golden()
    {
        var run = ToolRunner.Run("cost", "Fixtures/valid", "--format", "json", "--compare", "crosshair");

        Assert.Equal(0, run.ExitCode);
        Golden.Match("cost/valid.json", run.Out);
    }

    [Fact]
    public void Cost_json_totals_add_up()
    {
        var run = ToolRunner.RunIn(RepoPaths.Root, "cost", "--format", "json", "--compare", "crosshair");
        using var doc = JsonDocument.Parse(run.Out);
        var events = doc.RootElement.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("in_totals").GetBoolean()).ToList();
        var total = doc.RootElement.GetProperty("total");

        Assert.Equal(events.Sum(e => e.GetProperty("raw_events_per_month").GetDecimal()), total.GetProperty("raw_events_per_month").GetDecimal());
        Assert.Equal(events.Sum(e => e.GetProperty("sent_events_per_month").GetDecimal()), total.GetProperty("sent_events_per_month").GetDecimal());
        var move = doc.RootElement.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("event").GetString() == "chart.crosshair_move");
        Assert.Equal(8_100_000_000m, move.GetProperty("raw_events_per_month").GetDecimal());
        Assert.Equal(8_100_000m, move.GetProperty("raw_cost_per_month").GetDecimal());
        Assert.Equal(8, doc.RootElement.GetProperty("comparison").GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public void The_comparison_with_a_published_estimate_appears_only_when_asked_for()
    {
        var defaults = ToolRunner.RunIn(RepoPaths.Root, "cost");
        var compared = ToolRunner.RunIn(RepoPaths.Root, "cost", "--users", "10", "--compare", "crosshair");
        var unknown = ToolRunner.RunIn(RepoPaths.Root, "cost", "--compare", "someone-elses");

        Assert.DoesNotContain("Comparison with", defaults.Out);
        Assert.DoesNotContain("DISAGREES", defaults.Out);
        Assert.Contains("Comparison with the published crosshair estimate (chart.crosshair_move under its scenario", compared.Out);
        Assert.Contains("- Raw events per month (no aggregation): DISAGREES", compared.Out);
        Assert.Contains("computed:  8,100,000,000 events/month", compared.Out);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("crosshair", unknown.Error);
    }

    [Fact]
    public void Options_change_the_arithmetic()
    {
        var run = ToolRunner.Run("cost", "Fixtures/valid", "--users", "100", "--hours-per-day", "2", "--days", "10", "--rate", "10",
            "--normal-rate", "6", "--price", "0.0005", "--format", "json");
        using var doc = JsonDocument.Parse(run.Out);
        var events = doc.RootElement.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("event").GetString()!);

        Assert.Equal(100m * 2 * 3600 * 10 * 10, events["chart.crosshair_move"].GetProperty("raw_events_per_month").GetDecimal());
        Assert.Equal(100m * 2 * 720 * 10, events["chart.crosshair_agg"].GetProperty("sent_events_per_month").GetDecimal());
        Assert.Equal(100m * 6 * 2 * 10 * 0.5m, events["chart.zoom"].GetProperty("sent_events_per_month").GetDecimal());
        Assert.Equal(100m * 6 * 2 * 10 * 0.5m * 0.0005m, events["chart.zoom"].GetProperty("sent_cost_per_month").GetDecimal());
        Assert.False(doc.RootElement.TryGetProperty("comparison", out _));
    }

    [Fact]
    public void Planned_events_are_listed_but_not_totalled()
    {
        var estimate = CostModel.Estimate(Catalogs.Load(RepoPaths.Fixture("valid")).Events, CostScenario.Default);

        var planned = estimate.Events.Single(c => c.Event.Name == "account.wallet_connect");
        Assert.False(planned.Counted);
        Assert.Equal(estimate.Events.Where(c => c.Counted).Sum(c => c.SentEvents), estimate.SentEvents);
        Assert.DoesNotContain(planned, estimate.Events.Where(c => c.Counted));
    }
}
