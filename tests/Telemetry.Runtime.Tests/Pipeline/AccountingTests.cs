using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Pipeline;

/// <summary>
/// Every call is accounted for: after <see cref="TelemetryPipeline.DisposeAsync"/>, tracked + sampled out + aggregated +
/// dropped equals the Track calls made, also for calls made while the pipeline stops, after it stopped, and racing its
/// final drain; and every tracked event was queued (none lost between Track and the queue).
/// </summary>
public class AccountingTests
{
    private const int Producers = 8;

    [Fact]
    public async Task Fifty_shutdowns_under_eight_producers_account_for_every_call()
    {
        var random = new Random(17);
        for (var run = 0; run < 50; run++)
        {
            var sink = new CountingSink();
            var pipeline = Build(sink, o =>
            {
                o.MaxQueueRows = 1_000_000;
                // Room for everything a run tracks, so every tracked event is queued (checked below); a queue that
                // overflows is the next test.
                o.MaxQueueBytes = 4L * 1024 * 1024 * 1024;
            });

            var calls = await ProduceUntilStoppedAsync(pipeline, random.Next(1, 15));

            var stats = pipeline.Statistics;
            var total = calls.Sum();
            Assert.True(stats.DroppedFor(DropReason.QueueFull) == 0, $"run {run}: the queue filled, so tracked events were dropped after Track; the run does not test the call equation");
            Assert.True(
                stats.Tracked + stats.SampledOut + stats.Aggregated + stats.Dropped == total,
                $"run {run}: {total} calls, but {stats} ({string.Join(", ", stats.DroppedByReasonAndTier.Select(p => $"{p.Key}={p.Value}"))})");
            Assert.True(stats.DroppedFor(DropReason.Shutdown) > 0, $"run {run}: no call was made after shutdown began");
            Assert.Equal(0, stats.Buffered);

            // Nothing accepted was lost between Track and the queue: every tracked event was queued, then sent or left queued.
            Assert.True(stats.Tracked == stats.Queued, $"run {run}: tracked {stats.Tracked}, queued {stats.Queued}");
            Assert.True(stats.Queued == sink.Count + stats.QueueDepth, $"run {run}: queued {stats.Queued}, sent {sink.Count}, left {stats.QueueDepth}");
        }
    }

    [Fact]
    public async Task Evictions_from_a_small_full_queue_are_counted_once_and_every_call_is_accounted_for()
    {
        var random = new Random(29);
        for (var run = 0; run < 10; run++)
        {
            // The provider is down: nothing leaves, so the 300-row queue overflows and evicts (tier C first, then B).
            var sink = new CountingSink { Outcome = SinkOutcome.RetryLater };
            var pipeline = Build(sink, o => o.MaxQueueRows = 300);

            // Stopped a random moment after the first eviction: on a loaded machine the producers may not even have
            // started within a fixed delay.
            var calls = await ProduceUntilStoppedAsync(pipeline, random.Next(5, 20), until: () => pipeline.Statistics.Evicted > 0);
            var stats = pipeline.Statistics;
            var total = calls.Sum();
            Assert.True(stats.Evicted > 0, $"run {run}: the queue never filled ({stats})");
            Assert.Equal(stats.DroppedFor(DropReason.QueueFull), stats.Evicted);
            Assert.True(
                stats.Tracked + stats.SampledOut + stats.Aggregated + stats.Dropped == total,
                $"run {run}: {total} calls, but {stats} ({string.Join(", ", stats.DroppedByReasonAndTier.Select(p => $"{p.Key}={p.Value}"))})");
            Assert.Equal(0, stats.Buffered);
            Assert.InRange(stats.QueueDepth, 1, 300);

            // Each tracked event was evicted once, or is still queued (none was sent): no event counted twice or lost.
            Assert.True(stats.Tracked == sink.Count + stats.QueueDepth + stats.Evicted, $"run {run}: tracked {stats.Tracked}, sent {sink.Count}, left {stats.QueueDepth}, evicted {stats.Evicted}");
            Assert.InRange(stats.Queued, stats.Tracked - stats.Evicted, stats.Tracked);
        }
    }

    [Fact]
    public async Task Aggregated_is_exact_while_eight_threads_record_and_windows_flush()
    {
        var user = Sampling.EventSamplerTests.UserWithBucket(inside: false, ProbePointerMove.Descriptor.SampledBuckets);
        await using var t = TestPipeline.Create(new CountingSink(), o =>
        {
            o.UserId = user;
            o.BufferCapacity = 100_000;
        });
        const int PerThread = 50_000;
        using var go = new ManualResetEventSlim();
        var done = 0;
        var threads = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
        {
            go.Wait();
            for (var i = 0; i < PerThread; i++) t.Pipeline.TrackProbePointerMove(i, (i & 1) == 0 ? ProbePointerMoveArea.Left : ProbePointerMoveArea.Right);
            Interlocked.Increment(ref done);
        })
        { IsBackground = true }).ToArray();
        foreach (var thread in threads) thread.Start();
        go.Set();

        // Windows close over and over while the producers record: every interaction is counted in exactly one window.
        var flushes = 0;
        while (Volatile.Read(ref done) < Producers)
        {
            t.Time.Advance(TimeSpan.FromSeconds(1));
            t.Ingest();
            flushes++;
        }

        foreach (var thread in threads) Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        await t.Pipeline.StopAsync();
        Assert.True(flushes > 10, $"only {flushes} flushes ran while the producers recorded");
        Assert.Equal((long)Producers * PerThread, t.Stats.Aggregated);
    }

    /// <summary>A pipeline with its real loops, the in-memory queue and short intervals; <paramref name="queueBounds"/> sets the queue's bounds.</summary>
    private static TelemetryPipeline Build(CountingSink sink, Action<TelemetryOptions> queueBounds) =>
        TestPipeline.Running(sink, Path.Combine(Path.GetTempPath(), "telemetry-accounting-" + Environment.ProcessId), o =>
        {
            o.UseDurableQueue = false;
            o.DrainInterval = TimeSpan.FromMilliseconds(2);
            o.FlushInterval = TimeSpan.FromMilliseconds(5);
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            o.BufferCapacity = 2_000;
            o.Errors.CaptureUnhandledExceptions = false;
            queueBounds(o);
        });

    /// <summary>
    /// Eight producers cycle a deferred event through Track, one through its generated method and a tier-A write-through
    /// one; the pipeline is disposed after <paramref name="runMilliseconds"/>, and each producer makes 200 more calls after
    /// that. Returns the calls each producer made. With <paramref name="until"/>, the <paramref name="runMilliseconds"/> start
    /// once it holds (at most 30 seconds after the producers start).
    /// </summary>
    private static async Task<long[]> ProduceUntilStoppedAsync(TelemetryPipeline pipeline, int runMilliseconds, Func<bool>? until = null)
    {
        var stopped = 0;
        var calls = new long[Producers];
        using var go = new ManualResetEventSlim();
        var threads = new Thread[Producers];
        for (var p = 0; p < Producers; p++)
        {
            var index = p;
            threads[p] = new Thread(() =>
            {
                go.Wait();
                var after = 0;
                for (var i = 0; after < 200; i++)
                {
                    switch (i % 3)
                    {
                        case 0:
                            pipeline.Track(new ProbeStep(i));
                            break;
                        case 1:
                            pipeline.TrackProbePing(i);
                            break;
                        default:
                            pipeline.TrackProbeMilestone(i);
                            break;
                    }

                    calls[index]++;
                    if (Volatile.Read(ref stopped) == 1) after++;
                }
            })
            { IsBackground = true };
            threads[p].Start();
        }

        go.Set();
        if (until is not null) Assert.True(SpinWait.SpinUntil(until, TimeSpan.FromSeconds(30)), "the condition to stop at never held");
        Thread.Sleep(runMilliseconds);
        await pipeline.DisposeAsync();
        Volatile.Write(ref stopped, 1);
        foreach (var thread in threads) Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        return calls;
    }

    private sealed class CountingSink : ITelemetrySink
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public string Name => "counting";

        public int MaxBatchSize => 500;

        public SinkOutcome Outcome { get; init; } = SinkOutcome.Delivered;

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
        {
            if (Outcome != SinkOutcome.Delivered) return ValueTask.FromResult(new SinkResult(Outcome, Detail: "provider down"));
            Interlocked.Add(ref _count, batch.Count);
            return ValueTask.FromResult(SinkResult.Success);
        }
    }
}
