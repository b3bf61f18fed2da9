using Telemetry.Ingest.Errors;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="TelemetryExceptionHandler"/>.</summary>
public static class TelemetryExceptionHandlerExtensions
{
    /// <summary>
    /// Adds <see cref="TelemetryExceptionHandler"/> to the exception handlers <c>app.UseExceptionHandler()</c> runs, so an
    /// exception no endpoint caught is captured as <c>error.captured</c> through the app's <c>ITelemetryClient</c>.
    /// Register it before other <c>IExceptionHandler</c>s: it never handles the exception itself.
    /// </summary>
    public static IServiceCollection AddTelemetryExceptionHandler(this IServiceCollection services)
    {
        System.ArgumentNullException.ThrowIfNull(services);
        services.AddExceptionHandler<TelemetryExceptionHandler>();
        return services;
    }
}
