using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Telemetry.Ingest.Errors;

/// <summary>
/// <c>GET /admin/errors</c> (issues, filter by <c>project</c>, <c>status</c> open|resolved, <c>limit</c>),
/// <c>GET /admin/errors/{project}/{fingerprint}</c>, <c>POST /admin/errors/{project}/{fingerprint}/resolve</c> and
/// <c>.../reopen</c>. Behind the admin key like every <c>/admin</c> endpoint.
/// </summary>
internal static class ErrorEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Map(RouteGroupBuilder admin, Func<HttpContext, int, string, string, string, IResult> problem)
    {
        admin.MapGet("/errors", async (HttpContext context, CancellationToken ct) =>
        {
            if (Store(context) is not { } store) return NotAvailable(context, problem);
            var q = context.Request.Query;
            var status = q.TryGetValue("status", out var s) ? s.ToString() : null;
            if (status is not (null or "open" or "resolved" or "all"))
            {
                return problem(context, 400, "bad-query", "Bad query", "'status' must be open, resolved or all.");
            }

            var limit = 100;
            if (q.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 1000))
            {
                return problem(context, 400, "bad-query", "Bad query", "'limit' must be an integer from 1 to 1000.");
            }

            var project = q.TryGetValue("project", out var p) ? p.ToString() : null;
            var issues = await store.ListIssuesAsync(new ErrorIssueQuery(project, null, status is "all" ? null : status ?? "open", limit), ct).ConfigureAwait(false);
            return Results.Json(new { status = status ?? "open", count = issues.Count, issues }, Json);
        });

        admin.MapGet("/errors/{project}/{fingerprint}", async (string project, string fingerprint, HttpContext context, CancellationToken ct) =>
        {
            if (Store(context) is not { } store) return NotAvailable(context, problem);
            var issues = await store.ListIssuesAsync(new ErrorIssueQuery(project, fingerprint, null, 1), ct).ConfigureAwait(false);
            return issues.Count == 0 ? NoSuchIssue(context, problem, project, fingerprint) : Results.Json(issues[0], Json);
        });

        admin.MapPost("/errors/{project}/{fingerprint}/resolve", async (string project, string fingerprint, HttpContext context, TimeProvider time, CancellationToken ct) =>
        {
            if (Store(context) is not { } store) return NotAvailable(context, problem);
            var at = time.GetUtcNow();
            if (!await store.ResolveIssueAsync(project, fingerprint, at, ct).ConfigureAwait(false)) return NoSuchIssue(context, problem, project, fingerprint);
            return Results.Json(new { project, fingerprint, status = "resolved", resolved_at = at }, Json);
        });

        admin.MapPost("/errors/{project}/{fingerprint}/reopen", async (string project, string fingerprint, HttpContext context, CancellationToken ct) =>
        {
            if (Store(context) is not { } store) return NotAvailable(context, problem);
            if (!await store.ReopenIssueAsync(project, fingerprint, ct).ConfigureAwait(false)) return NoSuchIssue(context, problem, project, fingerprint);
            return Results.Json(new { project, fingerprint, status = "open" }, Json);
        });
    }

    private static IErrorIssueStore? Store(HttpContext context) => context.RequestServices.GetService<IErrorIssueStore>();

    private static IResult NotAvailable(HttpContext context, Func<HttpContext, int, string, string, string, IResult> problem) =>
        problem(context, 501, "errors-unavailable", "Error issues unavailable", "The configured event store does not keep error issues (the SQLite and PostgreSQL stores do).");

    private static IResult NoSuchIssue(HttpContext context, Func<HttpContext, int, string, string, string, IResult> problem, string project, string fingerprint) =>
        problem(context, 404, "no-such-issue", "No such issue", "No error.captured event of project '" + project + "' has the fingerprint '" + fingerprint + "'.");
}
