using System;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Telemetry.Ingest.Operations;

/// <summary>
/// The OpenTelemetry meter provider behind <c>/metrics</c>: listens to the <c>Telemetry.Ingest</c> meter only and
/// exports it through the Prometheus exporter. Kept separate from any provider the host builds for its own telemetry.
/// </summary>
internal sealed class IngestMeterProvider : IDisposable
{
    private static readonly double[] DurationBuckets = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

    public IngestMeterProvider()
    {
        Provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(IngestMetrics.MeterName)
            .AddView("telemetry_ingest_request_duration", new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build()!;
    }

    public MeterProvider Provider { get; }

    public void Dispose() => Provider.Dispose();
}
