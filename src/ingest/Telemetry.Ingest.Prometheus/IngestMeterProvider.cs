using System;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Telemetry.Ingest.Operations;

namespace Telemetry.Ingest.Prometheus;

/// <summary>
/// The OpenTelemetry meter provider behind <c>/metrics</c>: listens to the <c>Telemetry.Ingest</c> meter only and
/// exports it through the Prometheus exporter. Kept separate from any provider the host builds for its own telemetry.
/// Its resource names the service after the host (<see cref="IHostEnvironment.ApplicationName"/>), unless
/// <c>OTEL_SERVICE_NAME</c> or <c>OTEL_RESOURCE_ATTRIBUTES</c> say otherwise.
/// </summary>
internal sealed class IngestMeterProvider : IIngestMetricsExporter, IDisposable
{
    private static readonly double[] DurationBuckets = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

    public IngestMeterProvider(IHostEnvironment? environment = null)
    {
        var serviceName = string.IsNullOrWhiteSpace(environment?.ApplicationName) ? "telemetry-ingest" : environment!.ApplicationName;
        Provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty()
                .AddService(serviceName, serviceVersion: typeof(IngestMetrics).Assembly.GetName().Version?.ToString())
                .AddTelemetrySdk()
                .AddEnvironmentVariableDetector())
            .AddMeter(IngestMetrics.MeterName)
            .AddView(IngestMetrics.Instruments.RequestDuration, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build()!;
    }

    public MeterProvider Provider { get; }

    public void Dispose() => Provider.Dispose();
}
