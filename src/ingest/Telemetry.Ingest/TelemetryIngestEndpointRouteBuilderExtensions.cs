using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Telemetry.Ingest;
using Telemetry.Ingest.Admin;
using Telemetry.Ingest.Ingestion;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the ingest server's endpoints.</summary>
public static class TelemetryIngestEndpointRouteBuilderExtensions
{
    private const string RateLimiterAdded = "Telemetry.Ingest.RateLimiterAdded";

    /// <summary>
    /// Maps <c>POST /v1/batch</c>, <c>POST /api/analytics/agg</c>, the <c>/admin</c> endpoints, <c>/healthz</c> and <c>/readyz</c>.
    /// The instruments are on the <c>Telemetry.Ingest</c> meter (export them with OpenTelemetry, or map <c>/metrics</c> with the
    /// Telemetry.Ingest.Prometheus package's <c>MapTelemetryIngestMetrics()</c>). On a <see cref="WebApplication"/> it also adds the
    /// rate-limiting middleware and request logging by route template (no paths, so no user ids, in the logs); on other hosts call
    /// <c>app.UseCors()</c> (when <see cref="IngestOptions.Cors"/> lists origins) and <c>app.UseRateLimiter()</c> after <c>UseRouting()</c>. Requires <c>services.AddTelemetryIngest(...)</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapTelemetryIngest(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var handler = services.GetRequiredService<IngestHandler>();
        var options = services.GetRequiredService<IOptions<IngestOptions>>().Value;

        var batch = endpoints.MapPost("/v1/batch", handler.HandleBatchAsync).WithMetadata(IngestEndpointMarker.Instance).WithDisplayName("Telemetry ingest batch");
        var aggregate = endpoints.MapPost("/api/analytics/agg", handler.HandleAggregateAsync).WithMetadata(IngestEndpointMarker.Instance).WithDisplayName("Telemetry ingest aggregate");

        // Browser clients: only the ingest endpoints answer preflights, for the listed origins only (checked here, at start).
        var browsers = IngestCors.Origins(options.Cors).Count > 0;
        if (browsers)
        {
            batch.RequireCors(IngestCors.PolicyName);
            aggregate.RequireCors(IngestCors.PolicyName);
        }

        AdminEndpoints.Map(endpoints);

        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });

        if (endpoints is IApplicationBuilder app && !app.Properties.ContainsKey(RateLimiterAdded))
        {
            app.Properties[RateLimiterAdded] = true;
            app.Use(next => context => RequestLogging.InvokeAsync(context, next));

            // Preflights are answered before the rate limiter counts them.
            if (browsers) app.UseCors();
            app.UseRateLimiter();
        }

        return endpoints;
    }
}
