using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Consent;

public class ConsentTests
{
    [Fact]
    public async Task Denied_consent_records_queues_and_sends_nothing()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        await t.Pipeline.SetConsentAsync(granted: false);

        Assert.Equal(ConsentState.Denied, t.Pipeline.Consent);
        Assert.False(t.Pipeline.IsEnabled(ProbeStep.Descriptor));
        for (var i = 0; i < 5; i++) t.Pipeline.TrackProbeStep(i);
        t.Pipeline.Track(new ProbeMilestone(1));
        await t.DeliverAllAsync();

        Assert.Empty(sink.Requests);
        Assert.Equal(0, t.Stats.Tracked);
        Assert.Equal(0, t.Stats.Buffered);
        Assert.Equal(0, t.Stats.QueueDepth);
    }

    [Fact]
    public async Task Denying_purges_the_users_queued_and_captured_events()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UseDurableQueue = true, directory: directory.Path);
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();
        Assert.Equal(10, t.Stats.QueueDepth);
        for (var i = 10; i < 15; i++) t.Pipeline.TrackProbeStep(i); // captured, not yet serialised

        await t.Pipeline.SetConsentAsync(granted: false);
        await t.DeliverAllAsync();

        Assert.Empty(sink.Requests);
        Assert.Equal(0, t.Stats.QueueDepth);
        Assert.Equal(15, t.Stats.DroppedFor(DropReason.Consent));
    }

    [Fact]
    public async Task Purging_one_user_keeps_the_events_of_another()
    {
        var sink = new ScriptedSink();
        var queue = new InMemoryOfflineQueue();
        await using var t = TestPipeline.Create(sink, o => o.UserId = "alice", queue: queue);
        t.Pipeline.TrackProbeStep(1);
        t.Ingest();
        t.Pipeline.Identify("bob");
        t.Pipeline.TrackProbeStep(2);
        t.Ingest();
        await t.Pipeline.SetConsentAsync(granted: false); // bob opts out

        await t.DeliverAllAsync();
        var delivered = Assert.Single(sink.Accepted);
        Assert.Equal("alice", delivered.UserId);
    }

    [Fact]
    public async Task Consent_persists_across_runs_and_granting_again_resumes_tracking()
    {
        using var directory = new TempDirectory();
        var store = new FileConsentStore(directory.Path);
        await using (var run1 = TestPipeline.Create(new ScriptedSink(), directory: directory.Path, consent: store))
        {
            await run1.Pipeline.SetConsentAsync(granted: false);
        }

        var sink = new ScriptedSink();
        await using var run2 = TestPipeline.Create(sink, directory: directory.Path, consent: new FileConsentStore(directory.Path));
        Assert.Equal(ConsentState.Denied, run2.Pipeline.Consent);
        run2.Pipeline.TrackProbeStep(1);
        await run2.Pipeline.SetConsentAsync(granted: true);
        run2.Pipeline.TrackProbeStep(2);
        await run2.DeliverAllAsync();

        Assert.Equal(2, ScriptedSink.IntProperty(Assert.Single(sink.Accepted), "seq"));
        Assert.Equal(ConsentState.Granted, new FileConsentStore(directory.Path).Get("user-1"));
        Assert.DoesNotContain("user-1", File.ReadAllText(Path.Combine(directory.Path, FileConsentStore.FileName)));
    }

    [Fact]
    public async Task Opt_in_mode_records_nothing_until_the_user_agrees()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.DefaultConsent = ConsentState.Denied);
        t.Pipeline.TrackProbeStep(1);
        await t.Pipeline.SetConsentAsync(granted: true);
        t.Pipeline.TrackProbeStep(2);
        await t.DeliverAllAsync();

        Assert.Equal(2, ScriptedSink.IntProperty(Assert.Single(sink.Accepted), "seq"));
    }

    [Fact]
    public async Task A_user_who_signs_in_after_opting_out_stays_opted_out()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UserId = null);
        await t.Pipeline.SetConsentAsync(granted: false);
        t.Pipeline.Identify("new-user");
        Assert.Equal(ConsentState.Denied, t.Pipeline.Consent);
    }

    [Fact]
    public async Task Aggregation_windows_open_when_consent_is_withdrawn_are_discarded()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbePointerMove(i, ProbePointerMoveArea.Left);
        await t.Pipeline.SetConsentAsync(granted: false);
        await t.Pipeline.SetConsentAsync(granted: true);
        t.Time.Advance(TimeSpan.FromSeconds(2));
        await t.DeliverAllAsync();

        Assert.DoesNotContain(sink.Accepted, e => e.Name == "probe.pointer_agg");
        Assert.Equal(0, t.Stats.Aggregated);
    }
}
