using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Telemetry.Analyzers.Usage;
using Verify = Telemetry.Analyzers.CSharp.Tests.TestSupport.TelemetryAnalyzerTest<Telemetry.Analyzers.Usage.StringNamedTrackAnalyzer>;

namespace Telemetry.Analyzers.CSharp.Tests.Usage;

public class StringNamedTrackAnalyzerTests
{
    private const string Prelude = """
        using System.Collections.Generic;
        using Telemetry.Events;
        using Telemetry.Runtime;

        static class LegacyTracking
        {
            public static void Track(this ITelemetryClient client, string name, object? properties = null) { }
            public static void Track(this ITelemetryClient client, IDictionary<string, object> properties) { }
        }

        interface IAnalytics { void Capture(string eventName, object properties); }

        """;

    private static DiagnosticResult Expected(int markup, string method, string name, string track) =>
        new DiagnosticResult(Descriptors.StringNamedTrack).WithLocation(markup).WithArguments(method, name, track);

    [Fact]
    public Task String_literal_naming_a_catalog_event_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class C
            {
                void M(ITelemetryClient client) => {|#0:client.Track("watchlist.add", new { symbol = "BTC/USDT" })|};
            }
            """,
            Expected(0, "Track", "watchlist.add", "TrackWatchlistAdd"));

    [Fact]
    public Task Constant_naming_a_catalog_event_is_reported_for_any_tracking_sdk_method() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class C
            {
                const string Zoom = "chart.zoom";
                void M(IAnalytics analytics) => {|#0:analytics.Capture(Zoom, new { level = 3 })|};
            }
            """,
            Expected(0, "Capture", "chart.zoom", "TrackChartZoom"));

    [Fact]
    public Task Dictionary_with_the_event_name_under_event_is_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class C
            {
                void M(ITelemetryClient client) =>
                    {|#0:client.Track(new Dictionary<string, object> { ["event"] = "watchlist.remove", ["symbol"] = "BTC/USDT" })|};
            }
            """,
            Expected(0, "Track", "watchlist.remove", "TrackWatchlistRemove"));

    [Fact]
    public Task Names_outside_the_catalog_and_typed_calls_are_not_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class C
            {
                void M(ITelemetryClient client, string dynamicName)
                {
                    client.Track("watchlist.unknown", new { symbol = "BTC/USDT" });
                    client.Track(dynamicName);
                    client.Track(new Dictionary<string, object> { ["event"] = "other.thing" });
                    client.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search);
                    System.Console.WriteLine("watchlist.add");
                }
            }
            """);

    [Fact]
    public Task Derived_aggregate_events_are_not_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), Prelude + """
            class C
            {
                void M(ITelemetryClient client) => client.Track("chart.crosshair_agg");
            }
            """);
}
