using System.Diagnostics;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>
/// The delivery loop runs on a thread of its own (docs/runtime.md, "Batching and delivery"): a full batch goes out while
/// the application keeps every thread-pool thread blocked, and a wake-up during a Retry-After wait is kept for after it.
/// </summary>
public sealed class DeliveryThreadTests
{
    [Fact]
    public async Task A_full_batch_is_delivered_while_the_application_blocks_every_thread_pool_thread()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink(maxBatchSize: 100);
        var pipeline = Build(sink, directory.Path, TimeSpan.FromMinutes(10));
        try
        {
            // Warm: one delivery, so nothing on the path is created lazily on a pool thread later.
            for (var i = 0; i < 100; i++) pipeline.Track(new ProbeStep(i));
            Assert.True(SpinWait.SpinUntil(() => sink.Accepted.Count == 100, TimeSpan.FromSeconds(20)), "the warm-up batch was not delivered");

            // Sync over async, a burst of blocking calls: the pool injects about a thread a second, and work queued behind
            // the blockers waits for them. Delivery must not be part of that work.
            // Not disposed: blockers the pool starts after the release still wait on it (and return at once).
            var release = new ManualResetEventSlim();
            var blockers = (ThreadPool.ThreadCount * 2) + 32;
            for (var i = 0; i < blockers; i++) ThreadPool.UnsafeQueueUserWorkItem(static e => e.Wait(), release, preferLocal: false);
            try
            {
                var clock = Stopwatch.StartNew();
                for (var i = 100; i < 400; i++) pipeline.Track(new ProbeStep(i));
                var delivered = SpinWait.SpinUntil(() => sink.Accepted.Count == 400, TimeSpan.FromSeconds(5));
                Assert.True(delivered, $"with the pool blocked, {sink.Accepted.Count - 100} of 300 events were delivered in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            finally
            {
                release.Set();
            }
        }
        finally
        {
            await pipeline.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_batch_queued_during_a_retry_after_wait_is_sent_when_the_wait_ends_not_a_flush_interval_later()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink(maxBatchSize: 100).Then(new SinkResult(SinkOutcome.RetryLater, RetryAfter: TimeSpan.FromMilliseconds(500), Detail: "429"));
        var pipeline = Build(sink, directory.Path, TimeSpan.FromMinutes(10));
        try
        {
            for (var i = 0; i < 100; i++) pipeline.Track(new ProbeStep(i));
            Assert.True(SpinWait.SpinUntil(() => sink.Requests.Count == 1, TimeSpan.FromSeconds(20)), "the first batch was not tried");

            // Another full batch while the delivery loop waits out the Retry-After: its wake-up must not be lost.
            for (var i = 100; i < 200; i++) pipeline.Track(new ProbeStep(i));
            Assert.True(SpinWait.SpinUntil(() => sink.AcceptCountById.Count == 200, TimeSpan.FromSeconds(10)), $"{sink.AcceptCountById.Count} of 200 events delivered 10 s after a 0.5 s Retry-After");
            Assert.All(sink.AcceptCountById.Values, n => Assert.Equal(1, n));
        }
        finally
        {
            await pipeline.DisposeAsync();
        }
    }

    private static TelemetryPipeline Build(ScriptedSink sink, string directory, TimeSpan flushInterval) =>
        TestPipeline.Running(sink, directory, o =>
        {
            o.UseDurableQueue = false;
            o.Durability.B = EventDurability.Deferred;
            o.DrainInterval = TimeSpan.FromMilliseconds(20);
            o.FlushInterval = flushInterval;
            o.MaxBatchSize = 100;
            o.Errors.CaptureUnhandledExceptions = false;
        });
}
