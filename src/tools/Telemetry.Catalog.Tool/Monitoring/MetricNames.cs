using System.Collections.Generic;

namespace Telemetry.Catalog.Tool.Monitoring;

/// <summary>An instrument as the producer creates it and as Prometheus shows it.</summary>
/// <param name="Meter">The System.Diagnostics.Metrics meter name.</param>
/// <param name="Instrument">Instrument name (dotted).</param>
/// <param name="Kind">counter, gauge (up-down counter or observable gauge) or histogram.</param>
/// <param name="Unit">UCUM unit (<c>s</c>, <c>{event}</c>).</param>
/// <param name="Prometheus">The Prometheus series name (histograms add <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</param>
/// <param name="Description">What it counts.</param>
internal sealed record MetricName(string Meter, string Instrument, string Kind, string Unit, string Prometheus, string Description);

/// <summary>
/// The one list of the pipeline's operational metrics that the dashboard and the alert rules query. The runtime
/// (meter <c>Telemetry.Runtime</c>, <c>TelemetryMetrics</c>) and the ingest server (meter <c>Telemetry.Ingest</c>,
/// <c>IngestMetrics.Instruments</c>) create exactly these instruments, named the OpenTelemetry way (dotted). Prometheus names follow the OpenTelemetry Prometheus exporter: dots become underscores, a unit in
/// seconds adds <c>_seconds</c>, an annotation unit such as <c>{event}</c> adds nothing, and counters end in <c>_total</c>.
/// </summary>
internal static class MetricNames
{
    public const string RuntimeMeter = "Telemetry.Runtime";
    public const string IngestMeter = "Telemetry.Ingest";

    /// <summary>Tag of <see cref="ClientEventsResent"/> and <see cref="ClientBatchDuration"/>: the sink's name.</summary>
    public const string SinkTag = "sink";

    /// <summary>Tag of <see cref="ClientEventsDropped"/>, <see cref="ClientEventsSampledOut"/> and <see cref="IngestEventsDropped"/>: why.</summary>
    public const string ReasonTag = "reason";

    public static readonly MetricName ClientEventsTracked = Counter(RuntimeMeter, "telemetry.client.events.tracked", "Events accepted by Track (after consent and sampling).");
    public static readonly MetricName ClientEventsSampledOut = Counter(RuntimeMeter, "telemetry.client.events.sampled_out", "Events kept out by sampling (tag 'reason').");
    public static readonly MetricName ClientEventsAggregated = Counter(RuntimeMeter, "telemetry.client.events.aggregated", "Raw interactions folded into aggregate events.");
    public static readonly MetricName ClientEventsQueued = Counter(RuntimeMeter, "telemetry.client.events.queued", "Events written to the offline queue.");
    public static readonly MetricName ClientEventsSent = Counter(RuntimeMeter, "telemetry.client.events.sent", "Events confirmed by the sink.");
    public static readonly MetricName ClientEventsRetried = Counter(RuntimeMeter, "telemetry.client.events.retried", "Event sends scheduled for retry.");
    public static readonly MetricName ClientEventsResent = Counter(RuntimeMeter, "telemetry.client.events.resent", "Events sent again after an attempt the provider may have ingested (tags 'sink', 'reason': timeout, reset, 5xx, crash_replay).");
    public static readonly MetricName ClientEventsDropped = Counter(RuntimeMeter, "telemetry.client.events.dropped", "Events dropped (tags 'reason', 'tier').");
    public static readonly MetricName ClientQueueDepth = new(RuntimeMeter, "telemetry.client.queue.depth", "gauge", "{event}", "telemetry_client_queue_depth", "Events waiting in the offline queue.");
    public static readonly MetricName ClientBatchDuration = new(RuntimeMeter, "telemetry.client.batch.duration", "histogram", "s", "telemetry_client_batch_duration_seconds", "Duration of one sink call (tags 'outcome', 'sink').");

    public static readonly MetricName IngestEventsIncoming = Counter(IngestMeter, "telemetry.ingest.events.incoming", "Events received in readable requests.");
    public static readonly MetricName IngestEventsForwarded = Counter(IngestMeter, "telemetry.ingest.events.forwarded", "Events delivered to the forwarding provider.");
    public static readonly MetricName IngestEventsDropped = Counter(IngestMeter, "telemetry.ingest.events.dropped", "Events neither stored nor forwarded (invalid, or permanently rejected by the provider).");
    public static readonly MetricName IngestValidationErrors = Counter(IngestMeter, "telemetry.ingest.events.validation_errors", "Events rejected by schema validation.");
    public static readonly MetricName IngestRateLimited = new(IngestMeter, "telemetry.ingest.events.rate_limited", "counter", "{request}", "telemetry_ingest_events_rate_limited_total", "Requests answered 429.");
    public static readonly MetricName IngestRequestDuration = new(IngestMeter, "telemetry.ingest.request.duration", "histogram", "s", "telemetry_ingest_request_duration_seconds", "Duration of ingest requests.");
    public static readonly MetricName IngestErrorsCaptured = new(IngestMeter, "telemetry.ingest.errors.captured", "counter", "{error}", "telemetry_ingest_errors_captured_total", "Errors reported by clients (error.captured events stored, plus those the clients' rate limit counted).");
    public static readonly MetricName IngestErrorIssuesNew = new(IngestMeter, "telemetry.ingest.error_issues.new", "counter", "{issue}", "telemetry_ingest_error_issues_new_total", "Error fingerprints seen for the first time, and resolved issues that came back (tag 'change': new, regressed).");

    public static IReadOnlyList<MetricName> All { get; } = new[]
    {
        ClientEventsTracked, ClientEventsSampledOut, ClientEventsAggregated, ClientEventsQueued, ClientEventsSent, ClientEventsRetried,
        ClientEventsResent, ClientEventsDropped, ClientQueueDepth, ClientBatchDuration,
        IngestEventsIncoming, IngestEventsForwarded, IngestEventsDropped, IngestValidationErrors, IngestRateLimited, IngestRequestDuration,
        IngestErrorsCaptured, IngestErrorIssuesNew,
    };

    /// <summary>The exporter's rule for a counter with an annotation unit: dots to underscores, then <c>_total</c>.</summary>
    public static string PrometheusCounterName(string instrument) => instrument.Replace('.', '_') + "_total";

    private static MetricName Counter(string meter, string instrument, string description) =>
        new(meter, instrument, "counter", "{event}", PrometheusCounterName(instrument), description);
}
