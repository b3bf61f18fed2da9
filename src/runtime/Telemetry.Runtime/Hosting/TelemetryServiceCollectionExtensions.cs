using System;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telemetry.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the telemetry pipeline with a host.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the pipeline as the app's <see cref="ITelemetryClient"/> (a singleton), its options
    /// (validated at host start), the shared <see cref="TelemetryHttp.ClientName"/> HttpClient and a
    /// hosted service that starts it and shuts it down in order. Choose the sink on the returned
    /// builder, or register an <see cref="ITelemetrySink"/> yourself.
    /// </summary>
    public static TelemetryServiceBuilder AddTelemetry(this IServiceCollection services, Action<TelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TelemetryOptions>();
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());

        // One HttpClient configuration for every sink; the pooled handler lives as long as the app
        // (the pipeline is a singleton) and recycles its connections itself.
        services.AddHttpClient(TelemetryHttp.ClientName).ConfigureTelemetryClient();

        services.TryAddSingleton(sp =>
        {
            var resolved = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var sink = sp.GetService<ITelemetrySink>()
                ?? throw new InvalidOperationException("AddTelemetry needs a sink: call AddSink<TSink>() on its result or register an ITelemetrySink.");
            var pipeline = TelemetryPipelineBuilder.Create(
                resolved,
                sink,
                sp.GetService<IOfflineQueue>(),
                sp.GetService<IConsentStore>(),
                sp.GetService<IPersonalDataProtector>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
                jitter: null,
                runLoops: true,
                sp.GetService<InstallKeySource>()?.Key);
            sp.GetRequiredService<TelemetryBreadcrumbLoggerProvider>().Attach(pipeline.Errors);
            return pipeline;
        });
        services.TryAddSingleton<TelemetryBreadcrumbLoggerProvider>(_ => new TelemetryBreadcrumbLoggerProvider());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, TelemetryBreadcrumbLoggerProvider>(sp => sp.GetRequiredService<TelemetryBreadcrumbLoggerProvider>()));
        services.TryAddSingleton<ITelemetryClient>(sp => sp.GetRequiredService<TelemetryPipeline>());
        services.AddHostedService<TelemetryHostedService>();
        return new TelemetryServiceBuilder(services);
    }
}
