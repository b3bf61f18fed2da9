using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Ingest.Forwarding;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Tests.Operations;

public sealed class OperationsTests
{
    [Fact]
    public async Task Metrics_endpoint_exposes_the_counters_and_the_request_duration_histogram_in_prometheus_text()
    {
        await using var host = await IngestHost.StartAsync(o =>
        {
            o.RateLimit.PerKeyPermits = 2;
            o.RateLimit.WindowSeconds = 60;
        });
        var bad = Events.Zoom();
        bad["visible_bars"] = -1;
        using (await host.PostBatchAsync(Events.Zoom(), bad)) { }
        using (await host.PostBatchAsync(Events.Zoom())) { }
        using (await host.PostBatchAsync(Events.Zoom())) { }

        using var response = await new HttpClient { BaseAddress = host.BaseAddress }.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, Sample(text, "telemetry_ingest_events_incoming_total"));
        Assert.Equal(1, Sample(text, "telemetry_ingest_events_validation_errors_total"));
        Assert.Equal(1, Sample(text, "telemetry_ingest_events_dropped_total"));
        Assert.Equal(1, Sample(text, "telemetry_ingest_events_rate_limited_total"));
        Assert.Equal(0, Sample(text, "telemetry_ingest_events_forwarded_total"));
        Assert.Equal(2, Sample(text, "telemetry_ingest_events_stored_total"));
        Assert.Contains("# TYPE telemetry_ingest_request_duration_seconds histogram", text);
        Assert.Contains("telemetry_ingest_request_duration_seconds_bucket{", text);
        Assert.Contains("le=\"0.005\"", text);
    }

    [Fact]
    public async Task Liveness_and_readiness_report_database_and_queue_depth()
    {
        await using var host = await IngestHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };

        using var live = await anonymous.GetAsync("/healthz");
        using var ready = await anonymous.GetAsync("/readyz");
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["database"]!["status"]);
        Assert.Equal(0, (long)body["checks"]!["queue"]!["pending_events"]!);
    }

    [Fact]
    public async Task Graceful_shutdown_commits_every_acknowledged_event()
    {
        using var data = new TempFolder();
        var acknowledged = 0;
        await using (var host = await IngestHost.StartAsync(dataPath: data.Path))
        {
            var senders = Enumerable.Range(0, 8).Select(async _ =>
            {
                for (var i = 0; i < 20; i++)
                {
                    try
                    {
                        using var r = await host.PostBatchAsync(Enumerable.Range(0, 25).Select(_ => Events.Zoom()).ToArray());
                        if (r.StatusCode == HttpStatusCode.Accepted) Interlocked.Add(ref acknowledged, 25);
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server stopped listening
                    }
                }
            }).ToArray();
            await Task.Delay(300);
            await host.StopAsync();
            await Task.WhenAll(senders);
        }

        Assert.True(acknowledged > 0);
        await using var restarted = await IngestHost.StartAsync(dataPath: data.Path);
        Assert.True(await restarted.StoredCountAsync() >= acknowledged);
    }

    [Fact]
    public async Task Admin_flush_and_stats_report_the_writer_state()
    {
        await using var host = await IngestHost.StartAsync();
        using (await host.PostBatchAsync(Events.Zoom(), Events.Zoom())) { }

        using var flush = await host.Admin.PostAsync("/admin/flush", null);
        var stats = await host.AdminJsonAsync("/admin/stats");

        Assert.Equal(HttpStatusCode.OK, flush.StatusCode);
        Assert.Equal(0, (long)JsonNode.Parse(await flush.Content.ReadAsStringAsync())!["pending_events"]!);
        Assert.Equal("sqlite", (string?)stats["storage"]);
        Assert.Equal(2, (long)stats["events_stored"]!);
        Assert.Equal(2, (long)stats["incoming_total"]!);
        Assert.True((int)stats["catalog_events"]! >= 35);
        using var schema = await host.Admin.GetAsync("/admin/schemas/chart.zoom");
        Assert.Contains("\"additionalProperties\":false", await schema.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failed_hand_over_to_forwarding_is_503_and_the_resend_is_stored_once_and_forwarded()
    {
        var forwarder = new FlakyForwarder(failures: 1);
        await using var host = await IngestHost.StartAsync(services: s => s.AddSingleton<IEventForwarder>(forwarder));
        var events = Enumerable.Range(0, 3).Select(_ => Events.Zoom()).ToArray();

        using (var first = await host.PostBatchAsync(events))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            Assert.NotNull(first.Headers.RetryAfter);
            Assert.Contains("could not be queued for forwarding", await first.Content.ReadAsStringAsync());
        }

        using (var resend = await host.PostBatchAsync(events))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
            var body = JsonNode.Parse(await resend.Content.ReadAsStringAsync())!;
            Assert.Equal(3, (int)body["accepted"]!);
            Assert.Equal(3, (int)body["duplicates"]!); // stored by the first attempt
        }

        Assert.Equal(3, await host.StoredCountAsync());
        Assert.Equal(events.Select(e => (string)e["event_id"]!).OrderBy(x => x), forwarder.Queued.Select(e => e.EventId.ToString()).OrderBy(x => x));
    }

    private sealed class FlakyForwarder(int failures) : IEventForwarder
    {
        public Task<long> EraseUserAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(0L);

        private int _failures = failures;

        public List<StoredEvent> Queued { get; } = new();

        public long QueueDepth => Queued.Count;

        public string SinkName => "flaky";

        public Task EnqueueAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _failures) >= 0) throw new IOException("disk full");
            lock (Queued) Queued.AddRange(events);
            return Task.CompletedTask;
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task Accepted_events_are_forwarded_through_a_runtime_sink_with_retry()
    {
        var sink = new RecordingSink(new SinkResult(SinkOutcome.RetryLater, Detail: "503"), new SinkResult(SinkOutcome.RetryLater, TimeSpan.FromMilliseconds(50)));
        await using var host = await IngestHost.StartAsync(o =>
        {
            o.Forwarding.Enabled = true;
            o.Forwarding.InitialRetrySeconds = 0.05;
            o.Forwarding.PollSeconds = 0.05;
        }, services: s => s.AddSingleton<ITelemetrySink>(sink));

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var events = Enumerable.Range(0, 4).Select(_ => Events.Zoom()).ToArray();
            ids.AddRange(events.Select(e => (string)e["event_id"]!));
            using var r = await host.PostBatchAsync(events);
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (sink.Delivered.Count < 12 && DateTime.UtcNow < deadline) await Task.Delay(50);

        Assert.Equal(ids.OrderBy(x => x), sink.Delivered.Select(e => e.EventId.ToString()).Distinct().OrderBy(x => x));
        Assert.True(sink.Calls >= 3);
        var delivered = sink.Delivered.First();
        Assert.Equal("chart.zoom", delivered.Name);
        Assert.Equal(EventTier.A, delivered.Tier);
        Assert.Contains("\"visible_bars\":180", System.Text.Encoding.UTF8.GetString(delivered.Json.Span));
        var stats = await host.AdminJsonAsync("/admin/stats");
        Assert.Equal(12, (long)stats["forwarded_total"]!);
        Assert.Equal(0, (long)stats["forwarding"]!["queue_depth"]!);
    }

    [Fact]
    public async Task Forwarding_to_another_ingest_server_uses_the_runtimes_ingest_sink()
    {
        await using var downstream = await IngestHost.StartAsync();
        await using var upstream = await IngestHost.StartAsync(o =>
        {
            o.Forwarding.Enabled = true;
            o.Forwarding.Sink = "ingest";
            o.Forwarding.Ingest.BaseUrl = downstream.BaseAddress;
            o.Forwarding.Ingest.WriteKey = IngestHost.OtherWriteKey;
            o.Forwarding.Ingest.Gzip = true;
            o.Forwarding.PollSeconds = 0.05;
        });

        using (var r = await upstream.PostBatchAsync(Events.Zoom("fwd-user"), Events.PlaceSim("fwd-user"))) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        using (var r = await upstream.PostJsonAsync("/api/analytics/agg", Events.CrosshairAgg(withId: false, userId: "fwd-user").ToJsonString())) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await downstream.StoredCountAsync() < 3 && DateTime.UtcNow < deadline) await Task.Delay(100);

        var upstreamIds = (await upstream.AdminJsonAsync("/admin/users/fwd-user/events"))["events"]!.AsArray().Select(e => (string)e!["event_id"]!).OrderBy(x => x);
        var forwarded = await downstream.AdminJsonAsync("/admin/users/fwd-user/events");
        Assert.Equal(3, (int)forwarded["count"]!);
        Assert.All(forwarded["events"]!.AsArray(), e => Assert.Equal("other", (string?)e!["project"]));
        Assert.Equal(upstreamIds, forwarded["events"]!.AsArray().Select(e => (string)e!["event_id"]!).OrderBy(x => x));
        Assert.Equal(3, (long)(await upstream.AdminJsonAsync("/admin/stats"))["forwarded_total"]!);
    }

    private static double Sample(string exposition, string name)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException(name + " not found in:\n" + exposition);
        var values = exposition.Split('\n')
            .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        _ = line;
        return values.Sum();
    }
}
