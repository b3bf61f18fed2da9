using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// Sends batches to Mixpanel's Ingestion API (<c>POST {host}/import?strict=1</c>, plus <c>&amp;project_id=</c>
/// with a service account).
/// </summary>
/// <remarks>
/// <para>Wire format: a JSON array of <c>{"event","properties":{"time"(ms),"distinct_id","$insert_id",...}}</c>.
/// <c>distinct_id</c> is the user id, else the anonymous id, else <c>""</c> (a non-user event); <c>$user_id</c>
/// and <c>$device_id</c> are added when known (simplified ID merge). <c>$insert_id</c> is our event id without
/// dashes (32 hex characters), so resent events deduplicate. Properties are the event's own plus
/// <c>session_id</c>, <c>sampling_rate</c>, <c>schema_version</c> and <c>client_version</c>.</para>
/// <para>Limits enforced before sending: under 1 MB per event (larger ones are rejected), 2,000 events and
/// <see cref="MixpanelSinkOptions.MaxRequestBytes"/> per request (<see cref="SinkOutcome.TooLarge"/>: split).</para>
/// <para>Answers: 200 → delivered. 400 with <c>failed_records</c> → delivered, the listed events rejected:
/// Mixpanel already imported the rest, so nothing is resent. Other 400 → rejected (Mixpanel: never retry a 400).
/// 401/403 → rejected (credentials). 413 → too large. 429 → retry later (Mixpanel sends no <c>Retry-After</c>:
/// the pipeline's backoff applies). 5xx, timeouts and network errors → retry later.</para>
/// </remarks>
public sealed class MixpanelSink : HttpTelemetrySink
{
    /// <summary>Mixpanel's limit of events per request.</summary>
    public const int MaxEventsPerRequest = 2000;

    /// <summary>Mixpanel's per-event limit ("smaller than 1 MB of uncompressed JSON").</summary>
    public const int MaxEventBytes = 1_000_000 - 1;

    private static readonly string[] CarriedEnvelope = { "session_id", "sampling_rate", "schema_version", "client_version" };

    private static readonly string LimitText = "Mixpanel's " + MaxEventsPerRequest.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private readonly Uri _endpoint;
    private readonly System.Net.Http.Headers.AuthenticationHeaderValue _authorization;
    private readonly bool _gzip;
    private readonly int _maxRequestBytes;

    /// <summary>Creates the sink. The <see cref="HttpClient"/> is shared and not disposed by the sink.</summary>
    /// <param name="httpClient">The client to send with (e.g. from <c>IHttpClientFactory</c>).</param>
    /// <param name="options">Credentials, host and mapping; validated here and copied (later changes have no effect).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MixpanelSink(HttpClient httpClient, MixpanelSinkOptions options)
        : base(httpClient, options)
    {
        var query = options.Strict ? "strict=1" : "strict=0";
        if (!string.IsNullOrWhiteSpace(options.ProjectToken))
        {
            _authorization = SinkHttp.Basic(options.ProjectToken!, string.Empty);
        }
        else
        {
            _authorization = SinkHttp.Basic(options.ServiceAccountUsername!, options.ServiceAccountSecret!);
            query += "&project_id=" + Uri.EscapeDataString(options.ProjectId!);
        }

        _endpoint = SinkHttp.Combine(options.Host, "/import", query);
        _gzip = options.Gzip;
        _maxRequestBytes = options.MaxRequestBytes;
    }

    /// <inheritdoc/>
    public override string Name => "mixpanel";

    /// <summary>The address batches are posted to.</summary>
    public Uri Endpoint => _endpoint;

    /// <inheritdoc/>
    private protected override int RequestEventLimit => MaxEventsPerRequest;

    /// <inheritdoc/>
    private protected override string RequestEventLimitText => LimitText;

    /// <inheritdoc/>
    private protected override int MaxPreparedEventBytes => Math.Min(MaxEventBytes, _maxRequestBytes);

    /// <inheritdoc/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private protected override async ValueTask<SinkResult> SendPreparedAsync(PreparedBatch prepared, CancellationToken cancellationToken)
    {
        var rejected = prepared.Rejected;
        var events = prepared.Events;

        var body = PreparedBatch.Body(PreparedBatch.SizeOf(events) + 8, writer =>
        {
            writer.WriteStartArray();
            PreparedBatch.WriteEvents(writer, events);
            writer.WriteEndArray();
        });
        if (body.Length > _maxRequestBytes)
        {
            return SinkHttp.TooLarge(events, rejected, $"request of {body.Length} bytes exceeds the {_maxRequestBytes}-byte limit");
        }

        var exchange = await SinkHttp.PostJsonAsync(Http, _endpoint, body, _gzip, _authorization, Timeout, cancellationToken).ConfigureAwait(false);
        var detail = exchange.Describe();
        if (exchange.Failure is not null) return SinkHttp.Result(SinkOutcome.RetryLater, rejected, detail);
        var retryAfter = SinkHttp.RetryAfter(exchange.Headers, Time);
        switch (exchange.StatusCode)
        {
            case >= 200 and < 300:
                return SinkHttp.Result(SinkOutcome.Delivered, rejected, rejected.Count == 0 ? null : detail);
            case 400:
                // Partial success: the events not listed are already imported; resending would duplicate.
                return AddFailedRecords(exchange.Body, events, rejected)
                    ? SinkHttp.Result(SinkOutcome.Delivered, rejected, detail)
                    : SinkHttp.Result(SinkOutcome.Rejected, rejected, detail);
            case 413:
                return SinkHttp.TooLarge(events, rejected, detail);
            default:
                return SinkHttp.Result(SinkHttp.DefaultOutcome(exchange.StatusCode), rejected, detail, retryAfter, statusCode: exchange.StatusCode);
        }
    }

    /// <summary>
    /// Adds the events a strict-mode 400 lists in <c>failed_records</c> (by <c>index</c>, else by
    /// <c>$insert_id</c>) to <paramref name="rejected"/>. False when the answer has no such list.
    /// </summary>
    private static bool AddFailedRecords(byte[] body, List<PreparedEvent> events, List<RejectedEvent> rejected)
    {
        if (body.Length == 0) return false;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("failed_records", out var records)
                || records.ValueKind != JsonValueKind.Array
                || records.GetArrayLength() == 0)
            {
                return false;
            }

            var seen = new HashSet<Guid>();
            foreach (var record in records.EnumerateArray())
            {
                if (record.ValueKind != JsonValueKind.Object) continue;
                var match = Find(record, events);
                if (match is not { } e || !seen.Add(e.Source.EventId)) continue;
                var field = Text(record, "field");
                var message = Text(record, "message") ?? "failed validation";
                rejected.Add(new RejectedEvent(e.Source.EventId, "Mixpanel: " + (field is null ? message : field + ": " + message)));
            }

            return true;
        }
    }

    private static PreparedEvent? Find(JsonElement record, List<PreparedEvent> events)
    {
        if (record.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number
            && index.TryGetInt32(out var i) && i >= 0 && i < events.Count)
        {
            return events[i];
        }

        var insertId = Text(record, "$insert_id") ?? Text(record, "insert_id");
        if (insertId is not null && Guid.TryParse(insertId, out var id))
        {
            foreach (var e in events)
            {
                if (e.Source.EventId == id) return e;
            }
        }

        return null;
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <inheritdoc/>
    private protected override string? WriteEvent(WireEvent wire, string eventName, Utf8JsonWriter writer, out string? userId, out string? deviceId)
    {
        var source = wire.Source;
        userId = string.IsNullOrEmpty(source.UserId) ? null : source.UserId;
        deviceId = string.IsNullOrEmpty(source.AnonymousId) ? null : source.AnonymousId;
        writer.WriteStartObject();
        writer.WriteString("event", eventName);
        writer.WriteStartObject("properties");
        writer.WriteNumber("time", source.Timestamp.ToUnixTimeMilliseconds());
        writer.WriteString("distinct_id", userId ?? deviceId ?? string.Empty);
        Span<char> insertId = stackalloc char[32];
        source.EventId.TryFormat(insertId, out _, "N");
        writer.WriteString("$insert_id", insertId);
        if (userId is not null) writer.WriteString("$user_id", userId);
        if (deviceId is not null) writer.WriteString("$device_id", deviceId);
        wire.WriteProperties(writer, Mapping, CarriedEnvelope);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }
}
