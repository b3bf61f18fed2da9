using System;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Telemetry.Ingest.Ingestion;

/// <summary>Writes RFC 9457 problem documents (<c>application/problem+json</c>); types are <c>urn:telemetry:ingest:&lt;code&gt;</c>.</summary>
internal static class ProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";
    public const string TypePrefix = "urn:telemetry:ingest:";

    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string detail, TimeSpan? retryAfter = null, Action<Utf8JsonWriter>? extra = null)
    {
        var response = context.Response;
        if (response.HasStarted) return;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("type", TypePrefix + code);
        writer.WriteString("title", title);
        writer.WriteNumber("status", status);
        writer.WriteString("detail", detail);
        writer.WriteString("instance", context.Request.Path.Value);
        writer.WriteString("trace_id", Operations.IngestTracing.TraceIdOf(context));
        extra?.Invoke(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
