using Telemetry.Catalog.Tool.Monitoring;

namespace Telemetry.Catalog.Tool.Tests;

public sealed class MetricNamesTests
{
    [Theory]
    [InlineData("telemetry.client.events.tracked", "telemetry_client_events_tracked_total")]
    [InlineData("telemetry.client.events.sampled_out", "telemetry_client_events_sampled_out_total")]
    [InlineData("telemetry.client.events.aggregated", "telemetry_client_events_aggregated_total")]
    [InlineData("telemetry.client.events.queued", "telemetry_client_events_queued_total")]
    [InlineData("telemetry.client.events.sent", "telemetry_client_events_sent_total")]
    [InlineData("telemetry.client.events.retried", "telemetry_client_events_retried_total")]
    [InlineData("telemetry.client.events.resent", "telemetry_client_events_resent_total")]
    [InlineData("telemetry.client.events.dropped", "telemetry_client_events_dropped_total")]
    [InlineData("telemetry.client.queue.depth", "telemetry_client_queue_depth")]
    [InlineData("telemetry.client.batch.duration", "telemetry_client_batch_duration_seconds")]
    [InlineData("telemetry.ingest.events.incoming", "telemetry_ingest_events_incoming_total")]
    [InlineData("telemetry.ingest.events.forwarded", "telemetry_ingest_events_forwarded_total")]
    [InlineData("telemetry.ingest.events.dropped", "telemetry_ingest_events_dropped_total")]
    [InlineData("telemetry.ingest.events.validation_errors", "telemetry_ingest_events_validation_errors_total")]
    [InlineData("telemetry.ingest.events.rate_limited", "telemetry_ingest_events_rate_limited_total")]
    [InlineData("telemetry.ingest.request.duration", "telemetry_ingest_request_duration_seconds")]
    [InlineData("telemetry.ingest.errors.captured", "telemetry_ingest_errors_captured_total")]
    [InlineData("telemetry.ingest.error_issues.new", "telemetry_ingest_error_issues_new_total")]
    public void Each_instrument_has_its_prometheus_name(string instrument, string prometheus)
    {
        var metric = Assert.Single(MetricNames.All, m => m.Instrument == instrument);

        Assert.Equal(prometheus, metric.Prometheus);
    }

    [Fact]
    public void Runtime_instruments_belong_to_the_runtime_meter_and_ingest_ones_to_the_ingest_meter()
    {
        Assert.All(MetricNames.All.Where(m => m.Instrument.StartsWith("telemetry.client.", StringComparison.Ordinal)), m => Assert.Equal("Telemetry.Runtime", m.Meter));
        Assert.All(MetricNames.All.Where(m => m.Instrument.StartsWith("telemetry.ingest.", StringComparison.Ordinal)), m => Assert.Equal("Telemetry.Ingest", m.Meter));
        Assert.All(MetricNames.All.Where(m => m.Kind == "counter"), m => Assert.Equal(MetricNames.PrometheusCounterName(m.Instrument), m.Prometheus));
    }
}
