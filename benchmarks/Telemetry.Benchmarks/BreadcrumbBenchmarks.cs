using BenchmarkDotNet.Attributes;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// What error breadcrumbs cost Track: the ring write alone (<c>ErrorTracker.RecordTrack(in event, ticks)</c>: one
/// interlocked increment and a copy of the event struct into its type's ring, no allocation), and the sampled-in generated TrackWatchlistAdd into the full pipeline with
/// breadcrumbs on (the default 50) and off (0). Same iteration scheme as <see cref="TrackBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class BreadcrumbBenchmarks
{
    public const int CallsPerIteration = 200_000;

    private TelemetryPipeline _withBreadcrumbs = null!;
    private TelemetryPipeline _withoutBreadcrumbs = null!;
    private ErrorTracker _tracker = null!;
    private long _ticks;
    private WatchlistAdd _event;

    [GlobalSetup]
    public void GlobalSetup()
    {
        var user = Users.SampledIn(WatchlistAdd.Descriptor);
        _withBreadcrumbs = TrackBenchmarks.Build(user, maxBreadcrumbs: 50);
        _withoutBreadcrumbs = TrackBenchmarks.Build(user, maxBreadcrumbs: 0);
        _tracker = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 50 });
        _ticks = DateTime.UtcNow.Ticks;
        _event = new WatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 1000)
        {
            for (var i = 0; i < 20_000; i++)
            {
                RingWrite();
                TrackWithBreadcrumbs();
                TrackWithoutBreadcrumbs();
            }

            Drain();
        }

        Thread.Sleep(250);
    }

    [IterationCleanup]
    public void Drain()
    {
        _withBreadcrumbs.FlushAsync().GetAwaiter().GetResult();
        _withoutBreadcrumbs.FlushAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        Drain();
        var dropped = _withBreadcrumbs.Statistics.Dropped + _withoutBreadcrumbs.Statistics.Dropped;
        _withBreadcrumbs.Dispose();
        _withoutBreadcrumbs.Dispose();
        if (dropped != 0) throw new InvalidOperationException($"The capture path dropped {dropped} events: the benchmark measured drops, not captures.");
    }

    [Benchmark(Description = "breadcrumb ring write (RecordTrack)")]
    public void RingWrite() => _tracker.RecordTrack(in _event, _ticks);

    [Benchmark(Description = "TrackWatchlistAdd sampled in, breadcrumbs on (50)")]
    public void TrackWithBreadcrumbs() => _withBreadcrumbs.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);

    [Benchmark(Baseline = true, Description = "TrackWatchlistAdd sampled in, breadcrumbs off")]
    public void TrackWithoutBreadcrumbs() => _withoutBreadcrumbs.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);
}
