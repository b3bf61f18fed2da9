using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Telemetry.Runtime;

/// <summary>
/// The telemetry client's own health as a <c>Microsoft.Extensions.Diagnostics.HealthChecks</c> check: queue depth
/// against its bound, age of the oldest queued event, last successful delivery, consecutive failures and drops,
/// judged by <see cref="TelemetryHealthOptions"/>. Register it with <c>AddTelemetryHealthCheck()</c>.
/// </summary>
public sealed class TelemetryHealthCheck : IHealthCheck
{
    private readonly TelemetryPipeline _pipeline;
    private readonly TelemetryHealthEvaluator _evaluator;

    /// <summary>Creates the check over <paramref name="pipeline"/>.</summary>
    public TelemetryHealthCheck(TelemetryPipeline pipeline, TelemetryHealthOptions options)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _evaluator = new TelemetryHealthEvaluator(options);
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = _pipeline.Health;
        var (status, reasons) = _evaluator.Evaluate(snapshot);
        var data = new Dictionary<string, object>
        {
            ["queue_depth"] = snapshot.QueueDepth,
            ["queue_limit"] = snapshot.QueueLimit,
            ["queue_fill"] = Math.Round(snapshot.QueueFill, 4),
            ["oldest_event_age_s"] = snapshot.OldestEventAge is { } age ? (object)(long)age.TotalSeconds : "none",
            ["last_successful_delivery"] = snapshot.LastSuccessfulDelivery is { } last ? last.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "never",
            ["consecutive_failures"] = snapshot.ConsecutiveFailures,
            ["dropped"] = snapshot.Dropped,
        };
        var description = reasons.Count == 0 ? "Telemetry is delivering." : string.Join("; ", reasons);
        var result = status switch
        {
            TelemetryHealthStatus.Healthy => HealthCheckResult.Healthy(description, data),
            TelemetryHealthStatus.Degraded => HealthCheckResult.Degraded(description, data: data),
            _ => new HealthCheckResult(context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy, description, data: data),
        };
        return Task.FromResult(result);
    }
}
