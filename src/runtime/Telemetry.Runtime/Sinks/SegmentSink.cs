using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// Sends batches to Segment's HTTP Tracking API (<c>POST {host}/v1/batch</c>) as <c>track</c> calls.
/// </summary>
/// <remarks>
/// <para>Wire format: <c>{"batch":[{"type":"track","event","properties","userId"/"anonymousId","messageId","timestamp","context":{"library","app"}}],"sentAt"}</c>,
/// HTTP Basic <c>base64(writeKey + ":")</c>. <c>messageId</c> is our event id, so Segment deduplicates
/// retried events (about 24 hours, best effort). Properties are the event's own plus <c>session_id</c>,
/// <c>sampling_rate</c> and <c>schema_version</c>; <c>client_version</c> goes to <c>context.app.version</c>.</para>
/// <para>Limits enforced before sending: 32,000 bytes per event (larger events are rejected with a reason),
/// 500,000 bytes and 2,500 events per request (<see cref="SinkOutcome.TooLarge"/>: split).</para>
/// <para>Answers: 2xx → delivered (Segment answers 200 to nearly everything; per-event problems show only in
/// its debugger); 400 → rejected (malformed), or too large when the answer says the size was the problem;
/// 401/403 → rejected; 413 → too large; 429 → retry after <c>Retry-After</c> or <c>X-RateLimit-Reset</c>;
/// 408, 5xx, timeouts and network errors → retry later.</para>
/// </remarks>
public sealed class SegmentSink : HttpTelemetrySink
{
    /// <summary>Segment's limit of events per batch request.</summary>
    public const int MaxEventsPerRequest = 2500;

    /// <summary>Segment's limit per batch request (500 KB, counted conservatively as 500,000 bytes).</summary>
    public const int MaxRequestBytes = 500_000;

    /// <summary>Segment's limit per event inside a batch (32 KB, counted conservatively as 32,000 bytes).</summary>
    public const int MaxEventBytes = 32_000;

    private static readonly string[] CarriedEnvelope = { "session_id", "sampling_rate", "schema_version" };

    private static readonly string LimitText = "Segment's " + MaxEventsPerRequest.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private readonly Uri _endpoint;
    private readonly string _writeKey;
    private readonly string? _fallbackAnonymousId;

    /// <summary>Creates the sink. The <see cref="HttpClient"/> is shared and not disposed by the sink.</summary>
    /// <param name="httpClient">The client to send with (e.g. from <c>IHttpClientFactory</c>).</param>
    /// <param name="options">Write key, host and mapping; validated here and copied (later changes have no effect).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SegmentSink(HttpClient httpClient, SegmentSinkOptions options)
        : base(httpClient, options)
    {
        _endpoint = SinkHttp.Combine(options.Host, "/v1/batch");
        _writeKey = options.WriteKey;
        _fallbackAnonymousId = options.FallbackAnonymousId;
    }

    /// <inheritdoc/>
    public override string Name => "segment";

    /// <summary>The address batches are posted to.</summary>
    public Uri Endpoint => _endpoint;

    /// <inheritdoc/>
    private protected override int RequestEventLimit => MaxEventsPerRequest;

    /// <inheritdoc/>
    private protected override string RequestEventLimitText => LimitText;

    /// <inheritdoc/>
    private protected override int MaxPreparedEventBytes => MaxEventBytes;

    /// <inheritdoc/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private protected override async ValueTask<SinkResult> SendPreparedAsync(PreparedBatch prepared, CancellationToken cancellationToken)
    {
        var sentAt = WireEvent.Iso8601(Time.GetUtcNow());
        var body = PreparedBatch.Body(PreparedBatch.SizeOf(prepared.Events) + 64, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("batch");
            PreparedBatch.WriteEvents(writer, prepared.Events);
            writer.WriteEndArray();
            writer.WriteString("sentAt", sentAt);
            writer.WriteEndObject();
        });

        if (body.Length > MaxRequestBytes)
        {
            return SinkHttp.TooLarge(prepared.Events, prepared.Rejected, $"request of {body.Length} bytes exceeds Segment's {MaxRequestBytes}");
        }

        var exchange = await SinkHttp.PostJsonAsync(Http, _endpoint, body, gzip: false, SinkHttp.Basic(_writeKey, string.Empty), Timeout, cancellationToken).ConfigureAwait(false);
        return Map(exchange, prepared);
    }

    private SinkResult Map(HttpExchange exchange, PreparedBatch prepared)
    {
        var detail = exchange.Describe();
        if (exchange.Failure is not null) return SinkHttp.Result(SinkOutcome.RetryLater, prepared.Rejected, detail);
        var retryAfter = SinkHttp.RetryAfter(exchange.Headers, Time);
        switch (exchange.StatusCode)
        {
            case >= 200 and < 300:
                return SinkHttp.Result(SinkOutcome.Delivered, prepared.Rejected, prepared.Rejected.Count == 0 ? null : detail);
            case 400 when IsAboutSize(exchange.Body):
            case 413:
                return SinkHttp.TooLarge(prepared.Events, prepared.Rejected, detail);
            case 400:
                // Segment answers 400 only for invalid JSON or size: not retryable.
                return SinkHttp.Result(SinkOutcome.Rejected, prepared.Rejected, detail);
            case 429:
                retryAfter ??= SinkHttp.ResetHeader(exchange.Headers, "X-RateLimit-Reset", Time);
                return SinkHttp.Result(SinkOutcome.RetryLater, prepared.Rejected, detail, retryAfter);
            default:
                return SinkHttp.Result(SinkHttp.DefaultOutcome(exchange.StatusCode), prepared.Rejected, detail, retryAfter, statusCode: exchange.StatusCode);
        }
    }

    /// <summary>
    /// Segment's 400 covers both "invalid JSON" and "payload too large"; the text tells them apart.
    /// </summary>
    private static bool IsAboutSize(byte[] body)
    {
        if (body.Length == 0) return false;
        var text = Encoding.UTF8.GetString(body);
        return text.Contains("too large", StringComparison.OrdinalIgnoreCase)
            || text.Contains("size", StringComparison.OrdinalIgnoreCase)
            || text.Contains("exceed", StringComparison.OrdinalIgnoreCase)
            || text.Contains("limit", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    private protected override string? WriteEvent(WireEvent wire, string eventName, Utf8JsonWriter writer, out string? userId, out string? anonymousId)
    {
        var source = wire.Source;
        userId = string.IsNullOrEmpty(source.UserId) ? null : source.UserId;
        anonymousId = !string.IsNullOrEmpty(source.AnonymousId) ? source.AnonymousId
            : userId is null ? _fallbackAnonymousId ?? wire.SessionId : null;
        if (userId is null && string.IsNullOrEmpty(anonymousId))
        {
            return "no userId, anonymousId, FallbackAnonymousId or session_id (Segment requires userId or anonymousId)";
        }

        writer.WriteStartObject();
        writer.WriteString("type", "track");
        writer.WriteString("event", eventName);
        if (userId is not null) writer.WriteString("userId", userId);
        if (anonymousId is not null) writer.WriteString("anonymousId", anonymousId);
        writer.WriteString("messageId", source.EventId);
        WireEvent.WriteIso8601(writer, "timestamp", source.Timestamp);
        writer.WriteStartObject("properties");
        wire.WriteProperties(writer, Mapping, CarriedEnvelope);
        writer.WriteEndObject();
        writer.WriteStartObject("context");
        writer.WriteStartObject("library");
        writer.WriteString("name", SinkLibrary.Name);
        writer.WriteString("version", SinkLibrary.Version);
        writer.WriteEndObject();
        if (wire.ClientVersion is not null)
        {
            writer.WriteStartObject("app");
            writer.WriteString("version", wire.ClientVersion);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }
}
