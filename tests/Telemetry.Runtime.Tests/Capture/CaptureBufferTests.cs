using System.Diagnostics;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Capture;

public class CaptureBufferTests
{
    [Fact]
    public async Task A_full_buffer_drops_the_lowest_tier_first_counts_it_and_never_blocks()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.BufferCapacity = 100;
            o.Durability.A = EventDurability.Deferred; // tier A through the buffer too (write-through would bypass it)
        });

        // Nothing drains (no background loop): C stops at 75, B at 90, A fills the rest.
        for (var i = 0; i < 200; i++) t.Pipeline.TrackProbePing(i);
        for (var i = 0; i < 200; i++) t.Pipeline.TrackProbeStep(i);
        for (var i = 0; i < 200; i++) t.Pipeline.TrackProbeMilestone(i);

        var stats = t.Stats;
        Assert.Equal(100, stats.Buffered);
        Assert.Equal(125, stats.DroppedFor(DropReason.BufferFull, EventTier.C));
        Assert.Equal(185, stats.DroppedFor(DropReason.BufferFull, EventTier.B));
        Assert.Equal(190, stats.DroppedFor(DropReason.BufferFull, EventTier.A));
        Assert.Equal(100, stats.Tracked);

        await t.DeliverAllAsync();
        var byName = sink.Accepted.GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(75, byName["probe.ping"]);
        Assert.Equal(15, byName["probe.step"]);
        Assert.Equal(10, byName["probe.milestone"]);
    }

    [Fact]
    public async Task Draining_frees_the_buffer_for_new_events()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.BufferCapacity = 16);
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeMilestone((round * 10) + i);
            t.Ingest();
        }

        await t.DeliverAllAsync();
        Assert.Equal(100, sink.Accepted.Count);
        Assert.Equal(0, t.Stats.Dropped);
    }

    [Fact]
    public async Task Track_allocates_nothing_once_warm()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.BufferCapacity = 10_000);
        for (var i = 0; i < 2_000; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++) t.Pipeline.TrackProbeStep(i);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(3_000, t.Stats.Tracked);
    }

    [Fact]
    public async Task Track_from_many_threads_loses_nothing_within_capacity()
    {
        var sink = new ScriptedSink(maxBatchSize: 1000);
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.BufferCapacity = 100_000;
            o.Durability.A = EventDurability.Deferred; // the capture path under contention (write-through serialises under a lock)
        });
        var threads = Enumerable.Range(0, 8).Select(n => new Thread(() =>
        {
            for (var i = 0; i < 5_000; i++) t.Pipeline.TrackProbeMilestone((n * 5_000) + i);
        })).ToList();
        var stopwatch = Stopwatch.StartNew();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        stopwatch.Stop();

        await t.DeliverAllAsync();
        var seqs = sink.Accepted.Select(e => ScriptedSink.IntProperty(e, "seq")).ToHashSet();
        Assert.Equal(40_000, seqs.Count);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"40,000 concurrent Track calls took {stopwatch.Elapsed}");
    }
}
