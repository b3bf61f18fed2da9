using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Errors;

/// <summary>
/// An ASP.NET Core <see cref="IExceptionHandler"/> that captures every exception the app's exception handler middleware
/// sees as <c>error.captured</c> (mechanism <c>aspnetcore</c>, not handled) with the route pattern and method as tags
/// (the raw path and query string never: they may carry personal data), then lets the next handler write the response.
/// Register with <c>services.AddTelemetryExceptionHandler()</c> and call <c>app.UseExceptionHandler()</c>.
/// </summary>
public sealed class TelemetryExceptionHandler : IExceptionHandler
{
    private readonly ITelemetryClient _telemetry;

    /// <summary>Creates the handler over the app's telemetry client.</summary>
    public TelemetryExceptionHandler(ITelemetryClient telemetry) => _telemetry = telemetry ?? throw new ArgumentNullException(nameof(telemetry));

    /// <inheritdoc/>
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["http.method"] = httpContext.Request.Method };
        if (httpContext.GetEndpoint() is Microsoft.AspNetCore.Routing.RouteEndpoint { RoutePattern.RawText: { } pattern }) tags["http.route"] = pattern;
        try
        {
            _telemetry.CaptureException(exception, ErrorMechanism.AspNetCore, handled: false, ErrorLevel.Error, tags);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Telemetry must never change how the app answers.
        }

        return ValueTask.FromResult(false);
    }
}
