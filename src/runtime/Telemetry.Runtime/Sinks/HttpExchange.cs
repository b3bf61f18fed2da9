using System;
using System.Net.Http.Headers;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>One request's answer as the sinks need it, or the network failure that stood in for it.</summary>
/// <param name="StatusCode">HTTP status, 0 when <paramref name="Failure"/> is set.</param>
/// <param name="ReasonPhrase">HTTP reason phrase.</param>
/// <param name="Headers">Response headers, null on failure.</param>
/// <param name="Body">Response body (bounded), empty on failure.</param>
/// <param name="Failure">What went wrong before an answer arrived (network error, timeout).</param>
internal sealed record HttpExchange(int StatusCode, string ReasonPhrase, HttpResponseHeaders? Headers, byte[] Body, string? Failure)
{
    private const int ExcerptBytes = 300;

    /// <summary>A failure before any answer.</summary>
    public static HttpExchange Failed(string failure) => new(0, string.Empty, null, Array.Empty<byte>(), failure);

    /// <summary>Status and the start of the body, for <see cref="SinkResult.Detail"/>.</summary>
    public string Describe()
    {
        if (Failure is not null) return Failure;
        var text = Body.Length == 0 ? string.Empty : ": " + Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, ExcerptBytes)).Replace('\n', ' ').Replace('\r', ' ');
        if (Body.Length > ExcerptBytes) text += "...";
        return $"HTTP {StatusCode} {ReasonPhrase}{text}";
    }
}
