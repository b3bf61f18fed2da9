using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Enrichment;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Security;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Ingestion;

/// <summary>
/// The two ingest endpoints: <c>POST /v1/batch</c> (<c>{"events":[...]}</c>) and the single-event
/// aggregate endpoint <c>POST /api/analytics/agg</c>. Order of checks: key (401/403), content type and encoding (415), size (413),
/// JSON (400), batch shape and count (400/413), then per-event validation; valid events are committed before the 202.
/// </summary>
internal sealed partial class IngestHandler
{
    internal const string BatchEndpoint = "batch";
    internal const string AggregateEndpoint = "agg";
    internal const string WindowOverrideHeader = "X-AGG-WINDOW-OVERRIDE";

    private readonly IngestOptions _options;
    private readonly KeyRing _keys;
    private readonly CatalogValidator _validator;
    private readonly EventWriter _writer;
    private readonly IngestMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestHandler> _logger;

    private readonly Dashboard.DashboardRecorder? _dashboard;

    public IngestHandler(IOptions<IngestOptions> options, KeyRing keys, CatalogValidator validator, EventWriter writer, IngestMetrics metrics, TimeProvider time, ILogger<IngestHandler> logger, Dashboard.DashboardRecorder? dashboard = null)
    {
        _dashboard = dashboard;
        _options = options.Value;
        _keys = keys;
        _validator = validator;
        _writer = writer;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public Task HandleBatchAsync(HttpContext context) => HandleAsync(context, single: false);

    public Task HandleAggregateAsync(HttpContext context) => HandleAsync(context, single: true);

    /// <summary>
    /// Test seam: runs inside the per-event isolation for each event (index, event) before validation, so a test can
    /// make the handling of one event fail the way a defect would. Null in production.
    /// </summary>
    internal Action<int, JsonElement>? EventHook { get; set; }

    /// <summary>Test seam: runs at the start of each request, inside the request's own guard. Null in production.</summary>
    internal Func<HttpContext, Task>? RequestHook { get; set; }

    private async Task HandleAsync(HttpContext context, bool single)
    {
        var started = Stopwatch.GetTimestamp();
        var endpoint = single ? AggregateEndpoint : BatchEndpoint;
        using var activity = IngestTracing.Source.StartActivity(IngestTracing.RequestActivityName, ActivityKind.Internal);
        activity?.SetTag("telemetry.ingest.endpoint", endpoint);

        // Recorded once the response is complete, so the label is the status actually sent: including answers written
        // by the host's exception handler (or Kestrel's own 500), and "aborted" when the connection was lost before the
        // answer was complete (whatever status had been set, the client did not get it).
        context.Response.OnCompleted(static state =>
        {
            var (self, ctx, endpointName, startedAt) = ((IngestHandler, HttpContext, string, long))state;
            var status = ctx.RequestAborted.IsCancellationRequested || ctx.Items.ContainsKey(AbortedStatus)
                ? AbortedStatus
                : ctx.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            self._metrics.RequestDuration(Stopwatch.GetElapsedTime(startedAt), endpointName, status);
            return Task.CompletedTask;
        }, (this, context, endpoint, started));

        try
        {
            if (RequestHook is { } hook) await hook(context).ConfigureAwait(false);
            await HandleCoreAsync(context, single).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested || ex is IOException or OperationCanceledException)
        {
            // The connection was lost (reset, closed mid-body): no answer can reach the client. Labelled "aborted",
            // never as a 5xx the server did not send.
            context.Items[AbortedStatus] = true;
            context.Abort();
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // Nothing was acknowledged (the 202 is written only after the commit): a defect or an unexpected failure
            // anywhere in the request answers 503 with Retry-After, never a bare 500.
            LogRequestFailed(ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace ?? string.Empty);
            context.Response.Clear();
            await ProblemDetailsWriter.WriteAsync(context, 503, "unavailable", "Try again later",
                "The server could not handle this request. Nothing of it was acknowledged; resend it.", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        finally
        {
            if (activity is not null)
            {
                activity.SetTag("http.response.status_code", context.Response.StatusCode);
                if (context.Response.StatusCode >= 500) activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    /// <summary>The <c>status</c> label of a request whose connection was lost before its answer was complete.</summary>
    internal const string AbortedStatus = "aborted";

    private async Task HandleCoreAsync(HttpContext context, bool single)
    {
        var request = context.Request;
        var (check, project) = await _keys.CheckWriteKeyAsync(KeyRing.PresentedKey(request), context.RequestAborted).ConfigureAwait(false);
        switch (check)
        {
            case KeyCheck.Missing:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ProblemDetailsWriter.WriteAsync(context, 401, "missing-key", "Write key required",
                    "Send the project's write key as 'Authorization: Bearer <key>' or 'X-Write-Key: <key>'.").ConfigureAwait(false);
                return;
            case KeyCheck.Wrong:
                await ProblemDetailsWriter.WriteAsync(context, 403, "wrong-key", "Write key not accepted", "The write key is not valid for this server.").ConfigureAwait(false);
                return;
        }

        var (body, failure, detail) = await BodyReader.ReadAsync(request, _options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        switch (failure)
        {
            case BodyFailure.UnsupportedMediaType:
            case BodyFailure.UnsupportedEncoding:
                await ProblemDetailsWriter.WriteAsync(context, 415, "unsupported-media-type", "Unsupported media type", detail).ConfigureAwait(false);
                return;
            case BodyFailure.TooLarge:
                await ProblemDetailsWriter.WriteAsync(context, 413, "body-too-large", "Request body too large", detail).ConfigureAwait(false);
                return;
            case BodyFailure.Unreadable:
                await ProblemDetailsWriter.WriteAsync(context, 400, "unreadable-body", "Unreadable body", detail).ConfigureAwait(false);
                return;
        }

        using (body)
        {
            // JsonDocument decodes strings lazily, so invalid UTF-8 inside a string would only surface later: check it all up front.
            if (!System.Text.Unicode.Utf8.IsValid(body!.Memory.Span))
            {
                await ProblemDetailsWriter.WriteAsync(context, 400, "unreadable-body", "Unreadable body", "The body is not valid UTF-8.").ConfigureAwait(false);
                return;
            }

            JsonDocument document;
            var maxDepth = Math.Max(4, _options.MaxJsonDepth);
            try
            {
                document = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = maxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            }
            catch (JsonException ex)
            {
                // The reader does not track a path: "$" plus the line and byte position in the detail.
                await ProblemDetailsWriter.WriteAsync(context, 400, "unreadable-body", "Unreadable body",
                    "The body is not valid UTF-8 JSON: " + ex.Message, extra: w => w.WriteString("path", ex.Path ?? "$")).ConfigureAwait(false);
                return;
            }

            if (StrictJson.FindDuplicateKey(body.Memory, maxDepth) is { } duplicate)
            {
                document.Dispose();
                await ProblemDetailsWriter.WriteAsync(context, 400, "duplicate-key", "Duplicate key",
                    "The key at " + duplicate + " appears more than once in its object; parsers disagree on which one wins, so the body is refused. Nothing of it was stored.",
                    extra: w => w.WriteString("path", duplicate)).ConfigureAwait(false);
                return;
            }

            using (document)
            {
                await HandleDocumentAsync(context, document.RootElement, single, project).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleDocumentAsync(HttpContext context, JsonElement root, bool single, string project)
    {
        JsonElement[] events;
        string basePath;
        if (single)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                await ProblemDetailsWriter.WriteAsync(context, 400, "unreadable-body", "Unreadable body", "The body must be one event object.").ConfigureAwait(false);
                return;
            }

            events = new[] { root };
            basePath = "$";
        }
        else
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                await ProblemDetailsWriter.WriteAsync(context, 400, "unreadable-body", "Unreadable body", "The body must be an object with an \"events\" array: {\"events\":[...]}.").ConfigureAwait(false);
                return;
            }

            var count = array.GetArrayLength();
            if (count > _options.MaxEventsPerBatch)
            {
                await ProblemDetailsWriter.WriteAsync(context, 413, "too-many-events", "Too many events",
                    $"The batch has {count} events; the limit is {_options.MaxEventsPerBatch}. Split it.").ConfigureAwait(false);
                return;
            }

            events = new JsonElement[count];
            var i = 0;
            foreach (var e in array.EnumerateArray()) events[i++] = e;
            basePath = "$.events";
        }

        var receivedAt = _time.GetUtcNow();
        var remote = context.Connection.RemoteIpAddress;
        var requestContext = new RequestContext(
            project,
            receivedAt,
            _options.AnonymizeIp ? IpAnonymizer.Anonymize(remote) : remote?.ToString(),
            _options.ParseUserAgent ? UserAgentParser.Parse(context.Request.Headers.UserAgent.ToString(), UserAgentClientHints.From(context.Request.Headers)) : UserAgentInfo.Unknown);

        var accepted = new List<StoredEvent>(events.Length);
        var rejections = new List<Rejection>();
        var errors = new List<ValidationError>();
        var overrides = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var maxErrors = Math.Max(1, _options.MaxErrorsPerEvent);
        int invalid = 0, outOfRange = 0, failed = 0;
        for (var i = 0; i < events.Length; i++)
        {
            errors.Clear();
            var path = single ? basePath : JsonPath.Index(basePath, i);
            var (stored, outcome) = HandleEvent(i, events[i], path, requestContext, errors, maxErrors);
            if (outcome == EventOutcome.Accepted)
            {
                _metrics.Incoming(stored!.Event);
                accepted.Add(stored);
                if (_options.AggregationWindowOverrides.TryGetValue(stored.Event, out var window)) overrides[stored.Event] = window;
                continue;
            }

            // Not accepted: counted under the event's name when it has one, read once.
            var eventName = EventNameOf(events[i]);
            _metrics.Incoming(eventName);
            switch (outcome)
            {
                case EventOutcome.Invalid:
                    _metrics.ValidationError(eventName);
                    invalid++;
                    break;
                case EventOutcome.TimestampOutOfRange:
                    outOfRange++;
                    break;
                default:
                    failed++;
                    break;
            }

            if (stored is null)
            {
                foreach (var error in errors) rejections.Add(new Rejection(i, EventIdOf(events[i]), error));
                _dashboard?.Rejected(events[i], path, errors);
            }
        }

        var rejectedEvents = events.Length - accepted.Count;
        _metrics.Dropped(invalid, "invalid");
        _metrics.Dropped(outOfRange, ValidationReasons.TimestampOutOfRange);
        _metrics.Dropped(failed, ValidationReasons.Internal);

        if (single && rejectedEvents > 0)
        {
            await ProblemDetailsWriter.WriteAsync(context, 400, "invalid-event", "Invalid event", "The event does not match its catalog schema; see 'errors'.",
                extra: w =>
                {
                    w.WritePropertyName("errors");
                    WriteRejections(w, rejections);
                }).ConfigureAwait(false);
            return;
        }

        WriteResult result;
        try
        {
            result = await _writer.WriteAsync(accepted).ConfigureAwait(false);
        }
        catch (WriterUnavailableException ex)
        {
            LogUnavailable(ex.Message);
            await ProblemDetailsWriter.WriteAsync(context, 503, "unavailable", "Try again later", ex.Message + " Nothing of this request was acknowledged; resend it.", ex.RetryAfter).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        if (overrides.Count > 0)
        {
            // One number (milliseconds) as the runtime's IngestSink reads it; with several events the smallest window wins.
            var smallest = int.MaxValue;
            foreach (var w in overrides.Values) smallest = Math.Min(smallest, w);
            response.Headers[WindowOverrideHeader] = smallest.ToString(CultureInfo.InvariantCulture);
        }

        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteNumber("accepted", accepted.Count);
        writer.WriteNumber("duplicates", result.Duplicates);
        writer.WritePropertyName("rejected");
        WriteRejections(writer, rejections);
        if (overrides.Count > 0)
        {
            writer.WriteStartObject("window_overrides");
            foreach (var (name, window) in overrides) writer.WriteNumber(name, window);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// One event, isolated: validation, the time policy and the stored-event mapping (enrichment, fingerprint). Any
    /// failure rejects this event alone with a reason; it never reaches the other events of the request.
    /// </summary>
    private (StoredEvent? Stored, EventOutcome Outcome) HandleEvent(int index, JsonElement evt, string path, RequestContext request, List<ValidationError> errors, int maxErrors)
    {
        try
        {
            EventHook?.Invoke(index, evt);
            if (!_validator.Validate(evt, path, errors, maxErrors)) return (null, EventOutcome.Invalid);
            var stored = StoredEventFactory.Create(evt, request, _options.FingerprintBucketSeconds);
            var earliest = request.ReceivedAt - _options.EffectiveMaxEventAge;
            var latest = request.ReceivedAt + _options.MaxClockSkew;
            if (stored.Timestamp < earliest || stored.Timestamp > latest)
            {
                errors.Add(new ValidationError(path + ".timestamp", ValidationReasons.TimestampOutOfRange, string.Format(CultureInfo.InvariantCulture,
                    "'timestamp' must lie between {0:O} and {1:O} (at most {2} old and {3} ahead of the server's clock); got {4:O}.",
                    earliest, latest, _options.EffectiveMaxEventAge, _options.MaxClockSkew, stored.Timestamp)));
                return (null, EventOutcome.TimestampOutOfRange);
            }

            return (stored, EventOutcome.Accepted);
        }
        catch (InvalidOperationException) when (HasSurrogateEscape(evt))
        {
            // System.Text.Json refuses to decode a lone surrogate escape ("\ud800") into a string.
            errors.Clear();
            errors.Add(new ValidationError(path, ValidationReasons.Encoding, "The event contains a string that is not valid Unicode (a lone surrogate escape)."));
            return (null, EventOutcome.Invalid);
        }
        catch (Exception ex)
        {
            // A defect: logged with the event's index and the exception's type and stack, never the payload or the
            // exception's message (which may quote a value).
            LogEventFailed(index, ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace ?? string.Empty);
            errors.Clear();
            errors.Add(new ValidationError(path, ValidationReasons.Internal,
                "The server failed while handling this event; it was not stored. The other events of the request are unaffected."));
            return (null, EventOutcome.Internal);
        }
    }

    private static bool HasSurrogateEscape(JsonElement evt)
    {
        var raw = NumberContract.RawUtf8(evt);
        for (var i = raw.IndexOf((byte)'\\'); i >= 0 && i + 3 < raw.Length; )
        {
            if (raw[i + 1] == (byte)'u' && (raw[i + 2] | 0x20) == (byte)'d' && raw[i + 3] is (byte)'8' or (byte)'9' or (byte)'a' or (byte)'b' or (byte)'c' or (byte)'d' or (byte)'e' or (byte)'f' or (byte)'A' or (byte)'B' or (byte)'C' or (byte)'D' or (byte)'E' or (byte)'F') return true;
            var next = raw.Slice(i + 2).IndexOf((byte)'\\');
            if (next < 0) break;
            i += 2 + next;
        }

        return false;
    }

    private static void WriteRejections(Utf8JsonWriter writer, List<Rejection> rejections)
    {
        writer.WriteStartArray();
        foreach (var r in rejections)
        {
            writer.WriteStartObject();
            writer.WriteString("type", ProblemDetailsWriter.TypePrefix + "validation:" + r.Error.Reason);
            writer.WriteString("title", "Invalid event");
            writer.WriteNumber("status", 422);
            writer.WriteString("detail", r.Error.Detail);
            writer.WriteNumber("index", r.Index);
            if (r.EventId is null) writer.WriteNull("event_id");
            else writer.WriteString("event_id", r.EventId);
            writer.WriteString("path", r.Error.Path);
            writer.WriteString("reason", r.Error.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The event's name when it has a string one (for the bounded <c>event</c> metric label), else null.</summary>
    private static string? EventNameOf(JsonElement evt)
    {
        try
        {
            return evt.ValueKind == JsonValueKind.Object && evt.TryGetProperty(Telemetry.Wire.EnvelopeFields.Event, out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        }
        catch (InvalidOperationException)
        {
            return null; // a lone surrogate escape
        }
    }

    private static string? EventIdOf(JsonElement evt)
    {
        try
        {
            if (evt.ValueKind != JsonValueKind.Object || !evt.TryGetProperty("event_id", out var id) || id.ValueKind != JsonValueKind.String) return null;
            var text = id.GetString()!;
            return text.Length <= 100 ? text : text.Substring(0, 100);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Ingest request answered 503: {Reason}")]
    private partial void LogUnavailable(string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Handling event {Index} of a request failed with {ExceptionType}; the event is rejected as 'internal', the others are unaffected.{StackTrace}")]
    private partial void LogEventFailed(int index, string exceptionType, string stackTrace);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "An ingest request failed with {ExceptionType}; answered 503, nothing acknowledged.{StackTrace}")]
    private partial void LogRequestFailed(string exceptionType, string stackTrace);

    private enum EventOutcome
    {
        Accepted,
        Invalid,
        TimestampOutOfRange,
        Internal,
    }

    private sealed record Rejection(int Index, string? EventId, ValidationError Error);
}
