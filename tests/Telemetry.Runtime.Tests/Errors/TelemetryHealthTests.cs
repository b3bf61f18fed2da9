using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Errors;

public class TelemetryHealthTests
{
    private static readonly HealthCheckContext Context = new() { Registration = new HealthCheckRegistration("telemetry", _ => null!, HealthStatus.Unhealthy, null) };

    [Fact]
    public async Task A_delivering_client_is_healthy()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        var check = new TelemetryHealthCheck(t.Pipeline, new TelemetryHealthOptions());
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();
        var result = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(0L, result.Data["queue_depth"]);
        Assert.NotEqual("never", result.Data["last_successful_delivery"]);
        Assert.Equal(t.Time.GetUtcNow(), t.Pipeline.Health.LastSuccessfulDelivery);
    }

    [Fact]
    public async Task Consecutive_failures_make_it_degraded_then_unhealthy_at_the_default_threshold_of_three()
    {
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater) };
        await using var t = TestPipeline.Create(sink);
        var check = new TelemetryHealthCheck(t.Pipeline, new TelemetryHealthOptions());
        t.Pipeline.TrackProbeStep(1);
        var statuses = new List<HealthStatus>();
        for (var i = 0; i < 3; i++)
        {
            await t.FlushOnceAsync();
            statuses.Add((await check.CheckHealthAsync(Context)).Status);
            t.Time.Advance(t.Pipeline.RetryNotBefore - t.Time.GetUtcNow());
        }

        Assert.Equal(new[] { HealthStatus.Degraded, HealthStatus.Degraded, HealthStatus.Unhealthy }, statuses);
        Assert.Contains("3 consecutive delivery failures", (await check.CheckHealthAsync(Context)).Description);

        sink.Fallback = _ => SinkResult.Success;
        await t.DeliverAllAsync();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context)).Status);
    }

    [Fact]
    public async Task The_age_of_the_oldest_queued_event_and_the_queue_fill_are_judged()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.MaxQueueRows = 10);
        var check = new TelemetryHealthCheck(t.Pipeline, new TelemetryHealthOptions { DegradedSinceLastDelivery = TimeSpan.FromDays(1) });
        t.Pipeline.TrackProbeStep(1);
        t.Ingest();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context)).Status);

        t.Time.Advance(TimeSpan.FromMinutes(6));
        var degraded = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal(360L, degraded.Data["oldest_event_age_s"]);

        t.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(Context)).Status);

        await t.DeliverAllAsync();
        for (var i = 0; i < 8; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();
        var full = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Degraded, full.Status);
        Assert.Contains("queue 80", full.Description!);
        for (var i = 0; i < 2; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(Context)).Status);
    }

    [Fact]
    public async Task New_drops_since_the_previous_check_make_it_degraded_once()
    {
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.Rejected) };
        await using var t = TestPipeline.Create(sink);
        var check = new TelemetryHealthCheck(t.Pipeline, new TelemetryHealthOptions());
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();
        var first = await check.CheckHealthAsync(Context);
        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Contains("1 event(s) dropped", first.Description);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context)).Status);
    }

    [Fact]
    public void Thresholds_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new TelemetryHealthEvaluator(new TelemetryHealthOptions { UnhealthyFailures = 0 }));
        Assert.Throws<ArgumentException>(() => new TelemetryHealthEvaluator(new TelemetryHealthOptions { DegradedQueueFill = 0.9, UnhealthyQueueFill = 0.5 }));
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddHealthChecks().AddTelemetryHealthCheck(configure: o => o.ReportInterval = TimeSpan.Zero));
    }

    [Fact]
    public async Task AddTelemetryHealthCheck_reports_through_the_health_check_service_and_sends_client_health_events()
    {
        var sink = new ScriptedSink();
        using var directory = new TempDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTelemetry(o =>
        {
            o.StorageDirectory = directory.Path;
            o.UseDurableQueue = false;
            o.FlushInterval = TimeSpan.FromMilliseconds(20);
            o.DrainInterval = TimeSpan.FromMilliseconds(10);
        }).AddSink(sink);
        builder.Services.AddHealthChecks().AddTelemetryHealthCheck(configure: o => { o.ReportEvents = true; o.ReportInterval = TimeSpan.FromSeconds(1); });
        using var host = builder.Build();
        await host.StartAsync();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["telemetry"].Status);
        for (var i = 0; i < 100 && !sink.Accepted.Any(e => e.Name == "client.health"); i++) await Task.Delay(50);
        await host.StopAsync();
        var health = sink.Accepted.First(e => e.Name == "client.health");
        using var doc = System.Text.Json.JsonDocument.Parse(health.Json);
        Assert.Equal("healthy", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(new TelemetryOptions().MaxQueueRows, doc.RootElement.GetProperty("queue_limit").GetInt64());
    }
}
