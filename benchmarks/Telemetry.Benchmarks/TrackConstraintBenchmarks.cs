using BenchmarkDotNet.Attributes;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// The sampled-in cost of the catalog constraint checks in the generated <c>TrackWatchlistAdd</c>
/// (<c>symbol</c>: max_length 32 and a pattern; <c>price</c>: min 0) against the same call without them
/// (the sampling check and the capture the Track method did before constraints were checked). Target: at most
/// 10 ns more. Both run into the full pipeline on the caller's thread, as in <see cref="TrackBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class TrackConstraintBenchmarks
{
    private TelemetryPipeline _pipeline = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _pipeline = TrackBenchmarks.Build(Users.SampledIn(WatchlistAdd.Descriptor));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 1000)
        {
            for (var i = 0; i < 20_000; i++)
            {
                WithChecks();
                WithoutChecks();
            }

            Drain();
        }

        Thread.Sleep(250);
    }

    [IterationCleanup]
    public void Drain() => _pipeline.FlushAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        Drain();
        var dropped = _pipeline.Statistics.Dropped;
        _pipeline.Dispose();
        if (dropped != 0) throw new InvalidOperationException($"The capture path dropped {dropped} events (constraint or buffer): the benchmark measured drops, not captures.");
    }

    [Benchmark(Description = "generated TrackWatchlistAdd, sampled in, with constraint checks")]
    public void WithChecks() => _pipeline.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);

    [Benchmark(Baseline = true, Description = "same call without constraint checks")]
    public void WithoutChecks()
    {
        if (!_pipeline.IsEnabled(WatchlistAdd.Descriptor)) return;
        _pipeline.Track(new WatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m));
    }
}
