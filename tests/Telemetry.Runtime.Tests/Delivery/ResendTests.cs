using System.Diagnostics.Metrics;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>
/// <c>telemetry.client.events.resent</c>: every extra send of an event whose earlier request may have been ingested
/// (a 5xx, a timeout, a reset connection, a crash while in flight) is counted by sink and reason, and nothing else is:
/// a 429 or a refused connection sends nothing the provider kept.
/// </summary>
public sealed class ResendTests
{
    [Fact]
    public async Task Resends_after_5xx_timeout_and_reset_are_counted_by_reason_and_match_the_extra_copies_the_server_received()
    {
        await using var server = new FaultyServer(Fault.TooManyRequests, Fault.ServerError, Fault.Hang, Fault.Reset, Fault.Ok);
        using var http = new HttpClient();
        var sink = new IngestSink(http, new IngestSinkOptions { BaseUrl = server.BaseUrl, WriteKey = "key", RequestTimeout = TimeSpan.FromSeconds(3) });
        await using var t = TestPipeline.Create(sink, o => o.SendTimeout = TimeSpan.FromSeconds(30));
        var resent = new List<(long Value, string? Sink, string? Reason)>();
        using var listener = Listen(t, resent);

        for (var i = 0; i < 3; i++) t.Pipeline.TrackProbeStep(i);
        await t.DeliverAllAsync();
        listener.RecordObservableInstruments();

        var stats = t.Stats;
        Assert.Equal(3, stats.Sent);
        Assert.Equal(3, stats.ResentByReason[ResendReason.ServerError]);
        Assert.Equal(3, stats.ResentByReason[ResendReason.Timeout]);
        Assert.Equal(3, stats.ResentByReason[ResendReason.Reset]);
        Assert.False(stats.ResentByReason.ContainsKey(ResendReason.CrashReplay));
        Assert.Equal(9, stats.Resent);

        // 5 requests of 3 events arrived; the first (429) was refused, so 3 + 9 copies may have been kept.
        Assert.Equal(15, server.EventsReceived);
        Assert.Equal(server.EventsReceived - 3 - stats.Sent, stats.Resent);

        Assert.Equal("telemetry.client.events.resent", TelemetryMetrics.ResentName); // the name the generated dashboard queries
        long Value(string reason) => resent.Where(m => m.Reason == reason && m.Sink == "ingest").Sum(m => m.Value);
        Assert.Equal(3, Value("5xx"));
        Assert.Equal(3, Value("timeout"));
        Assert.Equal(3, Value("reset"));
        Assert.Equal(0, Value("crash_replay"));
    }

    [Fact]
    public async Task A_refused_connection_or_a_429_is_not_a_resend()
    {
        await using var server = new FaultyServer(Fault.TooManyRequests, Fault.Ok);
        using var http = new HttpClient();
        var closed = new IngestSink(http, new IngestSinkOptions { BaseUrl = new Uri($"http://127.0.0.1:{LoopbackReceiver.FreePort()}"), WriteKey = "key" });
        await using (var refused = TestPipeline.Create(closed))
        {
            refused.Pipeline.TrackProbeStep(1);
            refused.Ingest();
            Assert.False(await refused.Pipeline.DeliverAsync(CancellationToken.None));
            Assert.False(await DeliverAfterRetryDelay(refused));
            Assert.Equal(0, refused.Stats.Resent);
            Assert.True(refused.Stats.Retried >= 2);
        }

        var sink = new IngestSink(http, new IngestSinkOptions { BaseUrl = server.BaseUrl, WriteKey = "key" });
        await using var t = TestPipeline.Create(sink);
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();
        Assert.Equal(1, t.Stats.Sent);
        Assert.Equal(0, t.Stats.Resent);
    }

    [Fact]
    public async Task The_pipelines_own_send_timeout_counts_as_a_timeout_resend_for_any_sink()
    {
        var sink = new ScriptedSink()
            .Then(async (_, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return SinkResult.Success;
            });
        await using var t = TestPipeline.Create(sink, o => o.SendTimeout = TimeSpan.FromMilliseconds(50));
        t.Pipeline.TrackProbeStep(1);
        t.Ingest();
        var first = t.Pipeline.DeliverAsync(CancellationToken.None);
        while (!first.IsCompleted)
        {
            t.Time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }

        await t.DeliverAllAsync();
        Assert.Equal(1, t.Stats.ResentByReason[ResendReason.Timeout]);
    }

    [Fact]
    public async Task Events_in_flight_when_the_process_ended_count_as_crash_replays_on_the_next_run()
    {
        using var directory = new TempDirectory();
        var hanging = new ScriptedSink().Then(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return SinkResult.Success;
        });
        hanging.Fallback = _ => new SinkResult(SinkOutcome.RetryLater, Detail: "still down"); // the stop below keeps them queued

        // First run: a send is in flight when the run ends without settling it (cancelled, as by a kill).
        var first = TestPipeline.Create(hanging, o => o.UseDurableQueue = true, directory: directory.Path);
        for (var i = 0; i < 4; i++) first.Pipeline.TrackProbeStep(i);
        first.Ingest();
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Pipeline.DeliverAsync(cancel.Token));
        }

        var journal = Path.Combine(directory.Path, InFlightJournal.FileName);
        Assert.Equal(4 * 16, new FileInfo(journal).Length); // the kill would have left exactly this behind
        var leftOver = File.ReadAllBytes(journal);
        await first.DisposeAsync(); // the orderly stop empties the journal: restore what the kill would have left
        File.WriteAllBytes(journal, leftOver);

        var sink = new ScriptedSink();
        await using var second = TestPipeline.Create(sink, o => o.UseDurableQueue = true, directory: directory.Path);
        second.Pipeline.TrackProbeStep(99);
        await second.DeliverAllAsync();

        Assert.Equal(5, sink.Accepted.Count);
        Assert.Equal(4, second.Stats.ResentByReason[ResendReason.CrashReplay]);
        Assert.Equal(4, second.Stats.Resent);
        Assert.Equal(0, new FileInfo(journal).Length);
    }

    private static async Task<bool> DeliverAfterRetryDelay(TestPipeline t)
    {
        t.Time.Advance(t.Pipeline.RetryNotBefore - t.Time.GetUtcNow() + TimeSpan.FromMilliseconds(1));
        return await t.Pipeline.DeliverAsync(CancellationToken.None);
    }

    private static MeterListener Listen(TestPipeline t, List<(long, string?, string?)> resent)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, t.Pipeline.Metrics.Meter) && instrument.Name == TelemetryMetrics.ResentName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? sink = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "sink") sink = tag.Value as string;
                if (tag.Key == "reason") reason = tag.Value as string;
            }

            lock (resent) resent.Add((value, sink, reason));
        });
        listener.Start();
        return listener;
    }
}
