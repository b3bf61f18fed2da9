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
/// (meter <c>Telemetry.Runtime</c>) and the ingest server (meter <c>Telemetry.Ingest</c>) must create exactly these
/// instruments. Prometheus names follow the OpenTelemetry Prometheus exporter: dots become underscores, a unit
/// in seconds adds <c>_seconds</c>, an annotation unit such as <c>{event}</c> adds nothing, and counters end in <c>_total</c>.
/// </summary>
internal static class MetricNames
{
    public const string RuntimeMeter = "Telemetry.Runtime";
    public const string IngestMeter = "Telemetry.Ingest";

    /// <summary>Tag of <see cref="ClientEventsDropped"/> and <see cref="IngestEventsDropped"/>: why events were dropped.</summary>
    public const string ReasonTag = "reason";

    public static readonly MetricName ClientEventsTracked = Counter(RuntimeMeter, "telemetry.client.events.tracked", "Track calls made by the app (before sampling).");
    public static readonly MetricName ClientEventsSampledOut = Counter(RuntimeMeter, "telemetry.client.events.sampled_out", "Events not sent because the user is outside the event's sample.");
    public static readonly MetricName ClientEventsAggregated = Counter(RuntimeMeter, "telemetry.client.events.aggregated", "High-frequency events folded into a window aggregate.");
    public static readonly MetricName ClientEventsQueued = Counter(RuntimeMeter, "telemetry.client.events.queued", "Events put on the delivery queue.");
    public static readonly MetricName ClientEventsSent = Counter(RuntimeMeter, "telemetry.client.events.sent", "Events the sink accepted.");
    public static readonly MetricName ClientEventsRetried = Counter(RuntimeMeter, "telemetry.client.events.retried", "Events sent again after a failed delivery.");
    public static readonly MetricName ClientEventsDropped = Counter(RuntimeMeter, "telemetry.client.events.dropped", "Events given up on, by reason (tag 'reason').");
    public static readonly MetricName ClientQueueDepth = new(RuntimeMeter, "telemetry.client.queue.depth", "gauge", "{event}", "telemetry_client_queue_depth", "Events waiting in the delivery queue.");
    public static readonly MetricName ClientBatchDuration = new(RuntimeMeter, "telemetry.client.batch.duration", "histogram", "s", "telemetry_client_batch_duration_seconds", "Time to deliver one batch to the sink.");

    public static readonly MetricName IngestEventsIncoming = Counter(IngestMeter, "telemetry.ingest.events.incoming", "Events received by the ingest endpoint.");
    public static readonly MetricName IngestEventsForwarded = Counter(IngestMeter, "telemetry.ingest.events.forwarded", "Events forwarded to the analytics provider.");
    public static readonly MetricName IngestEventsDropped = Counter(IngestMeter, "telemetry.ingest.events.dropped", "Events not forwarded, by reason (tag 'reason').");
    public static readonly MetricName IngestValidationErrors = Counter(IngestMeter, "telemetry.ingest.events.validation_errors", "Events rejected because they do not match their JSON Schema.");
    public static readonly MetricName IngestRateLimited = Counter(IngestMeter, "telemetry.ingest.events.rate_limited", "Events refused by the rate limiter (HTTP 429).");
    public static readonly MetricName IngestRequestDuration = new(IngestMeter, "telemetry.ingest.request.duration", "histogram", "s", "telemetry_ingest_request_duration_seconds", "Time to handle one ingest request.");

    public static IReadOnlyList<MetricName> All { get; } = new[]
    {
        ClientEventsTracked, ClientEventsSampledOut, ClientEventsAggregated, ClientEventsQueued, ClientEventsSent, ClientEventsRetried,
        ClientEventsDropped, ClientQueueDepth, ClientBatchDuration,
        IngestEventsIncoming, IngestEventsForwarded, IngestEventsDropped, IngestValidationErrors, IngestRateLimited, IngestRequestDuration,
    };

    /// <summary>The exporter's rule for a counter with an annotation unit: dots to underscores, then <c>_total</c>.</summary>
    public static string PrometheusCounterName(string instrument) => instrument.Replace('.', '_') + "_total";

    private static MetricName Counter(string meter, string instrument, string description) =>
        new(meter, instrument, "counter", "{event}", PrometheusCounterName(instrument), description);
}
