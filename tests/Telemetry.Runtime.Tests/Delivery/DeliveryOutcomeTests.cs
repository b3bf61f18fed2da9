using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>Every sink outcome ends with every event delivered exactly once once the fake recovers (or dropped and counted when permanent).</summary>
public class DeliveryOutcomeTests
{
    private static void AssertEachDeliveredOnce(ScriptedSink sink, int expected)
    {
        Assert.Equal(expected, sink.AcceptCountById.Count);
        Assert.All(sink.AcceptCountById.Values, n => Assert.Equal(1, n));
        var seqs = sink.Accepted.Select(e => ScriptedSink.IntProperty(e, "seq")).OrderBy(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, expected), seqs);
    }

    [Fact]
    public async Task Retry_after_on_429_is_honoured_before_the_next_attempt()
    {
        var sink = new ScriptedSink().Then(new SinkResult(SinkOutcome.RetryLater, RetryAfter: TimeSpan.FromSeconds(30), Detail: "429"));
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);

        Assert.False(await t.FlushOnceAsync());
        Assert.Equal(TestPipeline.Start.AddSeconds(30), t.Pipeline.RetryNotBefore);
        t.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(await t.Pipeline.FlushAsync());
        Assert.Single(sink.Requests);

        t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await t.Pipeline.FlushAsync());
        AssertEachDeliveredOnce(sink, 10);
        Assert.Equal(10, t.Stats.Retried);
        Assert.Equal(10, t.Stats.Sent);
    }

    [Fact]
    public async Task Events_rejected_inside_a_retryable_answer_are_dropped_and_only_the_rest_is_resent()
    {
        // Amplitude's 429 can name users over their daily quota: those events must never be resent.
        Guid rejectedId = default;
        var sink = new ScriptedSink().Then(batch =>
        {
            rejectedId = batch[3].EventId;
            return new SinkResult(SinkOutcome.RetryLater, RetryAfter: TimeSpan.FromSeconds(30),
                Rejected: new[] { new RejectedEvent(rejectedId, "exceeded daily quota") }, Detail: "429");
        });
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);

        await t.DeliverAllAsync();

        Assert.Equal(9, sink.AcceptCountById.Count);
        Assert.DoesNotContain(rejectedId, sink.AcceptCountById.Keys);
        Assert.All(sink.AcceptCountById.Values, n => Assert.Equal(1, n));
        Assert.All(sink.Requests.Skip(1), r => Assert.DoesNotContain(r, e => e.EventId == rejectedId));
        Assert.Equal(9, t.Stats.Sent);
        Assert.Equal(0, t.Stats.QueueDepth);
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_with_full_jitter_then_deliver()
    {
        var sink = new ScriptedSink();
        for (var i = 0; i < 5; i++) sink.Then(new SinkResult(SinkOutcome.RetryLater, Detail: "500"));
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.InitialRetryDelay = TimeSpan.FromSeconds(1);
            o.MaxRetryDelay = TimeSpan.FromSeconds(8);
        });
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);

        var waited = await t.DeliverAllAsync();
        Assert.Equal(5, waited.Count);
        var ceilings = new[] { 1, 2, 4, 8, 8 };
        for (var i = 0; i < waited.Count; i++) Assert.InRange(waited[i], TimeSpan.Zero, TimeSpan.FromSeconds(ceilings[i]));
        AssertEachDeliveredOnce(sink, 10);
        Assert.Equal(6, sink.Requests.Count);
    }

    [Fact]
    public async Task A_send_that_times_out_is_retried_and_delivered_once()
    {
        var sink = new ScriptedSink().ThenHang();
        await using var t = TestPipeline.Create(sink, o => o.SendTimeout = TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();

        var attempt = t.Pipeline.DeliverAsync(CancellationToken.None);
        Assert.False(attempt.IsCompleted);
        t.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await attempt);
        Assert.Equal(10, t.Stats.QueueDepth);

        await t.DeliverAllAsync();
        AssertEachDeliveredOnce(sink, 10);
        Assert.Equal(2, sink.Requests.Count);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_the_endpoint_comes_up()
    {
        var port = LoopbackReceiver.FreePort();
        using var http = new HttpClient();
        var sink = new LoopbackHttpSink(http, new Uri($"http://127.0.0.1:{port}/v1/batch"), maxBatchSize: 4);
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);

        Assert.False(await t.FlushOnceAsync());
        Assert.Equal(10, t.Stats.QueueDepth);

        await using var receiver = new LoopbackReceiver(port);
        await t.DeliverAllAsync();
        Assert.Equal(10, receiver.Distinct);
        Assert.Equal(10, receiver.Total);
        Assert.Equal(Enumerable.Range(0, 10), receiver.Seqs.OrderBy(x => x));
    }

    [Fact]
    public async Task A_too_large_batch_is_split_down_to_single_events_and_a_single_too_large_event_is_dropped()
    {
        var sink = new ScriptedSink(maxBatchSize: 100)
        {
            Fallback = batch => batch.Count > 4 || batch.Any(e => e.Name == "probe.note_saved")
                ? new SinkResult(SinkOutcome.TooLarge, Detail: "413")
                : SinkResult.Success,
        };
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);
        t.Pipeline.TrackProbeNoteSaved(title: new string('x', 5000), query: "q", wordCount: 1);
        for (var i = 10; i < 20; i++) t.Pipeline.TrackProbeStep(i);

        await t.DeliverAllAsync();
        AssertEachDeliveredOnce(sink, 20);
        Assert.Equal(1, t.Stats.DroppedFor(DropReason.TooLarge, EventTier.A));
        Assert.Equal(0, t.Stats.QueueDepth);
        Assert.Single(sink.Requests, r => r.Length == 1 && r[0].Name == "probe.note_saved");
    }

    [Fact]
    public async Task A_permanently_rejected_batch_is_dropped_with_its_reason_and_never_retried()
    {
        var sink = new ScriptedSink().Then(new SinkResult(SinkOutcome.Rejected, Detail: "400 invalid api key"));
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 5; i++) t.Pipeline.TrackProbeStep(i);
        await t.DeliverAllAsync();
        for (var i = 5; i < 8; i++) t.Pipeline.TrackProbeStep(i);
        await t.DeliverAllAsync();

        Assert.Equal(2, sink.Requests.Count);
        Assert.Equal(5, t.Stats.DroppedFor(DropReason.Rejected, EventTier.B));
        Assert.Equal(new[] { 5, 6, 7 }, sink.Accepted.Select(e => ScriptedSink.IntProperty(e, "seq")));
        Assert.Equal(0, t.Stats.QueueDepth);
    }

    [Fact]
    public async Task Events_rejected_inside_a_delivered_batch_are_dropped_and_the_rest_count_as_sent()
    {
        var sink = new ScriptedSink().Then(batch => new SinkResult(
            SinkOutcome.Delivered,
            Rejected: new[] { new RejectedEvent(batch[1].EventId, "time: too old"), new RejectedEvent(batch[3].EventId, "missing field") }));
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 6; i++) t.Pipeline.TrackProbeStep(i);
        await t.DeliverAllAsync();

        Assert.Single(sink.Requests);
        Assert.Equal(4, t.Stats.Sent);
        Assert.Equal(2, t.Stats.DroppedFor(DropReason.Rejected));
        Assert.Equal(new[] { 0, 2, 4, 5 }, sink.Accepted.Select(e => ScriptedSink.IntProperty(e, "seq")));
    }

    [Fact]
    public async Task A_sink_that_throws_is_treated_as_a_transient_failure()
    {
        var sink = new ScriptedSink().ThenThrow(new InvalidOperationException("bug in sink"));
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 3; i++) t.Pipeline.TrackProbeStep(i);
        await t.DeliverAllAsync();
        AssertEachDeliveredOnce(sink, 3);
    }

    [Fact]
    public async Task Batches_respect_the_sinks_limit_and_the_byte_limit()
    {
        var sink = new ScriptedSink(maxBatchSize: 7);
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.MaxBatchBytes = 64 * 1024;
            o.MaxEventBytes = 16 * 1024;
        });
        for (var i = 0; i < 30; i++) t.Pipeline.TrackProbeStep(i);
        for (var i = 0; i < 6; i++) t.Pipeline.TrackProbeNoteSaved(title: new string('y', 15_000), query: "q", wordCount: i);
        await t.DeliverAllAsync();

        Assert.All(sink.Requests, r => Assert.InRange(r.Length, 1, 7));
        Assert.All(sink.Requests, r => Assert.True(r.Sum(e => e.Json.Length) <= 64 * 1024));
        Assert.Equal(36, sink.Accepted.Count);
    }

    [Fact]
    public async Task A_stalled_network_keeps_the_queue_within_its_bound_dropping_low_tiers_first()
    {
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater, Detail: "503") };
        await using var t = TestPipeline.Create(sink, o => o.MaxQueueRows = 50);
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 10; i++) t.Pipeline.TrackProbePing((round * 100) + i);
            for (var i = 0; i < 5; i++) t.Pipeline.TrackProbeMilestone((round * 100) + i);
            await t.FlushOnceAsync();
            t.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var stats = t.Stats;
        Assert.Equal(50, stats.QueueDepth);
        Assert.Equal(100, stats.DroppedFor(DropReason.QueueFull, EventTier.C));
        Assert.Equal(0, stats.DroppedFor(DropReason.QueueFull, EventTier.A));
    }

    [Fact]
    public async Task Events_older_than_the_maximum_age_are_dropped_as_expired()
    {
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater) };
        await using var t = TestPipeline.Create(sink, o => o.MaxEventAge = TimeSpan.FromHours(1));
        t.Pipeline.TrackProbeStep(1);
        await t.FlushOnceAsync();
        t.Time.Advance(TimeSpan.FromHours(2));
        sink.Fallback = _ => SinkResult.Success;
        await t.DeliverAllAsync();

        Assert.Empty(sink.Accepted);
        Assert.Equal(1, t.Stats.DroppedFor(DropReason.Expired));
    }
}
