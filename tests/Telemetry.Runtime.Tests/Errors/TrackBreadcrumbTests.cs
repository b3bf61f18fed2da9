using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Errors;

/// <summary>Track breadcrumbs: the last N Track calls with their non-personal properties, rendered only when an error is captured.</summary>
public sealed class TrackBreadcrumbTests
{
    [Fact]
    public async Task An_error_carries_the_Track_calls_before_it_with_their_properties_and_never_a_personal_data_property()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        using var provider = new TelemetryBreadcrumbLoggerProvider(t.Pipeline.Errors);
        t.Pipeline.TrackProbeStep(1);
        provider.CreateLogger("Shop").LogWarning("slow quote");
        t.Pipeline.TrackProbeNoteSaved(title: "Weekly plan", query: "from canary.q@example.com about btc", wordCount: 12, labels: ["a", "b"]);
        t.Pipeline.TrackProbeStep(2);
        t.Pipeline.CaptureException(ErrorCaptureTests.Thrown(() => throw new InvalidOperationException("boom")));
        await t.DeliverAllAsync();

        using var doc = JsonDocument.Parse(sink.Accepted.Single(e => e.Name == ErrorCaptured.EventName).Json);
        var crumbs = doc.RootElement.GetProperty("breadcrumbs").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(4, crumbs.Count);
        Assert.EndsWith(" track probe.step seq=1", crumbs[0]);
        Assert.EndsWith(" log warning Shop: slow quote", crumbs[1]);
        Assert.Contains(" track probe.note_saved ", crumbs[2]);
        Assert.Contains("title=Weekly plan", crumbs[2]);
        Assert.Contains("word_count=12", crumbs[2]);
        Assert.Contains("labels=[\"a\",\"b\"]", crumbs[2]);
        Assert.EndsWith(" track probe.step seq=2", crumbs[3]);

        // query is classified free_text in the catalog: left out of the breadcrumb whatever it holds.
        Assert.DoesNotContain("query", crumbs[2]);
        Assert.DoesNotContain("canary", doc.RootElement.GetProperty("breadcrumbs").GetRawText());
    }

    [Fact]
    public async Task Track_leaves_the_breadcrumb_to_the_drain_and_a_snapshot_drains_first()
    {
        await using var t = TestPipeline.Create(new ScriptedSink());
        using var provider = new TelemetryBreadcrumbLoggerProvider(t.Pipeline.Errors);
        t.Pipeline.TrackProbeStep(1);
        provider.CreateLogger("Shop").LogWarning("between");
        t.Pipeline.TrackProbeStep(2);

        // On the caller's thread Track only captured the events: the ring holds the log entry alone.
        Assert.Equal(2, t.Stats.Buffered);
        Assert.EndsWith(" log warning Shop: between", Assert.Single(t.Pipeline.Errors.Breadcrumbs!.Snapshot()));

        // A snapshot drains what was captured first, and the entries keep the order of the calls.
        var crumbs = t.Pipeline.Errors.BreadcrumbSnapshot();
        Assert.Equal(0, t.Stats.Buffered);
        Assert.Collection(
            crumbs,
            c => Assert.EndsWith(" track probe.step seq=1", c),
            c => Assert.EndsWith(" log warning Shop: between", c),
            c => Assert.EndsWith(" track probe.step seq=2", c));
    }

    [Fact]
    public async Task Breadcrumbs_of_a_pipeline_are_the_last_N_calls_in_call_order_across_drains()
    {
        await using var t = TestPipeline.Create(new ScriptedSink(), o => o.Errors.MaxBreadcrumbs = 7);
        var expected = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            if (i % 3 == 0)
            {
                t.Pipeline.TrackProbeStep(i);
                expected.Add("track probe.step seq=" + i);
            }
            else
            {
                t.Pipeline.TrackProbePing(i);
                expected.Add("track probe.ping seq=" + i);
            }

            if (i % 11 == 0) t.Ingest();
        }

        var crumbs = t.Pipeline.Errors.BreadcrumbSnapshot();
        Assert.Equal(expected.TakeLast(7), crumbs.Select(c => c[(c.IndexOf(' ') + 1)..]));
    }

    [Fact]
    public void Breadcrumbs_are_the_last_N_Track_calls_across_event_types_in_call_order()
    {
        var tracker = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 7 });
        var expected = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var ticks = TestPipeline.Start.UtcTicks + i;
            switch (i % 3)
            {
                case 0:
                    tracker.RecordTrack(new ProbeStep(i), ticks);
                    expected.Add("track probe.step seq=" + i);
                    break;
                case 1:
                    tracker.RecordTrack(new ProbePing(i), ticks);
                    expected.Add("track probe.ping seq=" + i);
                    break;
                default:
                    tracker.RecordTrack(new ProbeMilestone(i), ticks);
                    expected.Add("track probe.milestone seq=" + i);
                    break;
            }
        }

        var crumbs = tracker.BreadcrumbSnapshot();
        Assert.Equal(expected.TakeLast(7), crumbs.Select(c => c[(c.IndexOf(' ') + 1)..]));
    }

    [Fact]
    public void Recording_a_Track_call_allocates_nothing_and_nothing_is_kept_when_breadcrumbs_are_off()
    {
        var tracker = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 50 });
        var note = new ProbeNoteSaved("Weekly plan", "q", 3);
        tracker.RecordTrack(new ProbeStep(0), 1);
        tracker.RecordTrack(in note, 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            tracker.RecordTrack(new ProbeStep(i), i);
            tracker.RecordTrack(in note, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        var off = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 0 });
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) off.RecordTrack(new ProbeStep(i), i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Null(off.Breadcrumbs);
        Assert.Empty(off.BreadcrumbSnapshot());
    }

    [Fact]
    public async Task Track_breadcrumbs_stay_bounded_and_consistent_under_concurrent_writers()
    {
        var tracker = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 50 });
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var i = 0;
            do
            {
                for (var n = 0; n < 1000; n++, i++)
                {
                    if (w % 2 == 0) tracker.RecordTrack(new ProbeStep((w + 1) * 1_000_000 + (i % 1_000_000)), DateTime.UtcNow.Ticks);
                    else tracker.RecordTrack(new ProbeNoteSaved("writer " + w, "q", w), DateTime.UtcNow.Ticks);
                }
            }
            while (!stop.IsCancellationRequested);
        })).ToArray();
        while (tracker.Breadcrumbs!.Written < 2000) await Task.Yield();
        for (var i = 0; i < 200; i++)
        {
            var snapshot = tracker.BreadcrumbSnapshot();
            Assert.InRange(snapshot.Count, 1, 50);

            // Every entry is one whole event: a step of an even writer or a note of an odd writer, never a torn mix.
            Assert.All(snapshot, c => Assert.Matches(@" track (probe\.step seq=[13]\d{6}|probe\.note_saved title=writer ([13]).* word_count=\2)$", c));
        }

        stop.Cancel();
        await Task.WhenAll(writers);
        Assert.Equal(50, tracker.BreadcrumbSnapshot().Count);
    }

    [Fact]
    public void Trackers_do_not_see_each_others_breadcrumbs_and_a_collected_trackers_slots_are_reused()
    {
        var a = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 5 });
        var b = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 5 });
        a.RecordTrack(new ProbeStep(1), 1);
        b.RecordTrack(new ProbeStep(2), 1);
        Assert.EndsWith("seq=1", Assert.Single(a.BreadcrumbSnapshot()));
        Assert.EndsWith("seq=2", Assert.Single(b.BreadcrumbSnapshot()));

        // Many short-lived trackers (a test suite's pipelines) do not pile up rings: their ids come back.
        var ids = new HashSet<int>();
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 50; i++) Churn(ids);
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.True(ids.Count < 1000, $"{ids.Count} distinct ring ids for 1,000 trackers: collected trackers' ids are not reused");
        GC.KeepAlive(a);
        GC.KeepAlive(b);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Churn(HashSet<int> ids)
    {
        var tracker = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 5 });
        tracker.RecordTrack(new ProbeStep(1), 1);
        ids.Add(tracker.Breadcrumbs!.Id);
        var crumb = Assert.Single(tracker.BreadcrumbSnapshot());
        Assert.EndsWith("seq=1", crumb);
    }
}
