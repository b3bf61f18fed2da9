using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Operations;

/// <summary>
/// OpenTelemetry conventions of the ingest server: dotted instrument names, an <c>event</c> label bounded by the catalog
/// (unknown names and nameless events under <c>other</c>), an activity per ingest request, and W3C trace ids in problem answers.
/// </summary>
public sealed class TelemetryConventionsTests
{
    [Fact]
    public async Task Incoming_stored_and_rejected_counters_carry_the_event_label_bounded_by_the_catalog()
    {
        await using var host = await IngestHost.StartAsync();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var incoming = new MetricCollector<long>(factory, IngestMetrics.MeterName, IngestMetrics.Instruments.EventsIncoming);
        using var stored = new MetricCollector<long>(factory, IngestMetrics.MeterName, IngestMetrics.Instruments.EventsStored);
        using var rejected = new MetricCollector<long>(factory, IngestMetrics.MeterName, IngestMetrics.Instruments.EventsValidationErrors);

        var bad = Events.Zoom();
        bad["visible_bars"] = -1;
        var unknown = Events.Zoom();
        unknown["event"] = "chart.teleport-" + Guid.NewGuid().ToString("N"); // a client cannot blow up the label's cardinality
        var nameless = Events.Zoom();
        nameless.Remove("event");
        using (var response = await host.PostBatchAsync(Events.Zoom(), bad, unknown, nameless, Events.PlaceSim()))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Equal(new Dictionary<string, long> { ["chart.zoom"] = 2, ["other"] = 2, ["order.place_sim"] = 1 }, ByEvent(incoming));
        Assert.Equal(new Dictionary<string, long> { ["chart.zoom"] = 1, ["order.place_sim"] = 1 }, ByEvent(stored));
        Assert.Equal(new Dictionary<string, long> { ["chart.zoom"] = 1, ["other"] = 2 }, ByEvent(rejected));

        var metrics = host.Services.GetRequiredService<IngestMetrics>();
        Assert.Equal("other", metrics.EventLabel("chart.teleport"));
        Assert.Equal("chart.zoom", metrics.EventLabel("chart.zoom"));
        Assert.Equal("other", metrics.EventLabel(null));
    }

    [Fact]
    public async Task Every_series_of_the_event_label_exists_from_the_start_one_per_catalog_event_plus_other()
    {
        await using var host = await IngestHost.StartAsync();
        using var response = await new HttpClient { BaseAddress = host.BaseAddress }.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var validator = host.Services.GetRequiredService<Telemetry.Ingest.Validation.CatalogValidator>();

        var series = text.Split('\n').Where(l => l.StartsWith("telemetry_ingest_events_incoming_total{", StringComparison.Ordinal)).ToList();
        Assert.Equal(validator.EventCount + 1, series.Count);
        Assert.Contains(series, l => l.Contains("event=\"other\"", StringComparison.Ordinal));
        Assert.All(validator.EventNames, name => Assert.Contains(series, l => l.Contains("event=\"" + name + "\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_metrics_resource_names_the_host_application_not_unknown_service()
    {
        await using var host = await IngestHost.StartAsync();
        using var response = await new HttpClient { BaseAddress = host.BaseAddress }.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("unknown_service", text, StringComparison.Ordinal);
        var application = host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().ApplicationName;
        Assert.Contains("service_name=\"" + application + "\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Problem_answers_carry_the_W3C_trace_id_of_the_callers_traceparent()
    {
        await using var host = await IngestHost.StartAsync();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent("{\"events\":[]}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await anonymous.SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(traceId, (string?)problem["trace_id"]);
    }

    [Fact]
    public async Task Problem_answers_without_a_traceparent_carry_a_W3C_trace_id()
    {
        await using var host = await IngestHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await anonymous.PostAsync("/v1/batch", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Matches("^[0-9a-f]{32}$", (string?)problem["trace_id"]);
        Assert.NotEqual(new string('0', 32), (string?)problem["trace_id"]);
    }

    [Fact]
    public async Task Each_ingest_request_is_an_activity_of_the_Telemetry_Ingest_source_in_the_callers_trace()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == IngestTracing.ActivitySourceName || source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) activities.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await IngestHost.StartAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(Events.Batch(new[] { Events.Zoom() }), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Activity ingest;
        lock (activities) ingest = Assert.Single(activities, a => a.OperationName == IngestTracing.RequestActivityName && a.TraceId == traceId);
        Assert.Equal("batch", ingest.GetTagItem("telemetry.ingest.endpoint"));
        Assert.Equal(202, ingest.GetTagItem("http.response.status_code"));
    }

    private static Dictionary<string, long> ByEvent(MetricCollector<long> collector) =>
        collector.GetMeasurementSnapshot()
            .Where(m => m.Value != 0)
            .GroupBy(m => (string)m.Tags[IngestMetrics.EventTag]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
}
