namespace Telemetry.Ingest.Operations;

/// <summary>
/// An exporter of the <c>Telemetry.Ingest</c> meter that has to listen before the instruments publish their initial
/// zeros (so <c>rate()</c> and <c>absent()</c> work before the first event). Every registered one is resolved just
/// before <see cref="IngestMetrics"/> is created. The Telemetry.Ingest.Prometheus package registers one; a host's own
/// OpenTelemetry meter provider (<c>AddMeter(IngestMetrics.MeterName)</c>) needs none.
/// </summary>
public interface IIngestMetricsExporter
{
}
