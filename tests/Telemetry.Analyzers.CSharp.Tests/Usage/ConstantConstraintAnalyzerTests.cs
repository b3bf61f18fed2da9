using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Verify = Telemetry.Analyzers.CSharp.Tests.TestSupport.TelemetryAnalyzerTest<Telemetry.Analyzers.Usage.ConstantConstraintAnalyzer>;

namespace Telemetry.Analyzers.CSharp.Tests.Usage;

/// <summary>TEL4006: constant arguments that break a property's catalog constraint, with shared definitions and narrowed refs.</summary>
public class ConstantConstraintAnalyzerTests
{
    private const string Definitions = """
        definitions:
          bars: { type: int32, min: 1, max: 10000 }
          pair: { type: string, max_length: 12, pattern: "^[A-Z]+/[A-Z]+$" }
        """;

    private const string Chart = """
        feature: chart
        events:
          zoom:
            description: The chart was zoomed.
            properties:
              visible_bars: { ref: bars, max: 5000 }
              symbol: { ref: pair }
              level: { type: double, min: 0, max: 1, on_violation: clamp }
              price: { type: decimal, min: 0, required: false }
              note: { type: string, max_length: 4, required: false }
        """;

    private const string Usings = """
        using Telemetry.Events;
        using Telemetry.Runtime;

        """;

    private const string TrackOutcome = "throw (TelemetryConstraintPolicy=Throw) or drop the event (Report)";

    private static TelemetryProject Project() => new TelemetryProject().Catalog("definitions.yaml", Definitions).Catalog("chart.yaml", Chart);

    private static DiagnosticResult Expected(int markup, string constant, string property, string rule, string outcome = TrackOutcome) =>
        new DiagnosticResult(Descriptors.ConstantBreaksConstraint).WithLocation(markup).WithArguments("The constant " + constant, property, "chart.zoom", rule, outcome);

    [Fact]
    public Task Literals_consts_and_constant_expressions_breaking_a_constraint_are_errors() =>
        Verify.VerifyAsync(Project(), Usings + """
            class C
            {
                private const int NoBars = 0;

                void M(ITelemetryClient client)
                {
                    const string Lower = "btc/usdt";
                    client.TrackChartZoom({|#0:0|}, "BTC/USDT", 0.5);
                    client.TrackChartZoom({|#1:NoBars|}, "BTC/USDT", 0.5);
                    client.TrackChartZoom({|#2:5000 + 1|}, "BTC/USDT", 0.5);
                    client.TrackChartZoom(10, {|#3:Lower|}, 0.5);
                    client.TrackChartZoom(10, {|#4:"ABCDEFG/ABCDEFG"|}, 0.5);
                    client.TrackChartZoom(10, "BTC/USDT", 0.5, note: {|#5:"12345"|});
                    client.TrackChartZoom(10, "BTC/USDT", 0.5, price: {|#6:-1|});
                    _ = new ChartZoom({|#7:-3|}, "BTC/USDT", 0.5);
                }
            }
            """,
            Expected(0, "0", "visible_bars", "min 1"),
            Expected(1, "0", "visible_bars", "min 1"),
            Expected(2, "5001", "visible_bars", "max 5000"),
            Expected(3, "\"btc/usdt\"", "symbol", "pattern ^[A-Z]+/[A-Z]+$"),
            Expected(4, "\"ABCDEFG/ABCDEFG\"", "symbol", "max_length 12"),
            Expected(5, "\"12345\"", "note", "max_length 4"),
            Expected(6, "-1", "price", "min 0"),
            Expected(7, "-3", "visible_bars", "min 1", "send a value the ingest server rejects"));

    [Fact]
    public Task Values_within_the_constraints_variables_nulls_and_clamped_properties_are_not_reported() =>
        Verify.VerifyAsync(Project(), Usings + """
            class C
            {
                void M(ITelemetryClient client, int bars, string symbol, double level)
                {
                    client.TrackChartZoom(1, "BTC/USDT", 0);
                    client.TrackChartZoom(5000, "ETH/USDT", 1, price: 0m, note: "1234");
                    client.TrackChartZoom(bars, symbol, level);
                    client.TrackChartZoom(10, "BTC/USDT", 7.5);        // level is clamped at run time
                    client.TrackChartZoom(10, "BTC/USDT", -1, note: null);
                    client.TrackChartZoom(visibleBars: 10, symbol: "A/B", level: 0.5);
                }
            }
            """);

    [Fact]
    public Task A_narrowed_ref_is_checked_with_the_narrowed_bound() =>
        // The definition allows 10000; the event's ref narrows it to 5000.
        Verify.VerifyAsync(Project(), Usings + """
            class C
            {
                void M(ITelemetryClient client) => client.TrackChartZoom({|#0:10000|}, "BTC/USDT", 0.5);
            }
            """,
            Expected(0, "10000", "visible_bars", "max 5000"));
}
