using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// Sends batches to our own ingest endpoint: <c>POST {BaseUrl}{Path}</c> with body
/// <c>{"events":[...]}</c> holding our wire objects verbatim (renamed only if a mapping is set).
/// </summary>
/// <remarks>
/// <para>Headers: <c>Authorization: Bearer &lt;write key&gt;</c>, <c>Content-Type: application/json</c>, and
/// <c>Content-Encoding: gzip</c> when <see cref="IngestSinkOptions.Gzip"/> is set.</para>
/// <para>Answers: 200/202 with <c>{"accepted":N,"rejected":[{"event_id","index","path","reason","detail"}]}</c>
/// → delivered, the listed events rejected with their reasons; 400, 401, 403, 415 and other 4xx → rejected (the body,
/// an RFC 9457 problem document, goes to <see cref="SinkResult.Detail"/>); 413 → too large (split);
/// 408, 429, 503 and other 5xx → retry later, after <c>Retry-After</c> when sent. Any answer's
/// <c>X-AGG-WINDOW-OVERRIDE</c> header (milliseconds) becomes <see cref="SinkResult.AggregationWindowOverride"/>.</para>
/// </remarks>
public sealed class IngestSink : HttpTelemetrySink
{
    /// <summary>The response header with which the server overrides the aggregation window (milliseconds).</summary>
    public const string AggregationWindowOverrideHeader = "X-AGG-WINDOW-OVERRIDE";

    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly bool _gzip;
    private readonly int _maxRequestBytes;
    private readonly int _maxEventBytes;
    private readonly string _limitText;

    /// <summary>Creates the sink. The <see cref="HttpClient"/> is shared and not disposed by the sink.</summary>
    /// <param name="httpClient">The client to send with (e.g. from <c>IHttpClientFactory</c>).</param>
    /// <param name="options">Address, write key and mapping; validated here and copied (later changes have no effect).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public IngestSink(HttpClient httpClient, IngestSinkOptions options)
        : base(httpClient, options)
    {
        _endpoint = SinkHttp.Combine(options.BaseUrl!, options.Path);
        _authorization = new AuthenticationHeaderValue("Bearer", options.WriteKey);
        _gzip = options.Gzip;
        _maxRequestBytes = options.MaxRequestBytes;
        _maxEventBytes = options.MaxEventBytes;
        _limitText = "the configured " + MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override string Name => "ingest";

    /// <summary>The address batches are posted to.</summary>
    public Uri Endpoint => _endpoint;

    /// <inheritdoc/>
    private protected override int RequestEventLimit => MaxBatchSize;

    /// <inheritdoc/>
    private protected override string RequestEventLimitText => _limitText;

    /// <inheritdoc/>
    private protected override int MaxPreparedEventBytes => _maxEventBytes;

    /// <inheritdoc/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private protected override async ValueTask<SinkResult> SendPreparedAsync(PreparedBatch prepared, CancellationToken cancellationToken)
    {
        var rejected = prepared.Rejected;
        var events = prepared.Events;

        var body = PreparedBatch.Body(PreparedBatch.SizeOf(events) + 16, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            PreparedBatch.WriteEvents(writer, events);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        if (body.Length > _maxRequestBytes)
        {
            return SinkHttp.TooLarge(events, rejected, $"request of {body.Length} bytes exceeds the {_maxRequestBytes}-byte limit");
        }

        var exchange = await SinkHttp.PostJsonAsync(Http, _endpoint, body, _gzip, _authorization, Timeout, cancellationToken).ConfigureAwait(false);
        var detail = exchange.Describe();
        if (exchange.Failure is not null) return SinkHttp.Result(SinkOutcome.RetryLater, rejected, detail);
        var window = SinkHttp.MillisecondsHeader(exchange.Headers, AggregationWindowOverrideHeader);
        var retryAfter = SinkHttp.RetryAfter(exchange.Headers, Time);
        switch (exchange.StatusCode)
        {
            case >= 200 and < 300:
                AddRejectedEvents(exchange.Body, events, rejected);
                return SinkHttp.Result(SinkOutcome.Delivered, rejected, rejected.Count == 0 ? null : detail, aggregationWindowOverride: window);
            case 413:
                return SinkHttp.TooLarge(events, rejected, detail, window);
            default:
                return SinkHttp.Result(SinkHttp.DefaultOutcome(exchange.StatusCode), rejected, detail, retryAfter, window, exchange.StatusCode);
        }
    }

    /// <summary>
    /// Adds the events the server's per-event results list as rejected. Entries name the event by
    /// <c>event_id</c>, else by <c>index</c> in the request; several entries for one event are joined.
    /// </summary>
    private static void AddRejectedEvents(byte[] body, List<PreparedEvent> events, List<RejectedEvent> rejected)
    {
        if (body.Length == 0) return;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("rejected", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var sent = new HashSet<Guid>();
            foreach (var e in events) sent.Add(e.Source.EventId);
            var reasons = new Dictionary<Guid, List<string>>();
            var order = new List<Guid>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                Guid id;
                if (Text(item, "event_id") is { } text && Guid.TryParse(text, out var parsed) && sent.Contains(parsed)) id = parsed;
                else if (item.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number
                    && index.TryGetInt32(out var i) && i >= 0 && i < events.Count) id = events[i].Source.EventId;
                else continue;

                var reason = Text(item, "reason") ?? "rejected by the ingest server";
                var path = Text(item, "path");
                var detail = Text(item, "detail");
                var line = string.IsNullOrEmpty(path) ? reason : $"{path}: {reason}";
                if (!string.IsNullOrEmpty(detail) && detail != reason) line += $" ({detail})";
                if (!reasons.TryGetValue(id, out var lines))
                {
                    reasons[id] = lines = new List<string>();
                    order.Add(id);
                }

                lines.Add(line);
            }

            foreach (var id in order) rejected.Add(new RejectedEvent(id, string.Join("; ", reasons[id])));
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <inheritdoc/>
    private protected override string? WriteEvent(WireEvent wire, string eventName, Utf8JsonWriter writer, out string? userId, out string? deviceId)
    {
        userId = wire.Source.UserId;
        deviceId = wire.Source.AnonymousId;
        if (Mapping.IsIdentity) writer.WriteRawValue(wire.Source.Json.Span, skipInputValidation: true);
        else wire.WriteMappedWireObject(writer, Mapping, eventName);
        return null;
    }
}
