using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>The HTTP plumbing the provider sinks share: send with a deadline, never throw, read retry hints.</summary>
internal static class SinkHttp
{
    /// <summary>Most response bytes read; providers' answers are small, a hostile one is not read further.</summary>
    private const int MaxResponseBytes = 1 << 20;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>
    /// The pipeline's record of the current sink call, set by the dispatcher around <see cref="ITelemetrySink.SendAsync"/>
    /// (it flows into the sink's awaits): every request sent here notes whether its events may have reached the
    /// provider without a usable answer (timeout, reset, 5xx), which makes their next send a counted resend.
    /// </summary>
    public static readonly System.Threading.AsyncLocal<SendAttempt?> Attempt = new();

    /// <summary>A JSON body, gzip-compressed when asked (limits stay on the uncompressed size).</summary>
    public static HttpContent JsonContent(ReadOnlyMemory<byte> body, bool gzip)
    {
        HttpContent content;
        if (gzip)
        {
            using var compressed = new MemoryStream(body.Length / 4 + 64);
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(body.Span);
            }

            content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ReadOnlyMemoryContent(body);
        }

        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>POSTs a JSON body (gzipped when asked) with an optional Authorization header; see <see cref="SendAsync"/>.</summary>
    public static ValueTask<HttpExchange> PostJsonAsync(
        HttpClient client, Uri endpoint, ReadOnlyMemory<byte> body, bool gzip, AuthenticationHeaderValue? authorization, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent(body, gzip) };
        if (authorization is not null) request.Headers.Authorization = authorization;
        return SendAsync(client, request, timeout, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="request"/> (and disposes it). Network errors and timeouts become a failed
    /// exchange; only cancellation of <paramref name="cancellationToken"/> by the caller throws.
    /// </summary>
    public static async ValueTask<HttpExchange> SendAsync(HttpClient client, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500) Attempt.Value?.Uncertain(ResendReason.ServerError);
            var body = await ReadBoundedAsync(response.Content, deadline.Token).ConfigureAwait(false);
            return new HttpExchange((int)response.StatusCode, response.ReasonPhrase ?? string.Empty, response.Headers, body, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our deadline or HttpClient.Timeout, not the caller: a transient failure.
            Attempt.Value?.Uncertain(ResendReason.Timeout);
            return HttpExchange.Failed($"timeout: no complete answer from {Where(request)} within {Describe(timeout, client.Timeout)}");
        }
        catch (HttpRequestException ex)
        {
            // No connection (refused, unknown host): nothing was sent. Anything else may have sent the request.
            if (ex.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError))
            {
                Attempt.Value?.Uncertain(ResendReason.Reset);
            }

            return HttpExchange.Failed($"network error calling {Where(request)}: {ex.Message}");
        }
        catch (IOException ex)
        {
            Attempt.Value?.Uncertain(ResendReason.Reset);
            return HttpExchange.Failed($"network error reading the answer from {Where(request)}: {ex.Message}");
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>The outcome for a status code no provider-specific rule covered.</summary>
    public static SinkOutcome DefaultOutcome(int statusCode) => statusCode switch
    {
        >= 200 and < 300 => SinkOutcome.Delivered,
        408 or 429 => SinkOutcome.RetryLater,
        413 => SinkOutcome.TooLarge,
        >= 500 => SinkOutcome.RetryLater,
        _ => SinkOutcome.Rejected,
    };

    /// <summary>The <c>Retry-After</c> delay (delta seconds or HTTP date), never negative.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders? headers, TimeProvider time)
    {
        var value = headers?.RetryAfter;
        if (value is null) return null;
        if (value.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (value.Date is { } date) return NonNegative(date - time.GetUtcNow());
        return null;
    }

    /// <summary>
    /// An <c>X-RateLimit-Reset</c>-style header as a delay: seconds to wait, Unix seconds or milliseconds,
    /// or an RFC 5322 date (providers disagree on the form; each is recognised).
    /// </summary>
    public static TimeSpan? ResetHeader(HttpResponseHeaders? headers, string name, TimeProvider time)
    {
        var text = First(headers, name);
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            var now = time.GetUtcNow();
            if (number >= 1e12) return NonNegative(DateTimeOffset.FromUnixTimeMilliseconds((long)number) - now);
            if (number >= 1e9) return NonNegative(DateTimeOffset.FromUnixTimeSeconds((long)number) - now);
            return TimeSpan.FromSeconds(number);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? NonNegative(date - time.GetUtcNow())
            : null;
    }

    /// <summary>A header holding a whole number of milliseconds, as a duration.</summary>
    public static TimeSpan? MillisecondsHeader(HttpResponseHeaders? headers, string name)
    {
        var text = First(headers, name);
        return text is not null && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0
            ? TimeSpan.FromMilliseconds(ms)
            : null;
    }

    /// <summary>Builds a result; an empty rejection list becomes null.</summary>
    public static SinkResult Result(SinkOutcome outcome, List<RejectedEvent> rejected, string? detail, TimeSpan? retryAfter = null, TimeSpan? aggregationWindowOverride = null, int? statusCode = null) =>
        new(outcome, retryAfter, rejected.Count == 0 ? null : rejected.ToArray(), detail, aggregationWindowOverride, statusCode);

    /// <summary>
    /// "Request too large": split (<see cref="SinkOutcome.TooLarge"/>) when it carried several events; a
    /// single event that is too large on its own can never be sent, so it is rejected instead.
    /// </summary>
    public static SinkResult TooLarge(IReadOnlyList<PreparedEvent> sent, List<RejectedEvent> rejected, string detail, TimeSpan? aggregationWindowOverride = null)
    {
        if (sent.Count == 1)
        {
            rejected.Add(new RejectedEvent(sent[0].Source.EventId, "too large for the provider even on its own: " + detail));
            return Result(SinkOutcome.Delivered, rejected, detail, aggregationWindowOverride: aggregationWindowOverride);
        }

        return Result(SinkOutcome.TooLarge, rejected, detail, aggregationWindowOverride: aggregationWindowOverride);
    }

    /// <summary>Adds the Basic credentials <c>base64(user:password)</c>.</summary>
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password)));

    /// <summary>Joins a configured host or base address with a path, keeping any path prefix of the base.</summary>
    public static Uri Combine(Uri baseAddress, string path, string? query = null)
    {
        var left = baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var right = path.StartsWith('/') ? path : "/" + path;
        return new Uri(left + right + (string.IsNullOrEmpty(query) ? string.Empty : "?" + query), UriKind.Absolute);
    }

    private static async ValueTask<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while (copy.Length < MaxResponseBytes && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, MaxResponseBytes - copy.Length)), cancellationToken).ConfigureAwait(false)) > 0)
            {
                copy.Write(chunk, 0, read);
            }

            return copy.ToArray();
        }
    }

    private static string? First(HttpResponseHeaders? headers, string name)
    {
        if (headers is null || !headers.TryGetValues(name, out var values)) return null;
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
        }

        return null;
    }

    private static TimeSpan NonNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;

    private static string Where(HttpRequestMessage request) => request.RequestUri?.GetLeftPart(UriPartial.Path) ?? "(no address)";

    private static string Describe(TimeSpan timeout, TimeSpan clientTimeout)
    {
        var effective = timeout == Timeout.InfiniteTimeSpan || (clientTimeout != Timeout.InfiniteTimeSpan && clientTimeout < timeout) ? clientTimeout : timeout;
        return effective == Timeout.InfiniteTimeSpan ? "the caller's limit" : effective.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }
}

/// <summary>What one sink call's requests left uncertain: the first reason its events may have reached the provider unanswered.</summary>
internal sealed class SendAttempt
{
    /// <summary>Null when every request got a usable answer or never left (refused connection).</summary>
    public ResendReason? Reason { get; private set; }

    /// <summary>Records an uncertain request (the first reason wins).</summary>
    public void Uncertain(ResendReason reason) => Reason ??= reason;
}
