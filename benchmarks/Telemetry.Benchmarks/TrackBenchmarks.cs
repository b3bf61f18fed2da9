using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// watchlist.add (sampling 0.1) from the caller's thread, for a user outside and a user inside the sample:
/// the generated TrackWatchlistAdd into the full pipeline (NoOpSink, in-memory queue), a hand-written dictionary
/// tracker (reflection JSON), and a [LoggerMessage] call into a minimal JSON logger.
/// </summary>
/// <remarks>
/// Every iteration is a fixed 200,000 calls (see <see cref="BenchmarkConfig"/>) into an empty capture buffer of
/// 1,000,000 events, and <see cref="Drain"/> serialises and delivers the captured events between iterations, so the
/// pipeline never runs full: what is measured is the capture path, not the buffer-full drop path.
/// <see cref="GlobalCleanup"/> fails the run if a single event was dropped.
/// </remarks>
[MemoryDiagnoser]
public class TrackBenchmarks
{
    public const int CallsPerIteration = 200_000;

    // BenchmarkDotNet runs GlobalSetup/GlobalCleanup once per benchmark case: these add up over the cases.
    private static long _tracked;
    private static long _dropped;
    private static long _sent;

    private TelemetryPipeline _pipelineIn = null!;
    private TelemetryPipeline _pipelineOut = null!;
    private DictionaryTracker _dictionaryIn = null!;
    private DictionaryTracker _dictionaryOut = null!;
    private JsonLogger _logger = null!;
    private int _loggerBucket;
    private int _loggerOutBucket;
    private string _userIn = null!;
    private string _userOut = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _userIn = Users.SampledIn(WatchlistAdd.Descriptor);
        _userOut = Users.SampledOut(WatchlistAdd.Descriptor);
        _pipelineIn = Build(_userIn);
        _pipelineOut = Build(_userOut);
        _dictionaryIn = new DictionaryTracker(_userIn, Guid.NewGuid(), "1.0.0");
        _dictionaryOut = new DictionaryTracker(_userOut, Guid.NewGuid(), "1.0.0");
        _logger = new JsonLogger();
        _loggerBucket = Fnv1a32.Bucket(_userIn);
        _loggerOutBucket = Fnv1a32.Bucket(_userOut);
        WarmUp();
    }

    /// <summary>
    /// Runs every case for about a second before BenchmarkDotNet starts. With a fixed 200,000 calls per iteration,
    /// BenchmarkDotNet's own warm-up iterations last a few milliseconds each for the fast cases: less than the JIT's
    /// tiering delay (100 ms), so without this the measured iterations could still run unoptimised tier-0 code (the
    /// first published run did: 31.8 ns sampled out, against about 10 ns steady state). An application that tracks at
    /// 50 Hz reaches steady state within seconds, which is what is meant to be measured.
    /// </summary>
    private void WarmUp()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 1000)
        {
            for (var i = 0; i < 20_000; i++)
            {
                GeneratedSampledOut();
                GeneratedSampledIn();
                LoggerMessageSampledOut();
                LoggerMessageSampledIn();
            }

            for (var i = 0; i < 200; i++)
            {
                DictionarySampledOut();
                DictionarySampledIn();
            }

            Drain();
        }

        Thread.Sleep(250); // let the background tier-1 compilations land
    }

    internal static TelemetryPipeline Build(string userId, int maxBreadcrumbs = 50) =>
        TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "Telemetry.Benchmarks";
                o.ClientVersion = "1.0.0";
                o.UserId = userId;
                o.UseDurableQueue = false;
                o.Durability.A = EventDurability.Deferred; // watchlist.add is tier A: measure the capture path (DurabilityBenchmarks has write-through)
                o.StorageDirectory = BenchmarkPaths.PrivateTempFolder("pipeline-" + userId);
                o.BufferCapacity = 1_000_000;
                o.MaxQueueRows = 2_000_000;
                o.MaxQueueBytes = 4L * 1024 * 1024 * 1024;
                o.MaxBatchSize = 10_000;
                o.MaxBatchBytes = 64 * 1024 * 1024;
                o.Errors.MaxBreadcrumbs = maxBreadcrumbs;
                o.Errors.CaptureUnhandledExceptions = false;
            })
            .WithSink(NoOpSink.Instance)
            .Build();

    [IterationCleanup]
    public void Drain()
    {
        _pipelineIn.FlushAsync().GetAwaiter().GetResult();
        _pipelineOut.FlushAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        Drain();
        var stats = _pipelineIn.Statistics;
        _tracked += stats.Tracked;
        _dropped += stats.Dropped;
        _sent += stats.Sent;
        BenchmarkNotes.Record("track.pipeline", $"sampled-in pipelines so far: tracked {_tracked:N0}, dropped {_dropped:N0}, sent {_sent:N0}");
        _pipelineIn.Dispose();
        _pipelineOut.Dispose();
        if (stats.Dropped != 0) throw new InvalidOperationException($"The capture path dropped {stats.Dropped} events: the benchmark measured drops, not captures.");
    }

    [Benchmark(Description = "generated TrackWatchlistAdd, sampled out")]
    [BenchmarkCategory("out")]
    public void GeneratedSampledOut() => _pipelineOut.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);

    [Benchmark(Description = "dictionary + JsonSerializer, sampled out")]
    [BenchmarkCategory("out")]
    public void DictionarySampledOut() => _dictionaryOut.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);

    [Benchmark(Description = "[LoggerMessage] + JSON logger, sampled out")]
    [BenchmarkCategory("out")]
    public void LoggerMessageSampledOut()
    {
        if (_loggerOutBucket < WatchlistAdd.Descriptor.SampledBuckets) WatchlistLog.WatchlistAdd(_logger, "BTC/USDT", WatchlistLog.Name(WatchlistAddSource.Search), 49_000.25m);
    }

    [Benchmark(Description = "generated TrackWatchlistAdd, sampled in (caller's thread)")]
    [BenchmarkCategory("in")]
    public void GeneratedSampledIn() => _pipelineIn.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);

    [Benchmark(Baseline = true, Description = "dictionary + JsonSerializer, sampled in")]
    [BenchmarkCategory("in")]
    public void DictionarySampledIn() => _dictionaryIn.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m);

    [Benchmark(Description = "[LoggerMessage] + JSON logger, sampled in")]
    [BenchmarkCategory("in")]
    public void LoggerMessageSampledIn()
    {
        if (_loggerBucket < WatchlistAdd.Descriptor.SampledBuckets) WatchlistLog.WatchlistAdd(_logger, "BTC/USDT", WatchlistLog.Name(WatchlistAddSource.Search), 49_000.25m);
    }
}
