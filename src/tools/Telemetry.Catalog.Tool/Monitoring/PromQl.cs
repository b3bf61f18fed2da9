using System.Globalization;

namespace Telemetry.Catalog.Tool.Monitoring;

/// <summary>The PromQL expressions the dashboard and the alert rules share, so a panel shows what an alert fires on.</summary>
internal static class PromQl
{
    public static string Rate(MetricName m, string window = "5m") => $"sum(rate({m.Prometheus}[{window}]))";

    public static string RateBy(MetricName m, string label, string window = "5m") => $"sum by ({label}) (rate({m.Prometheus}[{window}]))";

    public static string Quantile(MetricName histogram, double q, string window = "5m") =>
        $"histogram_quantile({q.ToString("0.##", CultureInfo.InvariantCulture)}, sum by (le) (rate({histogram.Prometheus}_bucket[{window}])))";

    /// <summary>Share of incoming events the ingest server dropped (0..1).</summary>
    public static string IngestDropRatio(string window) =>
        $"{Rate(MetricNames.IngestEventsDropped, window)} / {Rate(MetricNames.IngestEventsIncoming, window)}";

    /// <summary>Events sent again per event confirmed (0..): the share of possible duplicates.</summary>
    public static string ResendRatio(string window) =>
        $"{Rate(MetricNames.ClientEventsResent, window)} / {Rate(MetricNames.ClientEventsSent, window)}";

    /// <summary>Dollars a month at the current forwarding rate (averaged over <paramref name="window"/>).</summary>
    public static string ProjectedMonthlyCost(string window, string price) =>
        $"{Rate(MetricNames.IngestEventsForwarded, window)} * 86400 * 30 * {price}";

    /// <summary>Dollars for the events forwarded in the last day.</summary>
    public static string CostLastDay(string price) => $"sum(increase({MetricNames.IngestEventsForwarded.Prometheus}[1d])) * {price}";

    public static string Number(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
