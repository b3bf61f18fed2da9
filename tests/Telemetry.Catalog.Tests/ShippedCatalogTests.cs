using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tests;

/// <summary>The catalogs shipped in catalog/*.yaml: valid, PII-clean, and exactly the events listed here.</summary>
public sealed class ShippedCatalogTests
{
    /// <summary>The 35 shipped events, chart.crosshair_agg derived from chart.crosshair_move.</summary>
    private static readonly string[] SeedEvents =
    {
        "screenshot.upload_start", "screenshot.crop_complete", "analysis.ocr_extraction", "analysis.heuristic_complete",
        "analysis.range_calculated", "analysis.bias_detected",
        "watchlist.add", "watchlist.remove", "watchlist.bulk_remove", "watchlist.open_chart", "watchlist.row_select",
        "watchlist.sort_change", "watchlist.correlation_hot_tokens",
        "replay.session_load", "replay.play_toggle", "replay.export_start", "replay.bookmark_create", "replay.speed_change",
        "replay.seek", "replay.step",
        "order.panel_open", "order.place_preview", "order.place_sim", "trade.quick_open", "order.sl_tp_set",
        "order.cancel_attempt", "order.place_live",
        "chart.crosshair_agg", "chart.crosshair_move", "chart.annotation_create", "chart.indicator_add", "chart.zoom",
        "chart.tool_activate", "chart.indicator_toggle", "chart.pan",
    };

    private static readonly string[] SeedMetrics = { "heuristic.execution", "backtest.result", "rule.version.performance" };

    private static CatalogSet? Load()
    {
        if (!Directory.Exists(RepoPaths.Catalog)) return null;
        var paths = Directory.EnumerateFiles(RepoPaths.Catalog, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (paths.Count == 0) return null;
        return CatalogSet.Parse(paths.Select(p => new KeyValuePair<string, string>(Path.GetRelativePath(RepoPaths.Root, p), File.ReadAllText(p))));
    }

    [Fact]
    public void SeedListHas35DistinctEvents() => Assert.Equal(35, SeedEvents.Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void ShippedCatalogsHaveNoErrorAndNoUnclassifiedPii()
    {
        var set = Load();
        if (set is null) return; // catalog/ not written yet

        var bad = set.AllDiagnostics.Where(d => d.Severity == CatalogSeverity.Error || d.Id == DiagnosticIds.UnclassifiedPii).ToList();
        Assert.True(bad.Count == 0, CatalogText.Describe(bad));
    }

    [Fact]
    public void ShippedCatalogsDefineExactlyTheSeedEvents()
    {
        var set = Load();
        if (set is null) return;

        var names = set.Events.Select(e => e.Name).ToList();
        Assert.Equal(35, names.Count);
        Assert.Equal(SeedEvents.OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "chart.crosshair_agg" }, set.Events.Where(e => e.IsAggregate).Select(e => e.Name));
        Assert.Equal("chart.crosshair_move", set.Events.Single(e => e.Name == "chart.crosshair_agg").AggregatedFrom);
    }

    [Fact]
    public void ShippedCrosshairAggregateHasTheSeedPayload()
    {
        var set = Load();
        if (set is null) return;

        var agg = set.Events.Single(e => e.Name == "chart.crosshair_agg");
        Assert.Equal(
            new[] { "symbol", "window_ms", "count", "price_min", "price_max", "price_avg", "last_price", "last_time", "heatmap" },
            agg.Properties.Select(p => p.Name));
        var move = set.Events.Single(e => e.Name == "chart.crosshair_move");
        Assert.Equal(Frequency.High, move.Frequency);
        Assert.True(move.LocalOnly);
    }

    [Fact]
    public void EveryOrderAndTradeEventIsFinancialAndNeverSampled()
    {
        var set = Load();
        if (set is null) return;

        var trading = set.Events.Where(e => e.Name.StartsWith("order.", StringComparison.Ordinal) || e.Name.StartsWith("trade.", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, trading.Count);
        Assert.All(trading, e =>
        {
            Assert.True(e.Sensitivity == Sensitivity.Financial, $"{e.Name} is {e.Sensitivity}, not financial");
            Assert.True(e.Sampling == 1.0, $"{e.Name} is sampled at {e.Sampling}");
        });
    }

    [Fact]
    public void ReplaySessionLoadIsSessionSensitive()
    {
        var set = Load();
        if (set is null) return;

        var load = set.Events.Single(e => e.Name == "replay.session_load");
        Assert.Equal(Sensitivity.Session, load.Sensitivity);
        Assert.Equal(1.0, load.Sampling);
    }

    [Theory]
    [InlineData("watchlist.correlation_hot_tokens")]
    [InlineData("order.place_live")]
    public void FutureEventsArePlanned(string name)
    {
        var set = Load();
        if (set is null) return;

        Assert.Equal(EventStatus.Planned, set.Events.Single(e => e.Name == name).Status);
    }

    [Fact]
    public void ShippedMetricsAreTheThreeHeuristicsMetrics()
    {
        var set = Load();
        if (set is null) return;

        var metrics = set.Files.SelectMany(f => f.Metrics).ToList();
        Assert.Equal(SeedMetrics.OrderBy(n => n, StringComparer.Ordinal), metrics.Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(metrics, m => Assert.NotEmpty(m.Tags));
    }

    [Fact]
    public void ShippedSamplingMatchesTheSeed()
    {
        var set = Load();
        if (set is null) return;

        double SamplingOf(string name) => set.Events.Single(e => e.Name == name).Sampling;
        Assert.Equal(0.1, SamplingOf("screenshot.upload_start"));
        Assert.Equal(0.1, SamplingOf("watchlist.add"));
        Assert.Equal(0.1, SamplingOf("watchlist.remove"));
        Assert.Equal(0.5, SamplingOf("watchlist.row_select"));
        Assert.Equal(0.01, SamplingOf("replay.seek"));
        Assert.True(set.Events.Single(e => e.Name == "watchlist.add").Idempotent);
        Assert.True(set.Events.Single(e => e.Name == "watchlist.remove").Idempotent);
    }

    [Fact]
    public void ShippedBookmarkNoteOnlyLeavesAsItsLength()
    {
        var set = Load();
        if (set is null) return;

        var bookmark = set.Events.Single(e => e.Name == "replay.bookmark_create");
        var personal = bookmark.Properties.Where(p => p.IsPersonalData).ToList();
        Assert.NotEmpty(personal);
        Assert.Contains(personal, p => p.Pii == PiiClass.FreeText && p.Treatment == PiiTreatment.Length && p.WireName == p.Name + "_length");
    }
}
