using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Prometheus;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Registers the ingest server's Prometheus exporter; pair with <c>app.MapTelemetryIngestMetrics()</c>.</summary>
    public static class TelemetryIngestPrometheusServiceCollectionExtensions
    {
        /// <summary>
        /// Adds an OpenTelemetry meter provider that listens to the <c>Telemetry.Ingest</c> meter and exports it in the
        /// Prometheus text format. It starts before the ingest instruments publish their initial zeros, so every series
        /// is present from the first scrape. Call it with or after <c>services.AddTelemetryIngest(...)</c>, in any order.
        /// </summary>
        public static IServiceCollection AddTelemetryIngestPrometheus(this IServiceCollection services)
        {
            services.TryAddSingleton<IngestMeterProvider>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IIngestMetricsExporter, IngestMeterProvider>(sp => sp.GetRequiredService<IngestMeterProvider>()));
            return services;
        }
    }
}

namespace Microsoft.AspNetCore.Builder
{
    /// <summary>Maps the ingest server's Prometheus scraping endpoint.</summary>
    public static class TelemetryIngestPrometheusEndpointRouteBuilderExtensions
    {
        /// <summary>
        /// Maps <paramref name="pattern"/> (default <c>/metrics</c>) to the Prometheus text export of the ingest server's
        /// instruments. Requires <c>services.AddTelemetryIngestPrometheus()</c>. The returned builder takes the usual endpoint
        /// conventions (<c>RequireHost</c>, <c>RequireAuthorization</c>) to keep the endpoint off the public port.
        /// </summary>
        public static IEndpointConventionBuilder MapTelemetryIngestMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
        {
            var provider = endpoints.ServiceProvider.GetService<IngestMeterProvider>() ?? throw new System.InvalidOperationException(
                "MapTelemetryIngestMetrics needs services.AddTelemetryIngestPrometheus().");
            return endpoints.MapPrometheusScrapingEndpoint(pattern, provider.Provider, null, null);
        }
    }
}
