using System.Collections.Concurrent;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Capture;

/// <summary>
/// Fair, bounded draining with the real loops: eight threads each cycle through four event types; every event reaches
/// the queue within the documented crash-loss window (one <see cref="TelemetryOptions.DrainInterval"/> plus one drain),
/// whatever the other types do, and the events of each thread leave in the order they were tracked.
/// </summary>
[Collection(nameof(PoolStarvationCollection))]
public class FairDrainingTests
{
    private const int Threads = 8;

    [Fact]
    public async Task Eight_threads_of_mixed_types_are_queued_within_one_drain_interval_in_per_thread_order()
    {
        var drainInterval = TimeSpan.FromMilliseconds(50);
        var queue = new TimingQueue();
        var sink = new ScriptedSink(maxBatchSize: 1000);
        var pipeline = Build(queue, sink, drainInterval, "fair", o =>
        {
            o.FlushInterval = TimeSpan.FromMilliseconds(50);
            o.ShutdownTimeout = TimeSpan.FromSeconds(120);
            o.BufferCapacity = 1_000_000;
            o.MaxQueueRows = 1_000_000;
            o.MaxBatchSize = 1000;
        });

        // The first drain of each type compiles its serialisation path: warm it up, so the window measured is the steady one.
        pipeline.Track(new ProbeStep(9_000_000));
        pipeline.Track(new ProbePing(9_000_000));
        pipeline.Track(new ProbeMilestone(9_000_000));
        pipeline.Track(new ProbeSessionOpen(9_000_000));
        await pipeline.FlushAsync();
        queue.Reset();
        var warmUp = sink.Accepted.Count;

        var until = DateTime.UtcNow.AddSeconds(1.5);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var seq = t * 1_000_000;
            while (DateTime.UtcNow < until)
            {
                // One of each type, then a pause: about 15,000 events a second in all, a load the background stage keeps up with
                // (a faster producer makes the buffers, not the draining, the limit: that is the bounded-buffer drop path).
                pipeline.Track(new ProbeStep(seq++));
                pipeline.Track(new ProbePing(seq++));
                pipeline.Track(new ProbeMilestone(seq++));
                pipeline.Track(new ProbeSessionOpen(seq++));
                Thread.Sleep(2);
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        await pipeline.DisposeAsync();

        var stats = pipeline.Statistics;
        Assert.Equal(0, stats.Dropped);
        Assert.Equal(stats.Tracked, sink.Accepted.Count);
        Assert.Equal(4, warmUp);

        // Per-thread order, as delivered.
        var last = new int[Threads];
        Array.Fill(last, -1);
        var inversions = 0;
        foreach (var e in sink.Accepted.Skip(warmUp))
        {
            var seq = ScriptedSink.IntProperty(e, "seq");
            var thread = seq / 1_000_000;
            if (seq < last[thread]) inversions++;
            last[thread] = seq;
        }

        Assert.Equal(0, inversions);

        // Capture to queue: at most one drain interval, plus the drain that writes it (generous on a shared 2-core machine).
        var window = queue.LongestWait;
        Assert.True(window <= drainInterval + TimeSpan.FromMilliseconds(500), $"an event waited {window.TotalMilliseconds:0} ms in memory (drain interval {drainInterval.TotalMilliseconds:0} ms)");
    }

    [Fact]
    public async Task The_window_holds_while_the_application_blocks_every_thread_pool_thread()
    {
        // An application that blocks its pool (sync over async, a burst of blocking calls): the pool injects a thread about
        // every half second, and work queued behind the blockers waits for them. The drain must not be part of that work.
        var drainInterval = TimeSpan.FromMilliseconds(50);
        var queue = new TimingQueue();
        var pipeline = Build(queue, new ScriptedSink(maxBatchSize: 1000), drainInterval, "starved");
        pipeline.Track(new ProbeStep(0));
        await pipeline.FlushAsync();
        queue.Reset();

        using var release = new ManualResetEventSlim();
        var blockers = (ThreadPool.ThreadCount * 2) + 32;
        for (var i = 0; i < blockers; i++) ThreadPool.UnsafeQueueUserWorkItem(static e => e.Wait(), release, preferLocal: false);
        var appended = 0L;
        var producer = new Thread(() =>
        {
            var until = DateTime.UtcNow.AddSeconds(1.5);
            for (var seq = 1; DateTime.UtcNow < until; seq++)
            {
                pipeline.Track(new ProbeStep(seq));
                Thread.Sleep(5);
            }

            appended = queue.Count;
        });
        producer.Start();
        producer.Join();
        var starvedWindow = queue.LongestWait;
        release.Set();
        await pipeline.DisposeAsync();

        Assert.True(appended > 50, $"only {appended} events reached the queue while the pool was blocked");
        Assert.True(starvedWindow <= drainInterval + TimeSpan.FromMilliseconds(500), $"with the pool blocked, an event waited {starvedWindow.TotalMilliseconds:0} ms in memory (drain interval {drainInterval.TotalMilliseconds:0} ms)");
    }

    /// <summary>A pipeline with its real loops over <paramref name="queue"/>, tier A deferred like the others.</summary>
    private static TelemetryPipeline Build(TimingQueue queue, ScriptedSink sink, TimeSpan drainInterval, string folder, Action<TelemetryOptions>? more = null) =>
        TestPipeline.Running(
            sink,
            Path.Combine(Path.GetTempPath(), "telemetry-" + folder + "-" + Environment.ProcessId),
            o =>
            {
                o.Durability.A = EventDurability.Deferred;
                o.DrainInterval = drainInterval;
                o.Errors.CaptureUnhandledExceptions = false;
                more?.Invoke(o);
            },
            queue);

    /// <summary>The in-memory queue, recording how long after its capture each event was appended.</summary>
    private sealed class TimingQueue : IOfflineQueue
    {
        private readonly InMemoryOfflineQueue _inner = new(new QueueLimits(1_000_000, 1L << 32));
        private long _longestTicks;

        public TimeSpan LongestWait => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

        public void Reset() => Interlocked.Exchange(ref _longestTicks, 0);

        public string Description => _inner.Description;

        public QueueLimits Limits => _inner.Limits;

        public long Count => _inner.Count;

        public long Bytes => _inner.Bytes;

        public QueueAppendResult Append(IReadOnlyList<QueuedEvent> events)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var e in events)
            {
                var wait = (now - e.Event.Timestamp).Ticks;
                if (wait > Interlocked.Read(ref _longestTicks)) Interlocked.Exchange(ref _longestTicks, wait);
            }

            return _inner.Append(events);
        }

        public IReadOnlyList<QueuedEvent> Lease(int maxEvents, long maxBytes) => _inner.Lease(maxEvents, maxBytes);

        public void Complete(IReadOnlyCollection<Guid> eventIds) => _inner.Complete(eventIds);

        public void Release(IReadOnlyCollection<Guid> eventIds) => _inner.Release(eventIds);

        public TierCounts Purge(string subject) => _inner.Purge(subject);

        public TierCounts PurgeIdentity(string id) => _inner.PurgeIdentity(id);

        public IReadOnlyList<QueuedEvent> Export(string subject) => _inner.Export(subject);

        public TierCounts RemoveOlderThan(DateTimeOffset cutoff) => _inner.RemoveOlderThan(cutoff);

        public void Dispose() => _inner.Dispose();
    }
}

/// <summary>Tests that block the thread pool on purpose run alone, so they slow no other test.</summary>
[CollectionDefinition(nameof(PoolStarvationCollection), DisableParallelization = true)]
public sealed class PoolStarvationCollection
{
}
