using Telemetry.Generators.Tests.TestSupport;

namespace Telemetry.Generators.Tests.GeneratedCode;

/// <summary>The shipped catalog's generated code plus <see cref="DriverSource"/>, compiled and loaded once for all execution tests.</summary>
public sealed class ShippedCatalogAssembly
{
    /// <summary>Calls into the generated API exactly as application code would.</summary>
    public const string DriverSource = """
        using System;
        using Telemetry.Events;
        using Telemetry.Runtime;

        public static class Driver
        {
            public static void WatchlistAdd(ITelemetryClient client) =>
                client.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Trending, price: 49000.25m);

            public static void WatchlistAddWithoutPrice(ITelemetryClient client) =>
                client.TrackWatchlistAdd("ETH/USDT", WatchlistAddSource.Screenshot);

            public static void WatchlistAddAtPrice(ITelemetryClient client, decimal price) =>
                client.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Chart, price);

            public static void BookmarkWithNote(ITelemetryClient client, string note) =>
                client.TrackReplayBookmarkCreate(Guid.Parse("0193a5b2-7c1e-7d4a-9f3b-2e8c1a6d4f10"), 1275, note);

            public static void OcrExtraction(ITelemetryClient client) =>
                client.TrackAnalysisOcrExtraction(Guid.Parse("0193a5d0-4b2c-7a9e-8f01-3c6d2e9a7b54"), 8, 0.93, TimeSpan.FromMilliseconds(1840.5),
                    detectedTimeframe: Timeframe._4h);

            public static void BulkRemove(ITelemetryClient client) =>
                client.TrackWatchlistBulkRemove(new[] { "BTC/USDT", "ETH/USDT" }, WatchlistBulkRemoveSelectionMode.SelectAll, 12);

            public static void CrosshairMove(ITelemetryClient client, DateTimeOffset time, double price, int x, int y, string symbol) =>
                client.TrackChartCrosshairMove(time, price, x, y, symbol);

            public static int CatalogCount() => TelemetryCatalog.Events.Count;

            public static EventDescriptor? Find(string name) => TelemetryCatalog.Find(name);

            public static EventDescriptor CrosshairAggDescriptor() => ChartCrosshairAgg.Descriptor;

            public static EventDescriptor WatchlistAddDescriptor() => global::Telemetry.Events.WatchlistAdd.Descriptor;

            public static System.Diagnostics.Metrics.Meter HeuristicsMeter() => HeuristicsMetrics.Meter;

            public static void RecordHeuristic(double milliseconds) =>
                HeuristicsMetrics.RecordHeuristicExecution(milliseconds, "rule-7", "v2", HeuristicExecutionOutcome.Miss);

            public static void AddBacktest() => HeuristicsMetrics.AddBacktestResult("breakout", BacktestResultOutcome.Profit);
        }
        """;

    public ShippedCatalogAssembly() => Generated = GeneratedAssembly.Build(CatalogInput.Shipped(), DriverSource, "ShippedCatalogDriver");

    internal GeneratedAssembly Generated { get; }

    internal TDelegate Driver<TDelegate>(string method)
        where TDelegate : Delegate => Generated.Method<TDelegate>("Driver", method);
}
