namespace Telemetry.Package.Tests;

/// <summary>
/// A fresh consumer of the packages whose catalog uses shared definitions: one definitions-only file, two events that
/// ref the same enum (one C# <c>Timeframe</c>), a narrowed ref, constraint policies by configuration and property,
/// TEL4006 at the call site, and TelemetryStrict with an event not yet tracked.
/// </summary>
public sealed class SharedDefinitionsPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    private const string Definitions = """
        definitions:
          timeframe: { type: enum, values: [1m, 5m, 1h, 1d], description: Candle timeframe. }
          bars: { type: int32, min: 1, max: 10000, description: Number of candles. }

        """;

    private const string Chart = """
        feature: chart
        events:
          zoom:
            description: The chart was zoomed.
            properties:
              timeframe: { ref: timeframe }
              visible_bars: { ref: bars, max: 5000 }
          pan:
            description: The chart was panned.
            properties:
              timeframe: { ref: timeframe, required: false }
          export:
            description: Not tracked yet (TEL4004 is an info, also under TelemetryStrict).
            properties:
              timeframe: { ref: timeframe }

        """;

    private const string Program = """
        using Telemetry.Events;

        var telemetry = new Telemetry.Runtime.ConsoleTelemetryClient(new Telemetry.Runtime.TelemetryClientOptions { UserId = "u1" });
        Timeframe timeframe = Timeframe._1h;                    // one enum for every event that refs the definition
        telemetry.TrackChartZoom(timeframe, 10);
        telemetry.TrackChartPan(timeframe);
        var bars = int.Parse("0", System.Globalization.CultureInfo.InvariantCulture);   // not a constant: checked at run time
        try
        {
            telemetry.TrackChartZoom(timeframe, bars);
            Console.WriteLine("constraint: accepted");
        }
        catch (ArgumentOutOfRangeException ex)
        {
            Console.WriteLine("constraint: threw: " + ex.Message);
        }

        Console.WriteLine("constraint drops: " + telemetry.ConstraintDrops);
        telemetry.Dispose();

        """;

    [Fact]
    public async Task Consumer_with_shared_definitions_builds_runs_and_applies_the_constraint_policies()
    {
        var consumer = ConsumerProject.Create(Packages, "DefinitionsApp", Program);
        consumer.WriteFile("catalog/definitions.yaml", Definitions);
        consumer.WriteFile("catalog/chart.yaml", Chart);

        // Debug: Throw by default. TelemetryStrict: warnings become errors, the untracked event's TEL4004 stays an info.
        var build = await Log(consumer.BuildAsync("-p:TelemetryStrict=true"));
        ProcessAssert.Succeeded(build);
        ProcessAssert.NoAnalyzerFailures(build);
        var run = await Log(consumer.RunAsync());
        ProcessAssert.Succeeded(run);
        ProcessAssert.OutputContains(run, "constraint: threw: Event 'chart.zoom', property 'visible_bars': the value breaks the catalog constraint min 1.");
        var events = JsonLines(run);
        Assert.Equal(new[] { "chart.zoom", "chart.pan" }, events.Select(e => e.GetProperty("event").GetString()));
        Assert.All(events, e => Assert.Equal("1h", e.GetProperty("timeframe").GetString()));

        // Report: the event is dropped and counted, nothing thrown.
        var report = await Log(consumer.BuildAsync("-p:TelemetryConstraintPolicy=Report"));
        ProcessAssert.Succeeded(report);
        run = await Log(consumer.RunAsync());
        ProcessAssert.Succeeded(run);
        ProcessAssert.OutputContains(run, "constraint: accepted");
        ProcessAssert.OutputContains(run, "constraint drops: 1");
        Assert.Equal(2, JsonLines(run).Count);

        // A policy that does not exist fails the build with a clear message.
        var wrong = await Log(consumer.BuildAsync("-p:TelemetryConstraintPolicy=Ignore"));
        ProcessAssert.Failed(wrong);
        ProcessAssert.OutputContains(wrong, "TelemetryConstraintPolicy is 'Ignore'; use Throw or Report");
    }

    [Fact]
    public async Task Constant_breaking_a_narrowed_ref_fails_the_build_with_TEL4006_at_the_call()
    {
        var consumer = ConsumerProject.Create(Packages, "DefinitionsConstApp", """
            using Telemetry.Events;

            var telemetry = new Telemetry.Runtime.ConsoleTelemetryClient(new Telemetry.Runtime.TelemetryClientOptions { UserId = "u1" });
            telemetry.TrackChartZoom(Timeframe._1d, 6000);
            telemetry.TrackChartPan();
            telemetry.TrackChartExport(Timeframe._1m);

            """);
        consumer.WriteFile("catalog/definitions.yaml", Definitions);
        consumer.WriteFile("catalog/chart.yaml", Chart);

        var build = await Log(consumer.BuildAsync());
        ProcessAssert.Failed(build);
        ProcessAssert.OutputContains(build, "Program.cs(4,41): error TEL4006");
        ProcessAssert.OutputContains(build, "breaks its catalog constraint max 5000");
    }

    private static List<JsonElement> JsonLines(ProcessResult run) =>
        run.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
