using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Telemetry.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the telemetry client's health check.</summary>
public static class TelemetryHealthCheckBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="TelemetryHealthCheck"/> over the <c>AddTelemetry</c> pipeline as <paramref name="name"/>, with
    /// <see cref="TelemetryHealthOptions"/> defaults changed by <paramref name="configure"/>; with
    /// <see cref="TelemetryHealthOptions.ReportEvents"/> also a hosted service that tracks <c>client.health</c> events.
    /// </summary>
    /// <exception cref="ArgumentException">The configured thresholds are invalid.</exception>
    public static IHealthChecksBuilder AddTelemetryHealthCheck(
        this IHealthChecksBuilder builder,
        string name = "telemetry",
        Action<TelemetryHealthOptions>? configure = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new TelemetryHealthOptions();
        configure?.Invoke(options);
        var failures = options.Validate();
        if (failures.Count > 0) throw new ArgumentException("Invalid telemetry health options: " + string.Join(" ", failures), nameof(configure));

        builder.Add(new HealthCheckRegistration(name, sp => new TelemetryHealthCheck(sp.GetRequiredService<TelemetryPipeline>(), options), failureStatus, tags));
        if (options.ReportEvents)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TelemetryHealthReporter>(
                sp => new TelemetryHealthReporter(sp.GetRequiredService<TelemetryPipeline>(), options, sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        }

        return builder;
    }
}
