using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// Sends batches to the Google Analytics 4 Measurement Protocol (<c>POST {host}/mp/collect?measurement_id=&amp;api_secret=</c>),
/// for web data streams.
/// </summary>
/// <remarks>
/// <para>Wire format: <c>{"client_id","user_id","timestamp_micros","events":[{"name","timestamp_micros","params":{...}}]}</c>.
/// <c>client_id</c> is the anonymous id (else <see cref="Ga4SinkOptions.FallbackClientId"/>, else the session id),
/// <c>user_id</c> the signed-in user. One request carries one <c>client_id</c>/<c>user_id</c>: a batch holding events
/// of several identities answers <see cref="SinkOutcome.TooLarge"/> without a request, and the pipeline splits it.
/// Event names are the catalog names (or <see cref="TelemetrySinkOptions.EventName"/>'s) with dots turned into
/// underscores (<c>watchlist.add</c> → <c>watchlist_add</c>). Params are the event's own properties plus
/// <c>session_id</c> (the session start in Unix seconds when the session id is a UUIDv7), <c>sampling_rate</c>,
/// <c>schema_version</c>, <c>client_version</c> and, when set, <c>engagement_time_msec</c>. Strings and numbers
/// are sent as they are, booleans as <c>"true"</c>/<c>"false"</c>, arrays of scalars joined with commas, null
/// values left out; an object value rejects the event.</para>
/// <para>GA4 checks nothing at collection time and answers 2xx to everything, so every GA4 limit is checked here
/// and an event that breaks one is rejected with a reason (counted, never sent): event and parameter names
/// (1..40 characters, a letter first, letters, digits and underscores; reserved names and the <c>google_</c>,
/// <c>ga_</c>, <c>firebase_</c> prefixes), at most 25 params per event, string values up to
/// <see cref="Ga4SinkOptions.MaxParamValueLength"/> characters, <c>user_id</c> up to 256 characters, and a
/// timestamp at most 72 hours old. Per request: 25 events and 130,000 bytes (<see cref="SinkOutcome.TooLarge"/>: split).</para>
/// <para>Answers: 2xx → delivered (the only answer GA4 gives to a well-formed request, valid or not; use
/// <see cref="ValidateAsync"/> against <c>/debug/mp/collect</c> to see what GA4 thinks of a payload). 429 → retry
/// after <c>Retry-After</c>; 413 → too large; 408, 5xx, timeouts and network errors → retry later; other 4xx → rejected.
/// GA4 has no deduplication key: every resent event is counted twice in GA4.</para>
/// </remarks>
public sealed class Ga4Sink : HttpTelemetrySink
{
    /// <summary>GA4's limit of events per request.</summary>
    public const int MaxEventsPerRequest = 25;

    /// <summary>GA4's limit of parameters per event.</summary>
    public const int MaxParamsPerEvent = 25;

    /// <summary>GA4's limit of a request body ("130 kB"), counted conservatively as 130,000 bytes.</summary>
    public const int MaxRequestBytes = 130_000;

    /// <summary>GA4's limit of a parameter value's length in characters (standard properties).</summary>
    public const int MaxParamValueLengthStandard = 100;

    /// <summary>GA4's limit of a parameter value's length in characters (Google Analytics 360 properties).</summary>
    public const int MaxParamValueLength360 = 500;

    /// <summary>GA4's limit of a <c>user_id</c>'s length in characters.</summary>
    public const int MaxUserIdLength = 256;

    /// <summary>How far back GA4 accepts an event's timestamp.</summary>
    public static readonly TimeSpan MaxEventAge = TimeSpan.FromHours(72);

    private static readonly string[] CarriedEnvelope = { "sampling_rate", "schema_version", "client_version" };

    private static readonly string LimitText = "GA4's " + MaxEventsPerRequest.ToString(CultureInfo.InvariantCulture);

    private readonly Uri _collect;
    private readonly Uri _debug;
    private readonly string? _fallbackClientId;
    private readonly int _maxValueLength;
    private readonly bool _truncate;
    private readonly int? _engagementTimeMsec;

    /// <summary>Creates the sink. The <see cref="HttpClient"/> is shared and not disposed by the sink.</summary>
    /// <param name="httpClient">The client to send with (e.g. from <c>IHttpClientFactory</c>).</param>
    /// <param name="options">Measurement id, API secret, host and mapping; validated here and copied (later changes have no effect).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public Ga4Sink(HttpClient httpClient, Ga4SinkOptions options)
        : base(httpClient, options)
    {
        var query = "measurement_id=" + Uri.EscapeDataString(options.MeasurementId) + "&api_secret=" + Uri.EscapeDataString(options.ApiSecret);
        _collect = SinkHttp.Combine(options.Host, "/mp/collect", query);
        _debug = SinkHttp.Combine(options.Host, "/debug/mp/collect", query);
        Endpoint = SinkHttp.Combine(options.Host, "/mp/collect");
        _fallbackClientId = options.FallbackClientId;
        _maxValueLength = options.MaxParamValueLength;
        _truncate = options.TruncateLongValues;
        _engagementTimeMsec = options.EngagementTimeMsec;
    }

    /// <inheritdoc/>
    public override string Name => "ga4";

    /// <summary>The address batches are posted to, without the query (which holds the API secret).</summary>
    public Uri Endpoint { get; }

    /// <inheritdoc/>
    private protected override int RequestEventLimit => MaxEventsPerRequest;

    /// <inheritdoc/>
    private protected override string RequestEventLimitText => LimitText;

    /// <inheritdoc/>
    private protected override int MaxPreparedEventBytes => MaxRequestBytes;

    /// <inheritdoc/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private protected override async ValueTask<SinkResult> SendPreparedAsync(PreparedBatch prepared, CancellationToken cancellationToken)
    {
        var identities = CountIdentities(prepared.Events);
        if (identities > 1)
        {
            // One client_id/user_id per request: the pipeline splits the batch until each part has one identity.
            return SinkHttp.TooLarge(prepared.Events, prepared.Rejected, $"{identities} users in one batch; GA4 takes one client_id and user_id per request");
        }

        var body = Body(prepared.Events);
        if (body.Length > MaxRequestBytes)
        {
            return SinkHttp.TooLarge(prepared.Events, prepared.Rejected, $"request of {body.Length} bytes exceeds GA4's {MaxRequestBytes}");
        }

        var exchange = await SinkHttp.PostJsonAsync(Http, _collect, body, gzip: false, authorization: null, Timeout, cancellationToken).ConfigureAwait(false);
        var detail = exchange.Describe();
        if (exchange.Failure is not null) return SinkHttp.Result(SinkOutcome.RetryLater, prepared.Rejected, detail);
        var retryAfter = SinkHttp.RetryAfter(exchange.Headers, Time);
        return exchange.StatusCode switch
        {
            >= 200 and < 300 => SinkHttp.Result(SinkOutcome.Delivered, prepared.Rejected, prepared.Rejected.Count == 0 ? null : detail),
            413 => SinkHttp.TooLarge(prepared.Events, prepared.Rejected, detail),
            _ => SinkHttp.Result(SinkHttp.DefaultOutcome(exchange.StatusCode), prepared.Rejected, detail, retryAfter),
        };
    }

    /// <summary>
    /// Checks <paramref name="batch"/> without recording anything: applies this sink's mapping and limits, then
    /// posts each request it would send to GA4's validation server (<c>/debug/mp/collect</c>) and collects its
    /// validation messages. Use it at set-up time or in a test against your property: <c>/mp/collect</c> itself
    /// answers 2xx whatever it thinks of a payload.
    /// </summary>
    /// <param name="batch">Events to check (any number; they are checked in requests of at most 25 of one identity).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The events rejected before sending, GA4's messages, and any request that got no usable answer.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Ga4ValidationResult> ValidateAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken = default)
    {
        if (batch is null) throw new ArgumentNullException(nameof(batch));
        cancellationToken.ThrowIfCancellationRequested();
        var prepared = PreparedBatch.Create(batch, Mapping, MaxRequestBytes, EventWriter);
        var messages = new List<Ga4ValidationMessage>();
        var failures = new List<string>();
        foreach (var request in Requests(prepared.Events))
        {
            var body = Body(request);
            var exchange = await SinkHttp.PostJsonAsync(Http, _debug, body, gzip: false, authorization: null, Timeout, cancellationToken).ConfigureAwait(false);
            if (exchange.Failure is not null || exchange.StatusCode is < 200 or >= 300)
            {
                failures.Add(exchange.Describe());
                continue;
            }

            if (!ReadMessages(exchange.Body, request, messages)) failures.Add("unreadable validation answer: " + exchange.Describe());
        }

        return new Ga4ValidationResult(prepared.Rejected, messages, failures);
    }

    private static int CountIdentities(List<PreparedEvent> events)
    {
        var first = events[0];
        var count = 1;
        HashSet<(string?, string?)>? seen = null;
        foreach (var e in events)
        {
            if (e.UserId == first.UserId && e.DeviceId == first.DeviceId) continue;
            seen ??= new HashSet<(string?, string?)> { (first.UserId, first.DeviceId) };
            if (seen.Add((e.UserId, e.DeviceId))) count++;
        }

        return count;
    }

    /// <summary>The events cut into requests: consecutive runs of one identity, at most 25 each.</summary>
    private static IEnumerable<List<PreparedEvent>> Requests(List<PreparedEvent> events)
    {
        var current = new List<PreparedEvent>();
        foreach (var e in events)
        {
            if (current.Count > 0 && (current.Count == MaxEventsPerRequest || current[0].UserId != e.UserId || current[0].DeviceId != e.DeviceId))
            {
                yield return current;
                current = new List<PreparedEvent>();
            }

            current.Add(e);
        }

        if (current.Count > 0) yield return current;
    }

    private static ReadOnlyMemory<byte> Body(List<PreparedEvent> events)
    {
        var first = events[0];
        return PreparedBatch.Body(PreparedBatch.SizeOf(events) + 128, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("client_id", first.DeviceId);
            if (first.UserId is not null) writer.WriteString("user_id", first.UserId);
            writer.WriteNumber("timestamp_micros", Micros(first.Source.Timestamp));
            writer.WriteStartArray("events");
            PreparedBatch.WriteEvents(writer, events);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static long Micros(DateTimeOffset timestamp) => (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);

    /// <summary>Reads <c>{"validationMessages":[{"fieldPath","description","validationCode"}]}</c>; false when the answer is not that.</summary>
    private static bool ReadMessages(byte[] body, List<PreparedEvent> request, List<Ga4ValidationMessage> messages)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return false;
            if (!document.RootElement.TryGetProperty("validationMessages", out var list)) return true;
            if (list.ValueKind != JsonValueKind.Array) return false;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                var path = Text(item, "fieldPath");
                messages.Add(new Ga4ValidationMessage(path, Text(item, "description") ?? string.Empty, Text(item, "validationCode"), EventOf(path, item, request)));
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The event a message is about, from <c>events[i]</c> in its field path or "index: [i]" in its text.</summary>
    private static Guid? EventOf(string? path, JsonElement item, List<PreparedEvent> request)
    {
        var index = IndexAfter(path, "events[") ?? IndexAfter(Text(item, "description"), "index: [");
        return index is { } i && i >= 0 && i < request.Count ? request[i].Source.EventId : null;
    }

    private static int? IndexAfter(string? text, string marker)
    {
        if (text is null) return null;
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + marker.Length;
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return end > start && int.TryParse(text.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <inheritdoc/>
    private protected override string? WriteEvent(WireEvent wire, string mappedName, Utf8JsonWriter writer, out string? userId, out string? clientId)
    {
        var source = wire.Source;
        userId = string.IsNullOrEmpty(source.UserId) ? null : source.UserId;
        clientId = !string.IsNullOrEmpty(source.AnonymousId) ? source.AnonymousId : _fallbackClientId ?? wire.SessionId;
        if (string.IsNullOrEmpty(clientId)) return "no anonymous id, FallbackClientId or session_id (GA4 requires a client_id)";
        if (userId is not null && userId.Length > MaxUserIdLength) return $"user_id is {userId.Length} characters, over GA4's {MaxUserIdLength}";
        if (source.Timestamp < Time.GetUtcNow() - MaxEventAge) return "happened more than 72 hours ago: GA4 does not accept events that old";

        var name = Ga4Names.EventName(mappedName);
        if (Ga4Names.EventNameProblem(name) is { } nameProblem) return nameProblem;

        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteNumber("timestamp_micros", Micros(source.Timestamp));
        writer.WriteStartObject("params");
        var count = 0;
        if (wire.SessionStartUnixMilliseconds() is { } sessionStart && Mapping.PropertyName("session_id") is { } sessionName)
        {
            if (Ga4Names.ParamNameProblem(sessionName) is { } problem) return problem;
            writer.WriteNumber(sessionName, sessionStart / 1000);
            count++;
        }

        if (_engagementTimeMsec is { } engagement)
        {
            writer.WriteNumber("engagement_time_msec", engagement);
            count++;
        }

        foreach (var property in wire.Root.EnumerateObject())
        {
            if (WireEvent.IsEnvelopeField(property.Name) && Array.IndexOf(CarriedEnvelope, property.Name) < 0) continue;
            var paramName = Mapping.PropertyName(property.Name);
            if (paramName is null || property.Value.ValueKind == JsonValueKind.Null) continue;
            if (Ga4Names.ParamNameProblem(paramName) is { } problem) return problem;
            if (++count > MaxParamsPerEvent) return $"more than GA4's {MaxParamsPerEvent} parameters per event (drop some with PropertyNames)";
            if (WriteValue(writer, paramName, property.Value) is { } valueProblem) return valueProblem;
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private string? WriteValue(Utf8JsonWriter writer, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                writer.WritePropertyName(name);
                value.WriteTo(writer);
                return null;
            case JsonValueKind.True:
            case JsonValueKind.False:
                writer.WriteString(name, value.ValueKind == JsonValueKind.True ? "true" : "false");
                return null;
            case JsonValueKind.String:
                return WriteText(writer, name, value.GetString()!);
            case JsonValueKind.Array:
                var parts = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array) return $"parameter '{name}' is an array of objects or arrays: GA4 params are strings or numbers";
                    parts.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
                }

                return WriteText(writer, name, string.Join(",", parts));
            default:
                return $"parameter '{name}' is an object: GA4 params are strings or numbers";
        }
    }

    private string? WriteText(Utf8JsonWriter writer, string name, string text)
    {
        if (text.Length > _maxValueLength)
        {
            if (!_truncate) return $"parameter '{name}' is {text.Length} characters, over GA4's {_maxValueLength} (set TruncateLongValues to cut it)";
            var cut = _maxValueLength;
            if (char.IsHighSurrogate(text[cut - 1])) cut--;
            text = text.Substring(0, cut);
        }

        writer.WriteString(name, text);
        return null;
    }
}

/// <summary>What <see cref="Ga4Sink.ValidateAsync"/> found.</summary>
/// <param name="Rejected">Events this sink would reject before sending (GA4's limits, names, ids), with reasons.</param>
/// <param name="Messages">GA4's validation messages for the events it would be sent.</param>
/// <param name="Failures">Requests to the validation server that got no usable answer (network error, non-2xx, unreadable body).</param>
public sealed record Ga4ValidationResult(IReadOnlyList<RejectedEvent> Rejected, IReadOnlyList<Ga4ValidationMessage> Messages, IReadOnlyList<string> Failures)
{
    /// <summary>True when nothing was rejected, GA4 had nothing to say and every request was answered.</summary>
    public bool IsValid => Rejected.Count == 0 && Messages.Count == 0 && Failures.Count == 0;
}

/// <summary>One of GA4's validation messages.</summary>
/// <param name="FieldPath">The field it is about (<c>events</c>, <c>events[0].params.x</c>), if given.</param>
/// <param name="Description">GA4's text.</param>
/// <param name="ValidationCode">GA4's code (<c>NAME_INVALID</c>, <c>VALUE_INVALID</c>, <c>NAME_RESERVED</c>, ...), if given.</param>
/// <param name="EventId">The event it is about, when the path or text names an index in the request.</param>
public sealed record Ga4ValidationMessage(string? FieldPath, string Description, string? ValidationCode, Guid? EventId);
