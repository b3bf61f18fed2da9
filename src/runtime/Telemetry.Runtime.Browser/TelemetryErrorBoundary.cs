using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Telemetry.Runtime.Browser;

/// <summary>
/// A Blazor <see cref="ErrorBoundary"/> that also reports what it catches: an exception thrown while its child content
/// renders or handles an event is captured through <c>CaptureException</c> as <c>error.captured</c> with mechanism
/// <c>error_boundary</c> (handled: the boundary shows its <see cref="ErrorBoundaryBase.ErrorContent"/> instead of
/// taking the app down), with the breadcrumbs of the Track calls before it and the tag <c>boundary</c>
/// (<see cref="Name"/>). Use it where an <c>ErrorBoundary</c> would go, for example around <c>@Body</c> in the layout
/// or around the <c>RouteView</c>; Blazor's own error logging still runs.
/// </summary>
public class TelemetryErrorBoundary : ErrorBoundary
{
    /// <summary>The client errors are captured through (the pipeline that <c>AddTelemetry</c> registered).</summary>
    [Inject]
    public ITelemetryClient Telemetry { get; set; } = default!;

    /// <summary>Names this boundary in the <c>boundary</c> tag; default <c>app</c>.</summary>
    [Parameter]
    public string Name { get; set; } = "app";

    /// <summary>Severity of the captured errors; default <see cref="ErrorLevel.Error"/>.</summary>
    [Parameter]
    public ErrorLevel Level { get; set; } = ErrorLevel.Error;

    /// <summary>The result of the last capture (tests, diagnostics); null until the boundary caught something.</summary>
    public ErrorCaptureResult? LastCapture { get; private set; }

    /// <inheritdoc/>
    protected override Task OnErrorAsync(Exception exception)
    {
        try
        {
            LastCapture = Telemetry.CaptureException(exception, ErrorMechanism.ErrorBoundary, handled: true, Level, [new KeyValuePair<string, string>("boundary", Name)]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Reporting must never turn a caught error into an uncaught one.
        }

        return base.OnErrorAsync(exception);
    }
}
