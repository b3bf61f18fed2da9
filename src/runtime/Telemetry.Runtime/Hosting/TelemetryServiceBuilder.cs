using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Telemetry.Runtime;

/// <summary>Returned by <c>AddTelemetry</c>: chooses the sink (and optionally the queue and consent store).</summary>
public sealed class TelemetryServiceBuilder
{
    internal TelemetryServiceBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Uses <typeparamref name="TSink"/> as the sink, created by the container with the shared
    /// <see cref="TelemetryHttp.ClientName"/> HttpClient injected (a typed client of IHttpClientFactory).
    /// </summary>
    public TelemetryServiceBuilder AddSink<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSink>()
        where TSink : class, ITelemetrySink
    {
        Services.RemoveAll<ITelemetrySink>();
        Services.AddHttpClient<ITelemetrySink, TSink>(TelemetryHttp.ClientName);
        return this;
    }

    /// <summary>Uses the sink <paramref name="factory"/> makes; it gets the shared <see cref="TelemetryHttp.ClientName"/> HttpClient.</summary>
    public TelemetryServiceBuilder AddSink(Func<IServiceProvider, HttpClient, ITelemetrySink> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<ITelemetrySink>();
        Services.AddSingleton(sp => factory(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(TelemetryHttp.ClientName)));
        return this;
    }

    /// <summary>Uses <paramref name="sink"/>.</summary>
    public TelemetryServiceBuilder AddSink(ITelemetrySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Services.RemoveAll<ITelemetrySink>();
        Services.AddSingleton(sink);
        return this;
    }

    /// <summary>Uses <paramref name="queue"/> instead of the SQLite queue in the per-user folder.</summary>
    public TelemetryServiceBuilder UseQueue(IOfflineQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Services.Replace(ServiceDescriptor.Singleton(queue));
        return this;
    }

    /// <summary>Keeps consent in <paramref name="store"/> instead of <c>consent.json</c> in the per-user folder.</summary>
    public TelemetryServiceBuilder UseConsentStore(IConsentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        return this;
    }
}
