using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Telemetry.Events;
using Telemetry.Runtime;

namespace ChartPwa;

/// <summary>
/// Track's cost in this browser tab and the pipeline's memory over simulated pointer input. Timings use
/// performance.now() through Stopwatch (coarsened by browsers to 5-100 µs), so each figure times one long loop.
/// </summary>
public static class TrackBenchmark
{
    private const int Calls = 200_000;
    private const int SimulatedMoves = 30_000; // 10 minutes of pointer moves at 50 Hz
    private const int MovesPerCheckpoint = 1_500; // 30 seconds
    private const int MovesPerDrain = 250; // 5 seconds: the pipeline's drain closes each due window

#pragma warning disable TEL4003 // Tracking in a loop is what a benchmark does.
    public static async Task<string> RunAsync()
    {
        var clock = new SteppedClock(new DateTimeOffset(2025, 11, 10, 12, 0, 0, TimeSpan.Zero));
        await using var pipeline = TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "ChartPwaBench";
                o.AnonymousId = "bench-anonymous";
                o.BufferCapacity = Calls + 1;
                o.Sampling["chart.tool_activate"] = SamplingRule.Never();
            })
            .WithSink(new NoOpSink())
            .WithQueue(new InMemoryOfflineQueue(new QueueLimits(Calls * 2, 1L << 30)))
            .WithTimeProvider(clock)
            .Build();
        ITelemetryClient client = pipeline;
        var time = clock.GetUtcNow();

        // Warm up every path (the interpreter compiles nothing ahead; this fills its caches).
        for (var i = 0; i < 2_000; i++)
        {
            client.TrackChartCrosshairMove(time, 49_000 + i, i % 900, i % 420, "BTC/USDT");
            client.TrackChartToolActivate(ChartToolActivateTool.Crosshair, ChartToolActivateInput.Toolbar);
            client.TrackChartZoom(ChartZoomDirection.In, ChartZoomMethod.Wheel, 120, Timeframe._1h);
        }

        await pipeline.FlushAsync();

        var sampledOut = Time(() =>
        {
            for (var i = 0; i < Calls; i++) client.TrackChartToolActivate(ChartToolActivateTool.Crosshair, ChartToolActivateInput.Toolbar);
        });
        var aggregated = Time(() =>
        {
            for (var i = 0; i < Calls; i++) client.TrackChartCrosshairMove(time, 49_000 + (i & 1023), i % 900, i % 420, "BTC/USDT");
        });
        var sampledIn = Time(() =>
        {
            for (var i = 0; i < Calls; i++) client.TrackChartZoom(ChartZoomDirection.In, ChartZoomMethod.Wheel, 120, Timeframe._1h);
        });
        await pipeline.FlushAsync();

        // Memory over 10 simulated minutes of pointer moves: the clock advances 20 ms per move, so the 5-second
        // aggregation windows close and their aggregates go through the queue as in real use.
        var memory = new List<long>();
        var sentBefore = pipeline.Statistics.Sent;
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var move = 0; move < SimulatedMoves; move++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            client.TrackChartCrosshairMove(clock.GetUtcNow(), 49_000 + (move % 500), move % 900, move % 420, "BTC/USDT");
            if ((move + 1) % MovesPerDrain != 0) continue;
            await pipeline.FlushAsync();
            if ((move + 1) % MovesPerCheckpoint != 0) continue;
            memory.Add(GC.GetTotalMemory(forceFullCollection: true));
        }

        var stats = pipeline.Statistics;
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["calls"] = Calls,
            ["sampled_out_ns"] = Round(sampledOut.TotalNanoseconds / Calls),
            ["aggregated_crosshair_ns"] = Round(aggregated.TotalNanoseconds / Calls),
            ["sampled_in_ns"] = Round(sampledIn.TotalNanoseconds / Calls),
            ["simulated_moves"] = SimulatedMoves,
            ["simulated_minutes"] = SimulatedMoves * 20 / 60_000.0,
            ["memory_before_bytes"] = before,
            ["memory_checkpoints_bytes"] = memory,
            ["aggregates_sent"] = stats.Sent - sentBefore,
            ["dropped"] = stats.Dropped,
            ["stopwatch_resolution_ns"] = Round(1e9 / Stopwatch.Frequency),
        }, BenchJson.Default.DictionaryStringObject);
    }
#pragma warning restore TEL4003

    private static TimeSpan Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start);
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>A clock the benchmark advances by hand (timers stay on real time).</summary>
    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<long>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
internal sealed partial class BenchJson : System.Text.Json.Serialization.JsonSerializerContext
{
}
