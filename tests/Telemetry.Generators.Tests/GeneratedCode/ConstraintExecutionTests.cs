using System.Text.Json;
using Telemetry.Generators.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Generators.Tests.GeneratedCode;

/// <summary>
/// Catalog constraints checked by the generated Track methods, executed under both policies
/// (<c>TelemetryConstraintPolicy</c> Throw and Report, and the Debug/Release defaults) and with <c>on_violation: clamp</c>.
/// </summary>
public sealed class ConstraintExecutionTests
{
    private const string DriverSource = """
        using System.Collections.Generic;
        using Telemetry.Events;
        using Telemetry.Runtime;

        public static class Driver
        {
            public static void Zoom(ITelemetryClient client, int bars, double level, string? symbol, string? note) =>
                client.TrackChartZoom(Timeframe._1h, bars, level, symbol: symbol, note: note);

            public static void Compare(ITelemetryClient client, string[] assets, string[] frames) =>
                client.TrackChartCompare(System.Array.ConvertAll(frames, f => { TimeframeExtensions.Values.TryParse(f, out var t); return t; }), assets, timeframe: Timeframe._1d);

            // One enum for both events: the same value passes from one to the other without conversion.
            public static Timeframe Shared(Timeframe t) { ChartZoom z = new ChartZoom(t, 10, 0.5); ChartCompare c = new ChartCompare(new[] { z.Timeframe }, new[] { "BTC" }, z.Timeframe); return c.Timeframe!.Value; }
        }
        """;

    private delegate void Zoom(ITelemetryClient client, int bars, double level, string? symbol, string? note);

    private delegate void Compare(ITelemetryClient client, string[] assets, string[] frames);

    private static readonly Lazy<GeneratedAssembly> Throwing = new(() => Build("ConstraintThrow", "Throw", null));
    private static readonly Lazy<GeneratedAssembly> Reporting = new(() => Build("ConstraintReport", "Report", null));
    private static readonly Lazy<GeneratedAssembly> DebugDefault = new(() => Build("ConstraintDebug", null, "Debug"));
    private static readonly Lazy<GeneratedAssembly> ReleaseDefault = new(() => Build("ConstraintRelease", null, "Release"));

    private static GeneratedAssembly Build(string name, string? policy, string? configuration)
    {
        var options = new Dictionary<string, string>();
        if (policy is not null) options["build_property.TelemetryConstraintPolicy"] = policy;
        if (configuration is not null) options["build_property.Configuration"] = configuration;
        return GeneratedAssembly.Build(new[] { TestCatalogs.SnapshotCases["SharedDefinitions"] }, DriverSource, name, options);
    }

    private static InMemoryTelemetryClient Client() => new(new TelemetryClientOptions { UserId = "user-1" });

    public static TheoryData<int, double, string?, string> Violations => new()
    {
        { 9, 0.5, null, "min 10" },
        { 1001, 0.5, null, "max 1000" },
        { 100, 0.5, "btc/usdt", "pattern ^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$" },
        { 100, 0.5, "ABCDEFGHIJKLMNO/ABCDEFGHIJKLMNOPQR", "max_length 32" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Throw_policy_throws_naming_the_event_the_property_and_the_rule(int bars, double level, string? symbol, string rule)
    {
        using var client = Client();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Throwing.Value.Method<Zoom>("Driver", "Zoom")(client, bars, level, symbol, null));
        Assert.Contains("'chart.zoom'", ex.Message);
        Assert.Contains(symbol is null ? "'visible_bars'" : "'symbol'", ex.Message);
        Assert.Contains(rule, ex.Message);
        Assert.Empty(client.Events);
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void Report_policy_drops_the_event_and_counts_it(int bars, double level, string? symbol, string rule)
    {
        _ = rule;
        using var client = Client();
        Reporting.Value.Method<Zoom>("Driver", "Zoom")(client, bars, level, symbol, null);
        Assert.Empty(client.Events);
        Assert.Equal(1, client.ConstraintDrops);
    }

    [Fact]
    public void Debug_defaults_to_throw_and_other_configurations_to_report()
    {
        using var client = Client();
        Assert.Throws<ArgumentOutOfRangeException>(() => DebugDefault.Value.Method<Zoom>("Driver", "Zoom")(client, 0, 0.5, null, null));
        ReleaseDefault.Value.Method<Zoom>("Driver", "Zoom")(client, 0, 0.5, null, null);
        Assert.Equal(1, client.ConstraintDrops);
    }

    [Fact]
    public void Values_within_their_constraints_are_sent_unchanged()
    {
        using var client = Client();
        Throwing.Value.Method<Zoom>("Driver", "Zoom")(client, 10, 1, "BTC/USDT", "12345678");
        Throwing.Value.Method<Zoom>("Driver", "Zoom")(client, 1000, 0, null, null);
        Assert.Equal(2, client.Events.Count);
        using var doc = JsonDocument.Parse(client.Events[0]);
        Assert.Equal("BTC/USDT", doc.RootElement.GetProperty("symbol").GetString());
        Assert.Equal("1h", doc.RootElement.GetProperty("timeframe").GetString());
        Assert.Equal(0, client.ClampedValues);
    }

    [Theory]
    [InlineData(-0.5, "0")]
    [InlineData(7.0, "1")]
    public void Clamp_keeps_the_event_with_the_number_clamped_and_counts_it(double level, string expected)
    {
        using var client = Client();
        Throwing.Value.Method<Zoom>("Driver", "Zoom")(client, 10, level, null, null);
        using var doc = JsonDocument.Parse(Assert.Single(client.Events));
        Assert.Equal(expected, doc.RootElement.GetProperty("level").GetRawText());
        Assert.Equal(1, client.ClampedValues);
        Assert.Equal(0, client.ConstraintDrops);
    }

    [Fact]
    public void Clamp_cuts_a_string_to_max_length_without_splitting_a_surrogate_pair()
    {
        using var client = Client();
        Throwing.Value.Method<Zoom>("Driver", "Zoom")(client, 10, 0.5, null, "1234567\U0001F600tail");
        using var doc = JsonDocument.Parse(Assert.Single(client.Events));
        Assert.Equal("1234567\U0001F600", doc.RootElement.GetProperty("note").GetString());
        Assert.Equal(1, client.ClampedValues);
    }

    [Fact]
    public void A_NaN_cannot_be_clamped_and_follows_the_policy()
    {
        using var client = Client();
        Assert.Throws<ArgumentOutOfRangeException>(() => Throwing.Value.Method<Zoom>("Driver", "Zoom")(client, 10, double.NaN, null, null));
        Reporting.Value.Method<Zoom>("Driver", "Zoom")(client, 10, double.NaN, null, null);
        Assert.Equal(1, client.ConstraintDrops);
    }

    [Theory]
    [InlineData(new string[0], new[] { "1m" }, "min_items 1")]
    [InlineData(new[] { "A", "B", "C", "D", "E" }, new[] { "1m" }, "max_items 4")]
    [InlineData(new[] { "ABCDEFGHIJKLM" }, new[] { "1m" }, "items max_length 12")]
    [InlineData(new[] { "BTC" }, new[] { "1m", "1m" }, "unique_items")]
    [InlineData(new[] { "BTC" }, new[] { "1m", "5m", "1h", "1d" }, "max_items 3")]
    public void Array_counts_distinct_items_and_item_constraints_are_checked(string[] assets, string[] frames, string rule)
    {
        using var client = Client();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Throwing.Value.Method<Compare>("Driver", "Compare")(client, assets, frames));
        Assert.Contains(rule, ex.Message);
        Reporting.Value.Method<Compare>("Driver", "Compare")(client, assets, frames);
        Assert.Empty(client.Events);
        Assert.Equal(1, client.ConstraintDrops);
        Throwing.Value.Method<Compare>("Driver", "Compare")(client, new[] { "BTC", "ETH" }, new[] { "1m", "1h" });
        Assert.Single(client.Events);
    }

    [Fact]
    public void Sampled_out_calls_are_not_checked()
    {
        // A user whose bucket is outside the event's sampling never reaches the checks: an invalid value does not throw.
        var catalog = TestCatalogs.SharedDefinitions.Replace("    description: The chart was zoomed.", "    description: The chart was zoomed.\n    sampling: 0.0001");
        var assembly = GeneratedAssembly.Build(new[] { CatalogInput.File("chart.yaml", catalog) }, DriverSource, "ConstraintSampledOut",
            new Dictionary<string, string> { ["build_property.TelemetryConstraintPolicy"] = "Throw" });
        var checkedOut = 0;
        for (var i = 0; i < 50; i++)
        {
            using var client = new InMemoryTelemetryClient(new TelemetryClientOptions { UserId = "user-" + i });
            if (client.UserBucket < 1) continue;
            assembly.Method<Zoom>("Driver", "Zoom")(client, 0, 0.5, null, null);
            Assert.Empty(client.Events);
            checkedOut++;
        }

        Assert.True(checkedOut > 40);
    }

    [Fact]
    public void One_enum_definition_is_one_CSharp_enum_shared_by_every_event()
    {
        var sources = Throwing.Value.Sources.Values;
        var all = string.Join("\n", sources);
        Assert.Contains("public enum Timeframe", all);
        Assert.DoesNotContain("enum ChartZoomTimeframe", all);
        Assert.DoesNotContain("enum ChartCompareTimeframe", all);
        Assert.DoesNotContain("enum ChartCompareFrames", all);
        Assert.Contains("public static partial class TimeframeExtensions", all);
        var shared = Throwing.Value.Assembly.GetType("Driver")!.GetMethod("Shared")!;
        var timeframe = Throwing.Value.Assembly.GetType("Telemetry.Events.Timeframe")!;
        Assert.Equal("_1d", shared.Invoke(null, new[] { Enum.Parse(timeframe, "_1d") })!.ToString());
    }
}
