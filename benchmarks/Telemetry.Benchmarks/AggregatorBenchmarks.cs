using BenchmarkDotNet.Attributes;
using Telemetry.Events;

namespace Telemetry.Benchmarks;

/// <summary>The generated chart.crosshair_agg aggregator: one pointer sample, and closing a window.</summary>
[MemoryDiagnoser]
public class AggregatorBenchmarks
{
    private readonly DateTimeOffset _time = new(2025, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private ChartCrosshairAggAggregator _recording = null!;
    private ChartCrosshairAggAggregator _flushing = null!;
    private CountingClient _client = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        _recording = new ChartCrosshairAggAggregator();
        _flushing = new ChartCrosshairAggAggregator();
        _client = new CountingClient();
        _recording.Record(_time, 49_000, 100, 100, "BTC/USDT");
    }

    [Benchmark(Baseline = true, Description = "ChartCrosshairAggAggregator.Record (one 50 Hz pointer sample)")]
    public void Record()
    {
        var i = ++_i;
        _recording.Record(_time, 49_000 + (i & 15), i & 1023, i & 511, "BTC/USDT");
    }

    /// <summary>
    /// Closing a window: one Record (so the window has its symbol's group) and Flush, which builds the
    /// chart.crosshair_agg event (heatmap copied) and tracks it into a client that keeps nothing. The cost of Flush does
    /// not depend on how many samples the window holds, only on its groups (symbols).
    /// </summary>
    [Benchmark(Description = "Flush of a window (1 symbol; includes its one Record)")]
    public int Flush()
    {
        _flushing.Record(_time, 49_000, 960, 540, "BTC/USDT");
        return _flushing.Flush(_client);
    }
}
