using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telemetry.Ingest.Admin;

namespace Telemetry.Ingest.Operations;

/// <summary>
/// Request logging without personal data: one line per request naming the method, the route template
/// (<c>/admin/users/{id}</c>, never the path with the id), the status and the time taken. ASP.NET Core's own request
/// lines and request scope (category <c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) carry the path and query, so
/// <c>AddTelemetryIngest</c> turns that category off.
/// </summary>
internal static partial class RequestLogging
{
    /// <summary>The category of the request lines.</summary>
    public const string Category = "Telemetry.Ingest.Requests";

    /// <summary>The ASP.NET Core category whose Information lines name paths (and so user ids).</summary>
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Finished(logger, context.Request.Method, AdminEndpoints.RouteTemplate(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "HTTP {Method} {Route} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void Finished(ILogger logger, string method, string route, int statusCode, double elapsedMs);
}
