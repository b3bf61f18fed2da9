using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Telemetry.Ingest.Operations;

/// <summary>
/// Traces of the ingest server: an <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/> with one activity per
/// ingest request (a child of ASP.NET Core's request activity when the host traces; listen with
/// <c>.WithTracing(t => t.AddSource(IngestTracing.ActivitySourceName))</c>), and the W3C trace id problem answers carry.
/// </summary>
public static class IngestTracing
{
    /// <summary>The activity source name.</summary>
    public const string ActivitySourceName = "Telemetry.Ingest";

    /// <summary>The name of the activity around one <c>POST /v1/batch</c> or <c>/api/analytics/agg</c> request.</summary>
    public const string RequestActivityName = "telemetry.ingest.request";

    private const string TraceIdItem = "Telemetry.Ingest.TraceId";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(IngestTracing).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// The W3C trace id (32 hex digits) of the request: the current activity's; else the one in the client's
    /// <c>traceparent</c> header; else a new random one, kept for the rest of the request so every answer names the same id.
    /// </summary>
    public static string TraceIdOf(HttpContext context)
    {
        var current = Activity.Current;
        if (current is not null && current.IdFormat == ActivityIdFormat.W3C) return current.TraceId.ToHexString();
        if (context.Items.TryGetValue(TraceIdItem, out var kept) && kept is string id) return id;
        var traceParent = context.Request.Headers["traceparent"].ToString();
        id = traceParent.Length > 0 && ActivityContext.TryParse(traceParent, context.Request.Headers["tracestate"].ToString(), out var parent)
            ? parent.TraceId.ToHexString()
            : ActivityTraceId.CreateRandom().ToHexString();
        context.Items[TraceIdItem] = id;
        return id;
    }
}
