using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Verify = Telemetry.Analyzers.CSharp.Tests.TestSupport.TelemetryAnalyzerTest<Telemetry.Analyzers.Usage.UntrackedEventAnalyzer>;

namespace Telemetry.Analyzers.CSharp.Tests.Usage;

public class UntrackedEventAnalyzerTests
{
    // Line 17 of Catalogs.Chart is "  zoom:", line 21 "  hover_sample:".
    private static DiagnosticResult Zoom => new DiagnosticResult(Descriptors.UntrackedEvent)
        .WithSpan(TelemetryProject.PathOf("chart.yaml"), 17, 3, 17, 7).WithArguments("chart.zoom", "TrackChartZoom");

    private static DiagnosticResult HoverSample => new DiagnosticResult(Descriptors.UntrackedEvent)
        .WithSpan(TelemetryProject.PathOf("chart.yaml"), 21, 3, 21, 15).WithArguments("chart.hover_sample", "TrackChartHoverSample");

    // Every use counts: a direct call, a call inside a wrapper, a method group, new + Track<T>, an event struct created for later.
    private const string TracksAllButZoomAndHover = """
        using System;
        using Telemetry.Events;
        using Telemetry.Runtime;

        class C
        {
            void Direct(ITelemetryClient client) => client.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Chart);
            void Wrapper(ITelemetryClient client, string symbol) => client.TrackWatchlistRemove(symbol);
            Action<ITelemetryClient, double, string> Group() => ChartTelemetry.TrackChartCrosshairMove;
            void Struct(ITelemetryClient client) => client.Track(new WatchlistNoteAdd(client.Privacy, "BTC/USDT", "n"));
        }
        """;

    [Fact]
    public Task Untracked_active_events_are_reported_at_their_yaml_line() =>
        Verify.VerifyAsync(Catalogs.Both(), TracksAllButZoomAndHover, Zoom, HoverSample);

    [Fact]
    public Task Severity_is_configurable() =>
        Verify.VerifyAsync(
            Catalogs.Both().Option("dotnet_diagnostic.TEL4004.severity = warning"),
            TracksAllButZoomAndHover,
            Zoom.WithSeverity(DiagnosticSeverity.Warning),
            HoverSample.WithSeverity(DiagnosticSeverity.Warning));

    [Fact]
    public Task Tracked_planned_and_derived_aggregate_events_are_not_reported() =>
        Verify.VerifyAsync(Catalogs.Both(), TracksAllButZoomAndHover.Replace(
            "void Direct(",
            "void Zoom(ITelemetryClient c) { c.TrackChartZoom(1); c.TrackChartHoverSample(2); }\n    void Direct("));

    [Fact]
    public Task Nothing_is_reported_without_catalog_files() =>
        Verify.VerifyAsync(new TelemetryProject(), "class C { }");
}
