using System.Text;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Pipeline;

/// <summary>
/// <see cref="TelemetryOptions.Durability"/>: write-through tiers are serialised, scrubbed and in the queue when Track
/// returns (no background stage ran: these pipelines have none); deferred tiers wait in the buffer. The kill test
/// (<c>DurabilityKillTests</c>) proves the same against SIGKILL with the SQLite queue.
/// </summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task By_default_tier_A_is_queued_before_Track_returns_and_tiers_B_and_C_wait_in_the_buffer()
    {
        Assert.Equal(EventDurability.WriteThrough, new TelemetryOptions().Durability.A);
        Assert.Equal(EventDurability.Deferred, new TelemetryOptions().Durability.B);
        Assert.Equal(EventDurability.Deferred, new TelemetryOptions().Durability.C);
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);

        t.Pipeline.TrackProbeMilestone(1);
        Assert.Equal(1, t.Stats.QueueDepth);
        Assert.Equal(0, t.Stats.Buffered);
        Assert.Equal(1, t.Stats.Queued);

        t.Pipeline.TrackProbeStep(2);
        t.Pipeline.TrackProbePing(3);
        Assert.Equal(1, t.Stats.QueueDepth);
        Assert.Equal(2, t.Stats.Buffered);
        Assert.Equal(3, t.Stats.Tracked);

        await t.DeliverAllAsync();
        Assert.Equal(new[] { "probe.milestone", "probe.step", "probe.ping" }, sink.Accepted.Select(e => e.Name));
    }

    [Fact]
    public async Task Each_tier_follows_its_own_setting()
    {
        await using var t = TestPipeline.Create(new ScriptedSink(), o =>
        {
            o.Durability.A = EventDurability.Deferred;
            o.Durability[EventTier.B] = EventDurability.WriteThrough;
        });

        t.Pipeline.TrackProbeMilestone(1);
        t.Pipeline.TrackProbeStep(2);

        Assert.Equal(1, t.Stats.QueueDepth);
        Assert.Equal(1, t.Stats.Buffered);
    }

    [Fact]
    public async Task Write_through_events_are_scrubbed_and_consent_is_honoured()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);

        t.Pipeline.TrackProbeNoteSaved("mail jane.canary@example.com", "card 4111 1111 1111 1111", 3);
        await t.Pipeline.SetConsentAsync(false);
        t.Pipeline.TrackProbeMilestone(9);
        Assert.Equal(0, t.Stats.QueueDepth); // the denial purged the queued event, and the next one was not tracked

        await t.Pipeline.SetConsentAsync(true);
        t.Pipeline.TrackProbeNoteSaved("mail jane.canary@example.com", "card 4111 1111 1111 1111", 3);
        Assert.Equal(1, t.Stats.QueueDepth);
        await t.DeliverAllAsync();
        var json = Encoding.UTF8.GetString(Assert.Single(sink.Accepted).Json.Span);
        Assert.DoesNotContain("jane.canary", json);
        Assert.DoesNotContain("4111", json);
    }

    [Fact]
    public async Task A_queue_that_fails_to_write_counts_a_storage_error_and_Track_does_not_throw()
    {
        await using var t = TestPipeline.Create(new ScriptedSink(), queue: new FailingQueue());

        t.Pipeline.TrackProbeMilestone(1);

        Assert.Equal(1, t.Stats.DroppedFor(DropReason.StorageError, EventTier.A));
    }

    [Fact]
    public void An_undefined_durability_is_refused_when_the_pipeline_is_built()
    {
        var error = Assert.ThrowsAny<Exception>(() => TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.UseDurableQueue = false;
                o.StorageDirectory = Path.GetTempPath();
                o.Durability.C = (EventDurability)7;
            })
            .WithSink(NoOpSink.Instance)
            .Build());
        Assert.Contains("Durability.C", error.Message);
    }

    private sealed class FailingQueue : IOfflineQueue
    {
        private readonly InMemoryOfflineQueue _inner = new();

        public string Description => "failing";

        public QueueLimits Limits => _inner.Limits;

        public long Count => _inner.Count;

        public long Bytes => _inner.Bytes;

        public QueueAppendResult Append(IReadOnlyList<QueuedEvent> events) => throw new IOException("disk full");

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
