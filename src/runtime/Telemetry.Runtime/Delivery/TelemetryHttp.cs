using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Telemetry.Runtime;

/// <summary>
/// The one HTTP client sinks share. With dependency injection it is the named client
/// <see cref="ClientName"/> from <c>IHttpClientFactory</c>; without it, <see cref="Shared"/>: a
/// single process-wide instance whose pooled connections are recycled every few minutes (DNS
/// changes are seen) instead of an HttpClient per sink or per pipeline (socket exhaustion).
/// </summary>
public static class TelemetryHttp
{
    /// <summary>Name of the client registered with IHttpClientFactory by <c>AddTelemetry</c>.</summary>
    public const string ClientName = "Telemetry.Runtime";

    // In a browser there are no sockets: HttpClientHandler is the browser's fetch there.
    private static readonly Lazy<HttpClient> s_shared = new(
        () => new HttpClient(OperatingSystem.IsBrowser() ? new HttpClientHandler() : CreateHandler(), disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan },
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The process-wide client for sinks built without dependency injection. Its timeout is infinite:
    /// the pipeline bounds every send with <see cref="TelemetryOptions.SendTimeout"/>.
    /// </summary>
    public static HttpClient Shared => s_shared.Value;

    /// <summary>The handler both paths use: pooled connections recycled every 5 minutes, 10-second connect timeout, gzip/deflate/brotli.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.All,
    };

    /// <summary>
    /// Configures an <c>IHttpClientFactory</c> client the way our sinks need it: the <see cref="CreateHandler"/> handler kept
    /// for the app's lifetime (it recycles its own connections, so DNS changes are seen), no client timeout (the pipeline
    /// bounds each send), no request logging (an Information line per batch, URLs with keys in them), and none of the
    /// app-wide handlers of <c>ConfigureHttpClientDefaults</c>: a resilience handler there (.NET Aspire's service defaults
    /// add <c>AddStandardResilienceHandler</c>) would retry underneath the pipeline's own retries, multiplying requests,
    /// and throw its own exceptions (timeouts, open circuits) out of sinks that promise never to throw. Retries, backoff,
    /// <c>Retry-After</c> and splitting stay the pipeline's.
    /// </summary>
    /// <param name="builder">The client's builder (from <c>services.AddHttpClient(name)</c>).</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder ConfigureTelemetryClient(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A browser has no sockets: there the default handler is the browser's fetch.
        if (!OperatingSystem.IsBrowser()) builder.ConfigurePrimaryHttpMessageHandler(CreateHandler);
        builder
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

        // After every other configuration of this client, app-wide defaults included (whatever order they were registered in).
        builder.Services.PostConfigure<HttpClientFactoryOptions>(builder.Name, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.AdditionalHandlers.Clear()));
        return builder;
    }
}
