using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary><c>telemetry.CaptureException(...)</c>: reports an exception as the reserved <c>error.captured</c> event.</summary>
public static class TelemetryErrorExtensions
{
    /// <summary>
    /// Captures <paramref name="exception"/>: its chain (inner and aggregate exceptions, bounded), frames, the last
    /// breadcrumbs and <paramref name="tags"/>, all scrubbed, grouped by a fingerprint (or <paramref name="fingerprint"/>)
    /// and rate limited per fingerprint. Safe to call from a catch block: it does not throw for bad tags (keys are
    /// reduced to <c>[a-z0-9_.-]</c>) and does no I/O. docs/errors.md explains each step.
    /// </summary>
    public static ErrorCaptureResult CaptureException(
        this ITelemetryClient telemetry,
        Exception exception,
        ErrorLevel level = ErrorLevel.Error,
        IEnumerable<KeyValuePair<string, string>>? tags = null,
        string? fingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(exception);
        return ErrorTracker.For(telemetry).Capture(telemetry, exception, level, tags, ErrorMechanism.Manual, handled: true, fingerprint);
    }

    /// <summary>Captures <paramref name="exception"/> with an explicit <paramref name="mechanism"/> (for hooks such as the ASP.NET Core exception handler).</summary>
    public static ErrorCaptureResult CaptureException(
        this ITelemetryClient telemetry,
        Exception exception,
        ErrorMechanism mechanism,
        bool handled,
        ErrorLevel level = ErrorLevel.Error,
        IEnumerable<KeyValuePair<string, string>>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(exception);
        return ErrorTracker.For(telemetry).Capture(telemetry, exception, level, tags, mechanism, handled);
    }
}
