using System.Collections.Generic;
using System.Text;

namespace Telemetry.Catalog.Tool.Monitoring;

/// <summary>
/// Prometheus alerting rules for the ingest side: drop rate above 10 % for 5 min (critical), nothing
/// forwarded while dropping for 5 min (critical), drop rate above 5 % for 10 min, incoming twice the daily rate for
/// 10 min, validation errors above 1/s, rate limiting above 5/s (warnings), projected cost above the monthly budget and
/// fewer than 6 requests an hour (info); for client errors a new or regressed issue and an error rate above three times the
/// daily rate for 10 min (warnings).
/// </summary>
internal static class PrometheusAlerts
{
    public const string FileName = "prometheus-alerts.yml";

    /// <summary>One alerting rule.</summary>
    public sealed record Rule(string Alert, string Expr, string For, string Severity, string Summary, string Description);

    public static IReadOnlyList<Rule> Rules(MonitoringSettings settings)
    {
        var incoming = MetricNames.IngestEventsIncoming;
        var forwarded = MetricNames.IngestEventsForwarded;
        var dropped = MetricNames.IngestEventsDropped;
        var budget = PromQl.Number(settings.MonthlyBudget);
        return new[]
        {
            new Rule("TelemetryIngestDropRateCritical",
                $"{PromQl.IngestDropRatio("5m")} > 0.1", "5m", "critical",
                "Ingest drops more than 10 % of events",
                "{{ $value | humanizePercentage }} of incoming events were dropped over the last 5 minutes."),
            new Rule("TelemetryIngestNotForwarding",
                $"({PromQl.Rate(forwarded)} or vector(0)) == 0 and {PromQl.Rate(dropped)} > 0", "5m", "critical",
                "Ingest forwards nothing while dropping events",
                "No event reached the analytics provider in 5 minutes while events were being dropped: provider down, credentials revoked or the forwarder stuck."),
            new Rule("TelemetryIngestDropRateHigh",
                $"{PromQl.IngestDropRatio("5m")} > 0.05", "10m", "warning",
                "Ingest drops more than 5 % of events",
                "{{ $value | humanizePercentage }} of incoming events were dropped over the last 5 minutes, for 10 minutes."),
            new Rule("TelemetryIngestIncomingSpike",
                $"{PromQl.Rate(incoming)} > 2 * {PromQl.Rate(incoming, "1d")}", "10m", "warning",
                "Incoming events at twice the normal rate",
                "Incoming events run at more than twice their average rate of the last day: a client loop, a release without sampling, or abuse. The bill follows."),
            new Rule("TelemetryIngestValidationErrors",
                $"{PromQl.Rate(MetricNames.IngestValidationErrors)} > 1", "5m", "warning",
                "More than 1 validation error per second",
                "{{ $value | humanize }} events per second fail their JSON Schema: a client and the catalog disagree (schema_version, a missing required property)."),
            new Rule("TelemetryIngestRateLimited",
                $"{PromQl.Rate(MetricNames.IngestRateLimited)} > 5", "5m", "warning",
                "Rate limiting above 5 per second",
                "{{ $value | humanize }} requests per second are answered 429 by the rate limiter."),
            new Rule("TelemetryProjectedCostOverBudget",
                $"{PromQl.ProjectedMonthlyCost("1d", PromQl.Number(settings.PricePerEvent))} > {budget}", "1h", "info",
                $"Projected analytics cost above ${budget} a month",
                $"At the last day's forwarding rate the provider bill reaches ${{{{ $value | humanize }}}} a month (budget ${budget}, price ${PromQl.Number(settings.PricePerEvent)} per event)."),
            new Rule("TelemetryIngestLatencyHigh",
                $"histogram_quantile(0.95, sum by (le) (rate({MetricNames.IngestRequestDuration.Prometheus}_bucket[5m]))) > 0.15", "10m", "warning",
                "Ingest p95 latency above 150 ms",
                "95 % of ingest requests took up to {{ $value | humanizeDuration }} over the last 5 minutes (budget: p95 150 ms). Storage is the usual bottleneck: check commits and /readyz."),
            new Rule("TelemetryIngestServerErrors",
                $"sum(rate({MetricNames.IngestRequestDuration.Prometheus}_count{{status=~\"5..\"}}[5m])) > 0", "5m", "critical",
                "Ingest answers 5xx",
                "{{ $value | humanize }} ingest requests per second are answered 503/500: the database is unreachable, the write queue is full or the server is stopping. Clients retry; their queues grow."),
            new Rule("TelemetryErrorNewIssue",
                $"sum by (change) (increase({MetricNames.IngestErrorIssuesNew.Prometheus}[10m])) > 0", "0m", "warning",
                "A new error issue (or a resolved one came back)",
                "{{ $value | humanize }} error fingerprint(s) {{ $labels.change }} in the last 10 minutes: GET /admin/errors?status=open lists the issues with their stack traces and breadcrumbs."),
            new Rule("TelemetryErrorRateSpike",
                $"{PromQl.Rate(MetricNames.IngestErrorsCaptured)} > 3 * {PromQl.Rate(MetricNames.IngestErrorsCaptured, "1d")} and {PromQl.Rate(MetricNames.IngestErrorsCaptured)} > 0.05", "10m", "warning",
                "Client errors at three times the daily rate",
                "Clients report {{ $value | humanize }} errors per second, more than three times their average of the last day: a bad release or a failing dependency. GET /admin/errors shows which issues grow."),
            new Rule("TelemetryIngestTrafficLow",
                $"sum(increase({MetricNames.IngestRequestDuration.Prometheus}_count[1h])) < 6", "30m", "info",
                "Fewer than 6 ingest requests an hour",
                "Traffic is unusually low: clients may not be sending (a broken release, a blocked endpoint, an expired key)."),
        };
    }

    public static string Write(MonitoringSettings settings)
    {
        var sb = new StringBuilder();
        sb.Append("# Generated by 'telemetry-catalog dashboards'. Prometheus alerting rules for the telemetry pipeline\n");
        sb.Append("# (drop rate, forwarding, latency, cost and client errors). Metric names: MetricNames in src/tools/Telemetry.Catalog.Tool/Monitoring.\n");
        sb.Append("# Load with rule_files: [prometheus-alerts.yml]; check with: promtool check rules prometheus-alerts.yml\n");
        sb.Append("groups:\n");
        sb.Append("  - name: telemetry-ingest\n");
        sb.Append("    rules:\n");
        foreach (var r in Rules(settings))
        {
            sb.Append($"      - alert: {r.Alert}\n");
            sb.Append("        expr: |-\n");
            sb.Append($"          {r.Expr}\n");
            sb.Append($"        for: {r.For}\n");
            sb.Append("        labels:\n");
            sb.Append($"          severity: {r.Severity}\n");
            sb.Append("        annotations:\n");
            sb.Append($"          summary: {Quote(r.Summary)}\n");
            sb.Append($"          description: {Quote(r.Description)}\n");
        }

        return sb.ToString();
    }

    /// <summary>A double-quoted YAML scalar.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
