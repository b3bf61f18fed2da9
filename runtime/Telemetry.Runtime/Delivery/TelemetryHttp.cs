using System;
using System.Net;
using System.Net.Http;
using System.Threading;

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
}
