using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
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
/// The two ingest endpoints: <c>POST /v1/batch</c> (<c>{"events":[...]}</c>) and seed 000's single-event
/// <c>POST /api/analytics/agg</c>. Order of checks: key (401/403), content type and encoding (415), size (413),
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

    private async Task HandleAsync(HttpContext context, bool single)
    {
        var started = Stopwatch.GetTimestamp();
        var endpoint = single ? AggregateEndpoint : BatchEndpoint;
        try
        {
            await HandleCoreAsync(context, single).ConfigureAwait(false);
        }
        finally
        {
            _metrics.RequestDuration(Stopwatch.GetElapsedTime(started), endpoint, context.Response.StatusCode);
        }
    }

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
            try
            {
                document = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = Math.Max(4, _options.MaxJsonDepth), AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            }
            catch (JsonException ex)
            {
                await ProblemDetailsWriter.WriteAsync(context, 400, "unreadable-body", "Unreadable body",
                    "The body is not valid UTF-8 JSON: " + ex.Message).ConfigureAwait(false);
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

        _metrics.Incoming(events.Length);
        var receivedAt = _time.GetUtcNow();
        var remote = context.Connection.RemoteIpAddress;
        var requestContext = new RequestContext(
            project,
            receivedAt,
            _options.AnonymizeIp ? IpAnonymizer.Anonymize(remote) : remote?.ToString(),
            _options.ParseUserAgent ? UserAgentParser.Parse(context.Request.Headers.UserAgent.ToString()) : UserAgentInfo.Unknown);

        var accepted = new List<StoredEvent>(events.Length);
        var rejections = new List<Rejection>();
        var errors = new List<ValidationError>();
        var overrides = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < events.Length; i++)
        {
            errors.Clear();
            var path = single ? basePath : JsonPath.Index(basePath, i);
            StoredEvent? stored = null;
            try
            {
                if (_validator.Validate(events[i], path, errors, Math.Max(1, _options.MaxErrorsPerEvent)))
                {
                    stored = StoredEventFactory.Create(events[i], requestContext, _options.FingerprintBucketSeconds);
                }
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to decode a lone surrogate escape ("\ud800") into a string.
                errors.Clear();
                errors.Add(new ValidationError(path, ValidationReasons.Encoding, "The event contains a string that is not valid Unicode (a lone surrogate escape)."));
            }

            if (stored is not null)
            {
                accepted.Add(stored);
                if (_options.AggregationWindowOverrides.TryGetValue(stored.Event, out var window)) overrides[stored.Event] = window;
            }
            else
            {
                foreach (var error in errors) rejections.Add(new Rejection(i, EventIdOf(events[i]), error));
                _dashboard?.Rejected(events[i], path, errors);
            }
        }

        var rejectedEvents = events.Length - accepted.Count;
        _metrics.ValidationErrors(rejectedEvents);
        _metrics.Dropped(rejectedEvents, "invalid");

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

    private sealed record Rejection(int Index, string? EventId, ValidationError Error);
}
