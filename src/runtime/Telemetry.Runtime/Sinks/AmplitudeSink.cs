using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// Sends batches to Amplitude's HTTP V2 API (<c>POST {host}/2/httpapi</c>) or Batch Event Upload API
/// (<c>POST {host}/batch</c>).
/// </summary>
/// <remarks>
/// <para>Wire format: <c>{"api_key","events":[{"event_type","user_id"/"device_id","time"(ms),"insert_id","session_id","app_version","event_properties"}],"options":{"min_id_length"}}</c>.
/// <c>insert_id</c> is our event id (Amplitude ignores repeats for 7 days); <c>session_id</c> is the session
/// start in epoch milliseconds when our session id is a UUIDv7, else -1. Event properties are the event's
/// own plus <c>session_id</c> (our session UUID), <c>sampling_rate</c> and <c>schema_version</c>.</para>
/// <para>Ids are checked before sending against Amplitude's rules (length ≥ <c>min_id_length</c>, not a
/// placeholder such as <c>null</c> or <c>unknown</c>); events that break them are rejected with a reason.</para>
/// <para>Answers: 200 → delivered. 400 naming events (<c>events_with_invalid_fields</c>,
/// <c>events_with_missing_fields</c>, <c>events_with_invalid_id_lengths</c>, <c>silenced_events</c>): Amplitude
/// ingested nothing, and its guide says to drop the listed events and resend the rest, so the sink does
/// exactly that within the same call and reports the listed events as rejected; the result is what the
/// resend got (a further partial 400 repeats the step, each time with fewer events). 400 for an invalid API key or a missing field, or naming no event → rejected.
/// 413 → too large (split). 429 → retry after <c>Retry-After</c> or 30 s; events of users/devices over their
/// daily quota are rejected. 503 → retry (not committed). 500/502/504 → retry (may have been committed:
/// <c>insert_id</c> deduplicates the resend). Timeouts and network errors → retry later.</para>
/// </remarks>
public sealed class AmplitudeSink : HttpTelemetrySink
{
    /// <summary>Amplitude's limit of events per request (counted after decompression).</summary>
    public const int MaxEventsPerRequest = 2000;

    /// <summary>Amplitude's default shortest id.</summary>
    public const int DefaultMinIdLength = 5;

    private static readonly string[] CarriedEnvelope = { "session_id", "sampling_rate", "schema_version" };

    private static readonly HashSet<string> BlockedIds = new(StringComparer.OrdinalIgnoreCase)
    {
        "anonymous", "nil", "none", "null", "n/a", "na", "undefined", "unknown",
        "00000000-0000-0000-0000-000000000000", "{}", "lmy47d", "0", "-1",
    };

    private static readonly string LimitText = "Amplitude's " + MaxEventsPerRequest.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private readonly Uri _endpoint;
    private readonly string _apiKey;
    private readonly int? _minIdLengthOption;
    private readonly int _minIdLength;
    private readonly string? _fallbackDeviceId;
    private readonly int _maxRequestBytes;
    private readonly TimeSpan _throttleDelay;

    /// <summary>Creates the sink. The <see cref="HttpClient"/> is shared and not disposed by the sink.</summary>
    /// <param name="httpClient">The client to send with (e.g. from <c>IHttpClientFactory</c>).</param>
    /// <param name="options">API key, host and mapping; validated here and copied (later changes have no effect).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public AmplitudeSink(HttpClient httpClient, AmplitudeSinkOptions options)
        : base(httpClient, options)
    {
        _endpoint = SinkHttp.Combine(options.Host, options.UseBatchApi ? "/batch" : "/2/httpapi");
        _apiKey = options.ApiKey;
        _minIdLengthOption = options.MinIdLength;
        _minIdLength = options.MinIdLength ?? DefaultMinIdLength;
        _fallbackDeviceId = options.FallbackDeviceId;
        _maxRequestBytes = options.MaxRequestBytes ?? (options.UseBatchApi ? 20_000_000 : 1_000_000);
        _throttleDelay = options.ThrottleDelay;
    }

    /// <inheritdoc/>
    public override string Name => "amplitude";

    /// <summary>The address batches are posted to.</summary>
    public Uri Endpoint => _endpoint;

    /// <inheritdoc/>
    private protected override int RequestEventLimit => MaxEventsPerRequest;

    /// <inheritdoc/>
    private protected override string RequestEventLimitText => LimitText;

    /// <inheritdoc/>
    private protected override int MaxPreparedEventBytes => _maxRequestBytes;

    /// <inheritdoc/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private protected override async ValueTask<SinkResult> SendPreparedAsync(PreparedBatch prepared, CancellationToken cancellationToken)
    {
        var rejected = prepared.Rejected;
        List<PreparedEvent> pending = prepared.Events;

        // Each partial 400 removes at least one event, so this ends within batch.Count requests
        // (in practice Amplitude names every bad event at once: two requests).
        while (true)
        {
            var body = Body(pending);
            if (body.Length > _maxRequestBytes)
            {
                return SinkHttp.TooLarge(pending, rejected, $"request of {body.Length} bytes exceeds the {_maxRequestBytes}-byte limit");
            }

            var exchange = await SinkHttp.PostJsonAsync(Http, _endpoint, body, gzip: false, authorization: null, Timeout, cancellationToken).ConfigureAwait(false);
            var detail = exchange.Describe();
            if (exchange.Failure is not null) return SinkHttp.Result(SinkOutcome.RetryLater, rejected, detail);
            var retryAfter = SinkHttp.RetryAfter(exchange.Headers, Time);
            switch (exchange.StatusCode)
            {
                case >= 200 and < 300:
                    return SinkHttp.Result(SinkOutcome.Delivered, rejected, rejected.Count == 0 ? null : detail);
                case 400:
                    var remaining = DropNamedEvents(exchange.Body, pending, rejected);
                    if (remaining is null) return SinkHttp.Result(SinkOutcome.Rejected, rejected, detail);
                    if (remaining.Count == 0) return SinkHttp.Result(SinkOutcome.Delivered, rejected, detail);
                    pending = remaining;
                    continue;
                case 413:
                    return SinkHttp.TooLarge(pending, rejected, detail);
                case 429:
                    var throttled = DropOverQuota(exchange.Body, pending, rejected);
                    return throttled == 0
                        ? SinkHttp.Result(SinkOutcome.Delivered, rejected, detail)
                        : SinkHttp.Result(SinkOutcome.RetryLater, rejected, detail, retryAfter ?? _throttleDelay);
                case 503:
                    return SinkHttp.Result(SinkOutcome.RetryLater, rejected, detail + " (not committed; safe to resend)", retryAfter, statusCode: exchange.StatusCode);
                case 500 or 502 or 504:
                    return SinkHttp.Result(SinkOutcome.RetryLater, rejected, detail + " (may have been committed; insert_id deduplicates the resend)", retryAfter, statusCode: exchange.StatusCode);
                default:
                    return SinkHttp.Result(SinkHttp.DefaultOutcome(exchange.StatusCode), rejected, detail, retryAfter, statusCode: exchange.StatusCode);
            }
        }
    }

    private ReadOnlyMemory<byte> Body(IReadOnlyList<PreparedEvent> events) =>
        PreparedBatch.Body(PreparedBatch.SizeOf(events) + _apiKey.Length + 96, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("api_key", _apiKey);
            writer.WriteStartArray("events");
            PreparedBatch.WriteEvents(writer, events);
            writer.WriteEndArray();
            if (_minIdLengthOption is { } min)
            {
                writer.WriteStartObject("options");
                writer.WriteNumber("min_id_length", min);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        });

    /// <summary>
    /// Reads a 400 answer. Returns null when the whole request is bad (invalid API key, missing field,
    /// unreadable answer, or no event named); otherwise adds the named events to <paramref name="rejected"/>
    /// and returns the others, which Amplitude did not ingest and which can be resent at once.
    /// </summary>
    private static List<PreparedEvent>? DropNamedEvents(byte[] body, List<PreparedEvent> pending, List<RejectedEvent> rejected)
    {
        using var document = TryParse(body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object) return null;
        var root = document.RootElement;
        if (root.TryGetProperty("missing_field", out var missing) && missing.ValueKind == JsonValueKind.String && missing.GetString()!.Length > 0) return null;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
            && error.GetString()!.StartsWith("Invalid API key", StringComparison.OrdinalIgnoreCase)) return null;

        var reasons = new Dictionary<int, string>();
        CollectFieldIndexes(root, "events_with_invalid_fields", "invalid field", pending.Count, reasons);
        CollectFieldIndexes(root, "events_with_missing_fields", "missing field", pending.Count, reasons);
        CollectFieldIndexes(root, "events_with_invalid_id_lengths", "id too short:", pending.Count, reasons);
        if (root.TryGetProperty("silenced_events", out var silenced)) CollectIndexes(silenced, "silenced by Amplitude (spam protection)", pending.Count, reasons);
        if (reasons.Count == 0) return null;

        var remaining = new List<PreparedEvent>(pending.Count - reasons.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            if (reasons.TryGetValue(i, out var reason)) rejected.Add(new RejectedEvent(pending[i].Source.EventId, "Amplitude: " + reason));
            else remaining.Add(pending[i]);
        }

        return remaining;
    }

    /// <summary>
    /// Reads a 429 answer: events of users/devices over their daily quota are rejected (they would be
    /// refused until the quota resets). Returns how many events remain to retry.
    /// </summary>
    private static int DropOverQuota(byte[] body, List<PreparedEvent> pending, List<RejectedEvent> rejected)
    {
        using var document = TryParse(body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object) return pending.Count;
        var users = Keys(document.RootElement, "exceeded_daily_quota_users");
        var devices = Keys(document.RootElement, "exceeded_daily_quota_devices");
        if (users.Count == 0 && devices.Count == 0) return pending.Count;
        var remaining = 0;
        foreach (var e in pending)
        {
            if ((e.UserId is not null && users.Contains(e.UserId)) || (e.DeviceId is not null && devices.Contains(e.DeviceId)))
            {
                rejected.Add(new RejectedEvent(e.Source.EventId, "Amplitude: user or device exceeded its daily event quota"));
            }
            else
            {
                remaining++;
            }
        }

        return remaining;
    }

    private static void CollectFieldIndexes(JsonElement root, string property, string what, int count, Dictionary<int, string> reasons)
    {
        if (!root.TryGetProperty(property, out var map) || map.ValueKind != JsonValueKind.Object) return;
        foreach (var field in map.EnumerateObject()) CollectIndexes(field.Value, $"{what} '{field.Name}'", count, reasons);
    }

    private static void CollectIndexes(JsonElement indexes, string reason, int count, Dictionary<int, string> reasons)
    {
        if (indexes.ValueKind != JsonValueKind.Array) return;
        foreach (var item in indexes.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var index) && index >= 0 && index < count)
            {
                reasons.TryAdd(index, reason);
            }
        }
    }

    private static HashSet<string> Keys(JsonElement root, string property)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty(property, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in map.EnumerateObject()) keys.Add(entry.Name);
        }

        return keys;
    }

    private static JsonDocument? TryParse(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    private protected override string? WriteEvent(WireEvent wire, string eventName, Utf8JsonWriter writer, out string? userId, out string? deviceId)
    {
        var source = wire.Source;
        userId = string.IsNullOrEmpty(source.UserId) ? null : source.UserId;
        deviceId = !string.IsNullOrEmpty(source.AnonymousId) ? source.AnonymousId
            : userId is null ? _fallbackDeviceId ?? wire.SessionId : null;
        if (userId is null && string.IsNullOrEmpty(deviceId))
        {
            return "no user_id, anonymous id, FallbackDeviceId or session_id (Amplitude requires user_id or device_id)";
        }

        var problem = IdProblem("user_id", userId) ?? IdProblem("device_id", deviceId);
        if (problem is not null) return problem;

        writer.WriteStartObject();
        writer.WriteString("event_type", eventName);
        if (userId is not null) writer.WriteString("user_id", userId);
        if (deviceId is not null) writer.WriteString("device_id", deviceId);
        writer.WriteNumber("time", source.Timestamp.ToUnixTimeMilliseconds());
        writer.WriteString("insert_id", source.EventId);
        writer.WriteNumber("session_id", wire.SessionStartUnixMilliseconds() ?? -1);
        if (wire.ClientVersion is not null) writer.WriteString("app_version", wire.ClientVersion);
        writer.WriteStartObject("event_properties");
        wire.WriteProperties(writer, Mapping, CarriedEnvelope);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private string? IdProblem(string field, string? id)
    {
        if (id is null) return null;
        if (id.Length < _minIdLength) return $"{field} is shorter than min_id_length {_minIdLength} (Amplitude rejects it; see AmplitudeSinkOptions.MinIdLength)";
        if (BlockedIds.Contains(id)) return $"{field} is a placeholder value Amplitude rejects";
        return null;
    }
}
