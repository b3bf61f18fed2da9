using BenchmarkDotNet.Attributes;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// What <see cref="TelemetryOptions.Durability"/> costs the caller: <c>TrackWatchlistAdd</c> (tier A, a sampled-in
/// user) into two pipelines on the SQLite queue on disk (the production set-up, <c>synchronous=NORMAL</c>), one with
/// tier A deferred (Track copies into the buffer) and one with tier A write-through (Track serialises, scrubs and
/// commits to SQLite before returning), in the same run. Both deliver to <see cref="NoOpSink"/> between iterations,
/// so the queue stays small.
/// </summary>
[MemoryDiagnoser]
public class DurabilityBenchmarks
{
    public const int CallsPerIteration = 2_048;

    private TelemetryPipeline _deferred = null!;
    private TelemetryPipeline _writeThrough = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        var user = Users.SampledIn(WatchlistAdd.Descriptor);
        _deferred = Build(user, EventDurability.Deferred);
        _writeThrough = Build(user, EventDurability.WriteThrough);
        for (var i = 0; i < 5_000; i++)
        {
            Deferred();
            WriteThrough();
        }

        Drain();
    }

    [Benchmark(Baseline = true, Description = "TrackWatchlistAdd, tier A deferred (SQLite queue)")]
    public void Deferred() => _deferred.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, price: 1.2m);

    [Benchmark(Description = "TrackWatchlistAdd, tier A write-through (SQLite queue)")]
    public void WriteThrough() => _writeThrough.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, price: 1.2m);

    [IterationCleanup]
    public void Drain()
    {
        _deferred.FlushAsync().GetAwaiter().GetResult();
        _writeThrough.FlushAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        foreach (var pipeline in new[] { _deferred, _writeThrough })
        {
            var stats = pipeline.Statistics;
            pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (stats.Dropped > 0) throw new InvalidOperationException($"The durability benchmark dropped events: {stats}");
        }
    }

    private static TelemetryPipeline Build(string userId, EventDurability tierA)
    {
        var folder = BenchmarkPaths.PrivateTempFolder("durability-" + tierA);
        foreach (var file in Directory.GetFiles(folder)) File.Delete(file);
        return TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "Telemetry.Benchmarks";
                o.ClientVersion = "1.0.0";
                o.UserId = userId;
                o.StorageDirectory = folder;
                o.Durability.A = tierA;
                o.BufferCapacity = 1_000_000;
                o.MaxBatchSize = 10_000;
                o.MaxBatchBytes = 64 * 1024 * 1024;
                o.FlushInterval = TimeSpan.FromHours(1);
            })
            .WithSink(NoOpSink.Instance)
            .Build();
    }
}
