using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Forwarding;
using Telemetry.Ingest.Security;

namespace Telemetry.Ingest.Dashboard;

/// <summary>
/// The dashboard's routes under <c>/dashboard</c>: the sign-in form (admin key only; a write key is refused), sign-out,
/// the six views, the live overview's JSON and the embedded stylesheet and script. Every page but the sign-in form
/// needs the session cookie; the POSTs need an antiforgery token. Responses are never cached and carry a strict
/// Content-Security-Policy (same-origin script and style only, no framing).
/// </summary>
internal static class DashboardEndpoints
{
    internal const string Root = "/dashboard";
    internal const string LiveUrl = "/api/live";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Root).ExcludeFromDescription();
        group.MapGet("/login", (RequestDelegate)LoginPageAsync);
        group.MapPost("/login", (RequestDelegate)LoginAsync).DisableAntiforgery();
        group.MapPost("/logout", (RequestDelegate)LogoutAsync).DisableAntiforgery();
        group.MapGet("/assets/{file}", Asset);

        group.MapGet("", (RequestDelegate)(c => PageAsync(c, Render(DashboardPages.OverviewAsync))));
        group.MapGet("/coverage", (RequestDelegate)(c => PageAsync(c, Coverage)));
        group.MapGet("/validation", (RequestDelegate)(c => PageAsync(c, Validation)));
        group.MapGet("/events", (RequestDelegate)(c => PageAsync(c, Render(DashboardPages.EventIndexAsync))));
        group.MapGet("/events/{name}", (RequestDelegate)(c => PageAsync(c, Event)));
        group.MapGet("/cost", (RequestDelegate)(c => PageAsync(c, Render(DashboardPages.CostAsync))));
        group.MapGet("/heatmap", (RequestDelegate)(c => PageAsync(c, Render(DashboardPages.HeatmapAsync))));
        group.MapGet("/errors", (RequestDelegate)(c => PageAsync(c, Errors)));
        group.MapPost("/errors/resolve", (RequestDelegate)(c => ErrorActionAsync(c, resolve: true))).DisableAntiforgery();
        group.MapPost("/errors/reopen", (RequestDelegate)(c => ErrorActionAsync(c, resolve: false))).DisableAntiforgery();
        group.MapGet(LiveUrl, (RequestDelegate)LiveAsync);
    }

    private static Func<PageContext, CancellationToken, Task<string>> Render(Func<PageContext, CancellationToken, Task<string>> render) => render;

    private static Task<string> Coverage(PageContext p, CancellationToken ct) => DashboardPages.CoverageAsync(p, Days(p.Http), ct);

    private static Task<string> Validation(PageContext p, CancellationToken ct) => DashboardPages.ValidationAsync(p, Days(p.Http), ct);

    private static Task<string> Event(PageContext p, CancellationToken ct) => DashboardPages.EventAsync(p, p.Http.Request.RouteValues["name"]?.ToString() ?? "", ct);

    private static Task<string> Errors(PageContext p, CancellationToken ct) => DashboardPages.ErrorsAsync(p, ErrorStatus(p.Http.Request.Query["status"].ToString()), ct);

    private static string ErrorStatus(string? value) => value is "resolved" or "all" ? value : "open";

    private static int Days(HttpContext context) => context.Request.Query["days"].ToString() switch
    {
        "1" => 1,
        "30" => 30,
        _ => 7,
    };

    private static void SecurityHeaders(HttpContext context)
    {
        var h = context.Response.Headers;
        h.CacheControl = "no-store";
        h.Pragma = "no-cache";
        h["X-Content-Type-Options"] = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h["X-Frame-Options"] = "DENY";
        h.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    private static string? CurrentAdminKey(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value.AdminKey;

    /// <summary>The session id when the request carries a valid session; also sets <see cref="HttpContext.User"/> for antiforgery.</summary>
    private static string? Authenticate(HttpContext context)
    {
        var session = context.RequestServices.GetRequiredService<DashboardSession>().Validate(context, CurrentAdminKey(context));
        if (session is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim(ClaimTypes.Name, "dashboard-session:" + session) }, "TelemetryDashboard"));
        }

        return session;
    }

    private static async Task PageAsync(HttpContext context, Func<PageContext, CancellationToken, Task<string>> render)
    {
        SecurityHeaders(context);
        if (Authenticate(context) is null)
        {
            context.Response.Redirect(context.Request.PathBase + Root + "/login", permanent: false);
            return;
        }

        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var page = new PageContext(context, context.RequestServices.GetRequiredService<DashboardData>(),
            context.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value, tokens);
        var html = await render(page, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = page.Status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task LoginPageAsync(HttpContext context)
    {
        SecurityHeaders(context);
        if (Authenticate(context) is not null)
        {
            context.Response.Redirect(context.Request.PathBase + Root, permanent: false);
            return;
        }

        await WriteLoginAsync(context, 200, null).ConfigureAwait(false);
    }

    private static async Task WriteLoginAsync(HttpContext context, int status, string? error)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(DashboardPages.Login(context.Request.PathBase + Root, tokens, error, DashboardSession.IsLoopbackHttp(context) || context.Request.IsHttps), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task LoginAsync(HttpContext context)
    {
        SecurityHeaders(context);
        if (!context.Request.IsHttps && !DashboardSession.IsLoopbackHttp(context))
        {
            await WriteLoginAsync(context, 400, "Sign-in needs HTTPS: the session cookie is Secure except on a loopback address.").ConfigureAwait(false);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await WriteLoginAsync(context, 400, "Sign in with the form.").ConfigureAwait(false);
            return;
        }

        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            await WriteLoginAsync(context, 400, "The form expired or did not come from this page; try again.").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var presented = form["key"].ToString().Trim();
        var keys = context.RequestServices.GetRequiredService<KeyRing>();
        var adminKey = CurrentAdminKey(context);
        if (adminKey is null || keys.CheckAdminKey(presented) != KeyCheck.Valid)
        {
            // The same answer for a write key, a wrong key and no key; a short pause slows guessing.
            await Task.Delay(TimeSpan.FromMilliseconds(300), context.RequestAborted).ConfigureAwait(false);
            await WriteLoginAsync(context, 401, "That key does not open the dashboard. Use the server's admin key.").ConfigureAwait(false);
            return;
        }

        context.RequestServices.GetRequiredService<DashboardSession>().SignIn(context, adminKey);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = context.Request.PathBase + Root;
    }

    private static async Task LogoutAsync(HttpContext context)
    {
        SecurityHeaders(context);
        Authenticate(context);
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Sign-out needs the form's antiforgery token.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        DashboardSession.SignOut(context);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = context.Request.PathBase + Root + "/login";
    }

    /// <summary>
    /// <c>POST /dashboard/errors/resolve</c> and <c>.../reopen</c>: a signed-in form post with the antiforgery token, naming
    /// the issue by project and fingerprint; answers 303 back to the errors view.
    /// </summary>
    private static async Task ErrorActionAsync(HttpContext context, bool resolve)
    {
        SecurityHeaders(context);
        if (Authenticate(context) is null)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = context.Request.PathBase + Root + "/login";
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await PlainAsync(context, StatusCodes.Status400BadRequest, "Use the form on the errors view.").ConfigureAwait(false);
            return;
        }

        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            await PlainAsync(context, StatusCodes.Status400BadRequest, "The form expired or did not come from this dashboard; reload the errors view and try again.").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var project = form["project"].ToString();
        var fingerprint = form["fingerprint"].ToString();
        if (context.RequestServices.GetService<Errors.IErrorIssueStore>() is not { } store)
        {
            await PlainAsync(context, StatusCodes.Status501NotImplemented, "The configured event store does not keep error issues.").ConfigureAwait(false);
            return;
        }

        var known = resolve
            ? await store.ResolveIssueAsync(project, fingerprint, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), context.RequestAborted).ConfigureAwait(false)
            : await store.ReopenIssueAsync(project, fingerprint, context.RequestAborted).ConfigureAwait(false);
        if (!known)
        {
            await PlainAsync(context, StatusCodes.Status404NotFound, "No error issue has that project and fingerprint.").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = context.Request.PathBase + Root + "/errors?status=" + Uri.EscapeDataString(ErrorStatus(form["status"].ToString()));
    }

    private static async Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task LiveAsync(HttpContext context)
    {
        SecurityHeaders(context);
        if (Authenticate(context) is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var values = DashboardPages.LiveValues(context.RequestServices);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("updated", DateTimeOffset.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC");
        writer.WriteStartObject("values");
        foreach (var (key, value) in values) writer.WriteString(key, value);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static IResult Asset(HttpContext context, string file)
    {
        SecurityHeaders(context);
        var type = file switch
        {
            "dashboard.css" => "text/css; charset=utf-8",
            "live.js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        if (type is null) return Results.NotFound();
        var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Telemetry.Ingest.Dashboard.Assets." + file);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}

/// <summary>What a page renderer gets: the request, the data, the options and the antiforgery tokens for its forms.</summary>
internal sealed class PageContext
{
    public PageContext(HttpContext http, DashboardData data, DashboardOptions options, AntiforgeryTokenSet tokens)
    {
        Http = http;
        Data = data;
        Options = options;
        Tokens = tokens;
        Base = http.Request.PathBase + DashboardEndpoints.Root;
    }

    public HttpContext Http { get; }

    public DashboardData Data { get; }

    public DashboardOptions Options { get; }

    public AntiforgeryTokenSet Tokens { get; }

    /// <summary>The dashboard's URL prefix (path base included).</summary>
    public string Base { get; }

    /// <summary>HTTP status of the page (404 for an unknown event).</summary>
    public int Status { get; set; } = 200;
}
