using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers.CodeFixes;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Telemetry.Analyzers.Usage;

namespace Telemetry.Analyzers.CSharp.Tests.Usage;

public class UseGeneratedTrackMethodCodeFixTests
{
    private const string Legacy = """

        static class LegacyTracking
        {
            public static void Track(this Telemetry.Runtime.ITelemetryClient client, string name, object? properties = null) { }
            public static void Track(this Telemetry.Runtime.ITelemetryClient client, System.Collections.Generic.IDictionary<string, object> properties) { }
        }

        interface IAnalytics { void Capture(string eventName, object properties); }
        """;

    private static DiagnosticResult Expected(int markup, string name, string track) =>
        new DiagnosticResult(Descriptors.StringNamedTrack).WithLocation(markup).WithArguments("Track", name, track);

    private static Task RunAsync(string source, string? fixedSource, params DiagnosticResult[] expected)
    {
        var test = new TelemetryCodeFixTest<StringNamedTrackAnalyzer, UseGeneratedTrackMethodCodeFix>(Catalogs.Both(), source + Legacy, fixedSource is null ? null : fixedSource + Legacy);
        test.ExpectedDiagnostics.AddRange(expected);
        if (fixedSource is null)
        {
            // The diagnostic stays, with no fix offered.
            test.FixedState.ExpectedDiagnostics.AddRange(expected);
        }

        return test.RunAsync();
    }

    [Fact]
    public Task Anonymous_object_members_become_named_arguments_and_enum_strings_become_enum_members() =>
        RunAsync(
            """
            using Telemetry.Events;
            using Telemetry.Runtime;

            class C
            {
                void M(ITelemetryClient client, string pair)
                {
                    {|#0:client.Track("watchlist.add", new { symbol = pair, source = "search", price = 49000.5m })|};
                }
            }
            """,
            """
            using Telemetry.Events;
            using Telemetry.Runtime;

            class C
            {
                void M(ITelemetryClient client, string pair)
                {
                    client.TrackWatchlistAdd(symbol: pair, source: WatchlistAddSource.Search, price: 49000.5m);
                }
            }
            """,
            Expected(0, "watchlist.add", "TrackWatchlistAdd"));

    [Fact]
    public Task Dictionary_entries_map_by_catalog_name_and_the_namespace_is_imported() =>
        RunAsync(
            """
            using System.Collections.Generic;
            using Telemetry.Runtime;

            class C
            {
                void M(ITelemetryClient client)
                {
                    {|#0:client.Track(new Dictionary<string, object> { ["event"] = "watchlist.remove", ["symbol"] = "BTC/USDT", ["screen_x"] = 12 })|};
                }
            }
            """,
            """
            using System.Collections.Generic;
            using Telemetry.Runtime;
            using Telemetry.Events;

            class C
            {
                void M(ITelemetryClient client)
                {
                    client.TrackWatchlistRemove(symbol: "BTC/USDT", screenX: 12);
                }
            }
            """,
            Expected(0, "watchlist.remove", "TrackWatchlistRemove"));

    [Fact]
    public Task Fix_all_rewrites_every_call_and_adds_the_shared_using_once() =>
        // The test harness also runs Fix All (document, project, solution) and expects the same result: with the batch
        // fixer, the fixes that each inserted the same using conflicted and calls were left unfixed.
        RunAsync(
            """
            using Telemetry.Runtime;

            class C
            {
                void M(ITelemetryClient client)
                {
                    {|#0:client.Track("watchlist.remove", new { symbol = "BTC/USDT" })|};
                    {|#1:client.Track("watchlist.remove", new { symbol = "ETH/USDT" })|};
                    {|#2:client.Track("watchlist.add", new { symbol = "SOL/USDT", source = "chart" })|};
                }
            }
            """,
            """
            using Telemetry.Runtime;
            using Telemetry.Events;

            class C
            {
                void M(ITelemetryClient client)
                {
                    client.TrackWatchlistRemove(symbol: "BTC/USDT");
                    client.TrackWatchlistRemove(symbol: "ETH/USDT");
                    client.TrackWatchlistAdd(symbol: "SOL/USDT", source: WatchlistAddSource.Chart);
                }
            }
            """,
            Expected(0, "watchlist.remove", "TrackWatchlistRemove"),
            Expected(1, "watchlist.remove", "TrackWatchlistRemove"),
            Expected(2, "watchlist.add", "TrackWatchlistAdd"));

    [Fact]
    public Task No_fix_when_a_required_parameter_is_missing() =>
        RunAsync(
            """
            using Telemetry.Runtime;

            class C
            {
                void M(ITelemetryClient client) => {|#0:client.Track("watchlist.add", new { symbol = "BTC/USDT" })|};
            }
            """,
            null,
            Expected(0, "watchlist.add", "TrackWatchlistAdd"));

    [Fact]
    public Task No_fix_when_a_member_has_no_parameter_or_a_value_does_not_convert() =>
        RunAsync(
            """
            using Telemetry.Runtime;

            class C
            {
                void M(ITelemetryClient client)
                {
                    {|#0:client.Track("watchlist.remove", new { symbol = "BTC/USDT", colour = "red" })|};
                    {|#1:client.Track("watchlist.add", new { symbol = "BTC/USDT", source = "nowhere" })|};
                }
            }
            """,
            null,
            Expected(0, "watchlist.remove", "TrackWatchlistRemove"),
            Expected(1, "watchlist.add", "TrackWatchlistAdd"));

    [Fact]
    public Task No_fix_when_the_receiver_is_not_a_telemetry_client()
    {
        var test = new TelemetryCodeFixTest<StringNamedTrackAnalyzer, UseGeneratedTrackMethodCodeFix>(
            Catalogs.Both(),
            """
            class C
            {
                void M(IAnalytics analytics) => {|#0:analytics.Capture("watchlist.remove", new { symbol = "BTC/USDT" })|};
            }
            """ + Legacy,
            null);
        var expected = new DiagnosticResult(Descriptors.StringNamedTrack).WithLocation(0).WithArguments("Capture", "watchlist.remove", "TrackWatchlistRemove");
        test.ExpectedDiagnostics.Add(expected);
        test.FixedState.ExpectedDiagnostics.Add(expected);
        return test.RunAsync();
    }
}
