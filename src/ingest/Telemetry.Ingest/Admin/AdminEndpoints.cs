using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Ingest.Archive;
using Telemetry.Ingest.Forwarding;
using Telemetry.Ingest.Ingestion;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Security;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Admin;

/// <summary>The <c>/admin</c> endpoints: stats, flush, reports, GDPR export/erase, schemas, retention. All need the admin key.</summary>
internal static class AdminEndpoints
{
    private static readonly Action<Microsoft.Extensions.Logging.ILogger, string, string, string, Exception?> AdminFailed =
        Microsoft.Extensions.Logging.LoggerMessage.Define<string, string, string>(Microsoft.Extensions.Logging.LogLevel.Error, new Microsoft.Extensions.Logging.EventId(20, "AdminFailed"),
            "Admin request {Path} failed with {ExceptionType}; answered 503.{StackTrace}");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").AddEndpointFilter(AnswerFailures).AddEndpointFilter(RequireAdminKey);
        Errors.ErrorEndpoints.Map(admin, Problem);

        admin.MapGet("/stats", async (HttpContext context, IEventStore store, EventWriter writer, IngestMetrics metrics, CatalogValidator catalog, CancellationToken ct) =>
        {
            var forwarder = context.RequestServices.GetService<IEventForwarder>();
            return Results.Json(new
            {
                storage = store.Name,
                events_stored = await store.CountAsync(ct).ConfigureAwait(false),
                pending_events = writer.PendingEvents,
                commits = writer.Commits,
                last_commit = writer.Commits == 0 ? (DateTimeOffset?)null : writer.LastCommit,
                last_error = writer.LastError?.Message,
                incoming_total = metrics.IncomingTotal,
                stored_total = metrics.StoredTotal,
                duplicates_total = metrics.DuplicatesTotal,
                validation_errors_total = metrics.ValidationErrorsTotal,
                dropped_total = metrics.DroppedTotal,
                rate_limited_total = metrics.RateLimitedTotal,
                forwarded_total = metrics.ForwardedTotal,
                forwarding = forwarder is null ? null : new { sink = forwarder.SinkName, queue_depth = forwarder.QueueDepth },
                catalog_events = catalog.EventCount,
            }, Json);
        });

        admin.MapPost("/flush", async (HttpContext context, EventWriter writer, CancellationToken ct) =>
        {
            var before = writer.PendingEvents;
            await writer.FlushAsync(ct).ConfigureAwait(false);
            var forwarder = context.RequestServices.GetService<IEventForwarder>();
            if (forwarder is not null)
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                limit.CancelAfter(TimeSpan.FromSeconds(30));
                try
                {
                    await forwarder.FlushAsync(limit.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Reported through forward_queue_depth.
                }
            }

            return Results.Json(new { flushed_events = before, pending_events = writer.PendingEvents, forward_queue_depth = forwarder?.QueueDepth }, Json);
        });

        admin.MapGet("/reports/summary", async (HttpContext context, IEventStore store, CancellationToken ct) =>
        {
            if (!TryQuery(context, out var query, out var error)) return error!;
            var s = await store.SummaryAsync(query, ct).ConfigureAwait(false);
            return Results.Json(new { from = query.From, to = query.To, project = query.Project, @event = query.Event, events = s.Events, unique_users = s.UniqueUsers, unique_sessions = s.UniqueSessions }, Json);
        });

        admin.MapGet("/reports/top-events", async (HttpContext context, IEventStore store, CancellationToken ct) =>
        {
            if (!TryQuery(context, out var query, out var error)) return error!;
            var limit = 10;
            if (context.Request.Query.TryGetValue("limit", out var l) && (l.Count != 1 || !int.TryParse(l[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 1000))
            {
                return Problem(context, 400, "bad-query", "Bad query", "'limit' must be an integer from 1 to 1000.");
            }

            var top = await store.TopEventsAsync(query, limit, ct).ConfigureAwait(false);
            return Results.Json(new { from = query.From, to = query.To, events = top }, Json);
        });

        admin.MapGet("/reports/hourly", async (HttpContext context, IEventStore store, CancellationToken ct) =>
        {
            if (!TryQuery(context, out var query, out var error)) return error!;
            var hours = await store.HourlyAsync(query, ct).ConfigureAwait(false);
            return Results.Json(new { from = query.From, to = query.To, @event = query.Event, hours }, Json);
        });

        // GDPR export and erasure. Any stored id is addressable: in the query (?id=) or the body ({"user_id": ...});
        // the path form stays for simple ids. Logs name the route template, never the id.
        admin.MapGet("/users/events", (HttpContext context, CancellationToken ct) =>
            TryQueryId(context, out var id, out var error) ? ExportAsync(id, context, ct) : Task.FromResult(error!));
        admin.MapPost("/users/export", async (HttpContext context, CancellationToken ct) =>
        {
            var (id, error) = await BodyIdAsync(context, ct).ConfigureAwait(false);
            return id is null ? error! : await ExportAsync(id, context, ct).ConfigureAwait(false);
        });
        admin.MapGet("/users/{id}/events", (string id, HttpContext context, CancellationToken ct) =>
            CheckId(context, id, out var error) ? ExportAsync(id, context, ct) : Task.FromResult(error!));

        admin.MapDelete("/users", (HttpContext context, CancellationToken ct) =>
            TryQueryId(context, out var id, out var error) ? EraseAsync(id, context, ct) : Task.FromResult(error!));
        admin.MapPost("/users/erase", async (HttpContext context, CancellationToken ct) =>
        {
            var (id, error) = await BodyIdAsync(context, ct).ConfigureAwait(false);
            return id is null ? error! : await EraseAsync(id, context, ct).ConfigureAwait(false);
        });
        admin.MapDelete("/users/{id}", (string id, HttpContext context, CancellationToken ct) =>
            CheckId(context, id, out var error) ? EraseAsync(id, context, ct) : Task.FromResult(error!));

        // Write keys (stored as hashes in the database, shared by every node). The key itself is shown once, on creation.
        admin.MapGet("/keys", async (HttpContext context, CancellationToken ct) =>
        {
            if (context.RequestServices.GetService<IControlStore>() is not { } control) return NoKeyStore(context);
            var keys = await control.LoadWriteKeysAsync(ct).ConfigureAwait(false);
            var list = new List<object>(keys.Count);
            foreach (var k in keys) list.Add(new { key_id = k.KeyId, project = k.Project, created_at = k.CreatedAt, revoked_at = k.RevokedAt });
            return Results.Json(new { keys = list }, Json);
        });

        admin.MapPost("/keys", async (HttpContext context, KeyRing ring, CancellationToken ct) =>
        {
            if (context.RequestServices.GetService<IControlStore>() is not { } control) return NoKeyStore(context);
            string? project = null;
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 4 }, ct).ConfigureAwait(false);
                if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("project", out var p) && p.ValueKind == JsonValueKind.String)
                {
                    project = p.GetString();
                }
            }
            catch (JsonException)
            {
            }

            if (project is null || !IsProjectName(project))
            {
                return Problem(context, 400, "bad-request", "Bad request", "Send {\"project\":\"name\"}; a project name is 1-100 letters, digits, '.', '_' or '-'.");
            }

            var record = ring.NewWriteKey(project, out var key);
            await control.AddWriteKeyAsync(record, ct).ConfigureAwait(false);
            await ring.RefreshAsync(ct).ConfigureAwait(false);
            return Results.Json(new { key_id = record.KeyId, project = record.Project, write_key = key, created_at = record.CreatedAt }, Json, statusCode: 201);
        });

        admin.MapDelete("/keys/{keyId}", async (string keyId, HttpContext context, KeyRing ring, TimeProvider time, CancellationToken ct) =>
        {
            if (context.RequestServices.GetService<IControlStore>() is not { } control) return NoKeyStore(context);
            if (!await control.RevokeWriteKeyAsync(keyId, time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                return Problem(context, 404, "no-such-key", "No such key", "No active write key has the id '" + keyId + "'.");
            }

            await ring.RefreshAsync(ct).ConfigureAwait(false);
            return Results.Json(new { key_id = keyId, revoked = true }, Json);
        });

        admin.MapGet("/schemas/{name}", (string name, CatalogValidator catalog) =>
            catalog.SchemaText(name) is { } schema ? Results.Text(schema, "application/schema+json") : Results.NotFound());

        admin.MapPost("/retention/run", async (IServiceProvider services, CancellationToken ct) =>
        {
            var retention = services.GetService<RetentionService>();
            var result = retention is null ? new RetentionResult(0, 0) : await retention.RunOnceAsync(ct).ConfigureAwait(false);
            return Results.Json(new { deleted_events = result.Events, deleted_archive_files = result.ArchiveFiles }, Json);
        });
    }

    /// <summary>
    /// No admin request ends in a bare 500: a failure that escapes an endpoint (the database gone, a defect) answers a
    /// 503 problem with <c>Retry-After</c>; bad input is answered 400 by the endpoints themselves.
    /// </summary>
    private static async ValueTask<object?> AnswerFailures(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            if (context.RequestServices.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() is { } logs)
            {
                AdminFailed(logs.CreateLogger("Telemetry.Ingest.Admin"), RouteTemplate(context), ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace ?? string.Empty, null);
            }

            context.Response.Headers.RetryAfter = "5";
            return Problem(context, 503, "unavailable", "Try again later", "The server could not answer this request; try again later.");
        }
    }

    /// <summary>Longest user id the GDPR endpoints take (ids are stored as sent; this bounds the request, not the store).</summary>
    internal const int MaxUserIdLength = 8192;

    private static async Task<IResult> ExportAsync(string requested, HttpContext context, CancellationToken ct)
    {
        // Columns hold ids cleaned for every store (NUL and lone surrogates become U+FFFD); look them up the same way.
        var id = StoredEventFactory.Clean(requested);
        var store = context.RequestServices.GetRequiredService<IEventStore>();
        var events = await store.ExportUserAsync(id, ct).ConfigureAwait(false);
        var archive = context.RequestServices.GetService<IArchive>();
        var archived = archive is null ? 0 : await archive.CountUserAsync(id, ct).ConfigureAwait(false);
        return Results.Stream(async body =>
        {
            await using var writer = new Utf8JsonWriter(body);
            writer.WriteStartObject();
            writer.WriteString("user_id", requested);
            writer.WriteNumber("count", events.Count);
            writer.WriteNumber("archive_lines", archived);
            writer.WriteStartArray("events");
            foreach (var e in events)
            {
                writer.WriteStartObject();
                writer.WriteString("event_id", e.EventId);
                writer.WriteString("project", e.Project);
                writer.WriteString("received_at", e.ReceivedAt);
                writer.WriteString("ip", e.Ip);
                writer.WriteString("device", e.Device);
                writer.WriteString("os", e.Os);
                writer.WriteString("browser", e.Browser);
                writer.WritePropertyName("event");
                writer.WriteRawValue(e.Payload, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, "application/json");
    }

    private static async Task<IResult> EraseAsync(string requested, HttpContext context, CancellationToken ct)
    {
        var id = StoredEventFactory.Clean(requested);
        var services = context.RequestServices;

        // Commit what is in flight first, so an event acknowledged before the erase cannot land after it (and is handed
        // to the forwarder before its queue is purged).
        await services.GetRequiredService<EventWriter>().FlushAsync(ct).ConfigureAwait(false);

        // The forwarding queue first: nothing of this user may reach the provider once the answer is given.
        var forwarder = services.GetService<IEventForwarder>();
        var forwardQueue = forwarder is null ? 0 : await forwarder.EraseUserAsync(id, ct).ConfigureAwait(false);
        var deleted = await services.GetRequiredService<IEventStore>().EraseUserAsync(id, ct).ConfigureAwait(false);
        var archive = services.GetService<IArchive>();
        var erased = archive is null ? new ArchiveErasure(0, 0) : await archive.EraseUserAsync(id, ct).ConfigureAwait(false);
        return Results.Json(new
        {
            user_id = requested,
            deleted_events = deleted,
            archive_lines_removed = erased.LinesRemoved,
            archive_files_rewritten = erased.FilesRewritten,
            forward_queue_removed = forwardQueue,
            removed = new { events = deleted, archive_lines = erased.LinesRemoved, forward_queue = forwardQueue },

            // The dedup table keeps the erased events' ids (random UUIDs or fingerprint hashes, no personal data) so a late
            // client retry is answered as a duplicate instead of storing the events again.
            dedup_ids_kept = deleted,
        }, Json);
    }

    private static bool TryQueryId(HttpContext context, out string id, out IResult? error)
    {
        id = string.Empty;
        if (!context.Request.Query.TryGetValue("id", out var values) || values.Count != 1 || values[0] is not { } value)
        {
            error = Problem(context, 400, "bad-request", "Bad request", "Name the user with exactly one query parameter 'id' (URL-encoded), or send {\"user_id\":\"...\"} to the POST form.");
            return false;
        }

        id = value;
        return CheckId(context, id, out error);
    }

    private static async Task<(string? Id, IResult? Error)> BodyIdAsync(HttpContext context, CancellationToken ct)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 4 }, ct).ConfigureAwait(false);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("user_id", out var p) && p.ValueKind == JsonValueKind.String)
            {
                var id = p.GetString()!;
                return CheckId(context, id, out var error) ? (id, null) : (null, error);
            }
        }
        catch (JsonException)
        {
        }

        return (null, Problem(context, 400, "bad-request", "Bad request", "Send {\"user_id\":\"...\"} (a JSON string, any characters)."));
    }

    private static bool CheckId(HttpContext context, string id, out IResult? error)
    {
        error = id.Length switch
        {
            0 => Problem(context, 400, "bad-request", "Bad request", "The user id is empty."),
            > MaxUserIdLength => Problem(context, 400, "bad-request", "Bad request", $"The user id is longer than {MaxUserIdLength} characters."),
            _ => null,
        };
        return error is null;
    }

    private static async ValueTask<object?> RequireAdminKey(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var keys = context.RequestServices.GetRequiredService<KeyRing>();
        switch (keys.CheckAdminKey(KeyRing.PresentedKey(context.Request)))
        {
            case KeyCheck.Missing:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Problem(context, 401, "missing-key", "Admin key required", "Send the admin key as 'Authorization: Bearer <key>'.");
            case KeyCheck.Wrong:
                return Problem(context, 403, "wrong-key", "Admin key not accepted", "The key does not open the admin endpoints.");
            default:
                return await next(invocation).ConfigureAwait(false);
        }
    }

    private static IResult NoKeyStore(HttpContext context) =>
        Problem(context, 501, "no-key-store", "Keys are not stored", "The event store of this server keeps no write keys (it does not implement IControlStore); keys come from configuration only.");

    private static bool IsProjectName(string name)
    {
        if (name.Length is 0 or > 100) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        }

        return true;
    }

    /// <summary>Earliest date a report query may name (stored times are Unix milliseconds).</summary>
    internal static readonly DateTimeOffset EarliestQueryTime = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Latest date a report query may name.</summary>
    internal static readonly DateTimeOffset LatestQueryTime = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Longest <c>project</c> or <c>event</c> filter.</summary>
    internal const int MaxFilterLength = 200;

    private static bool TryQuery(HttpContext context, out ReportQuery query, out IResult? error)
    {
        var q = context.Request.Query;
        var to = DateTimeOffset.UtcNow;
        DateTimeOffset? from = null;
        error = null;
        query = null!;
        const string range = " between 1970-01-01 and 3000-01-01";
        if (q.TryGetValue("to", out var toText) && !TryTime(toText, out to))
        {
            error = Problem(context, 400, "bad-query", "Bad query", "'to' must be one ISO 8601 date or date-time" + range + ".");
            return false;
        }

        if (q.TryGetValue("from", out var fromText))
        {
            if (!TryTime(fromText, out var f))
            {
                error = Problem(context, 400, "bad-query", "Bad query", "'from' must be one ISO 8601 date or date-time" + range + ".");
                return false;
            }

            from = f;
        }

        var start = from ?? (to - EarliestQueryTime < TimeSpan.FromDays(1) ? EarliestQueryTime : to.AddDays(-1));
        if (start > to)
        {
            error = Problem(context, 400, "bad-query", "Bad query", "'from' must not be after 'to'.");
            return false;
        }

        foreach (var name in new[] { "project", "event" })
        {
            if (q.TryGetValue(name, out var v) && (v.Count > 1 || (v.Count == 1 && v[0] is { Length: > MaxFilterLength })))
            {
                error = Problem(context, 400, "bad-query", "Bad query", "'" + name + "' must be given once, at most " + MaxFilterLength + " characters.");
                return false;
            }
        }

        query = new ReportQuery(start, to, Optional(q, "project"), Optional(q, "event"));
        return true;
    }

    private static string? Optional(IQueryCollection q, string name) => q.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    private static bool TryTime(Microsoft.Extensions.Primitives.StringValues values, out DateTimeOffset value)
    {
        value = default;
        return values.Count == 1 && values[0] is { Length: > 0 and <= 64 } text &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value) &&
            value >= EarliestQueryTime && value <= LatestQueryTime;
    }

    /// <summary>The route template of the request (<c>/admin/users/{id}</c>), never the path with its values.</summary>
    internal static string RouteTemplate(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint route ? "/" + route.RoutePattern.RawText?.TrimStart('/') : "(no route)";

    internal static IResult Problem(HttpContext context, int status, string code, string title, string detail) =>
        Results.Json(new Dictionary<string, object?>
        {
            ["type"] = ProblemDetailsWriter.TypePrefix + code,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = RouteTemplate(context),
        }, Json, ProblemDetailsWriter.ContentType, status);
}
