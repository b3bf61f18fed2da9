using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// Thresholds of <see cref="TelemetryHealthCheck"/> and the optional periodic <c>client.health</c> event. The
/// defaults follow the product's health design: three consecutive failures make the client unhealthy, one makes it
/// degraded, and a report interval of 60 seconds. docs/errors.md has the table.
/// </summary>
public sealed class TelemetryHealthOptions
{
    /// <summary>Consecutive failed deliveries that make the client degraded.</summary>
    public int DegradedFailures { get; set; } = 1;

    /// <summary>Consecutive failed deliveries that make the client unhealthy.</summary>
    public int UnhealthyFailures { get; set; } = 3;

    /// <summary>Queue fill (of its row or byte bound, whichever is fuller) that makes the client degraded.</summary>
    public double DegradedQueueFill { get; set; } = 0.8;

    /// <summary>Queue fill that makes the client unhealthy (the queue is about to evict events).</summary>
    public double UnhealthyQueueFill { get; set; } = 0.95;

    /// <summary>Age of the oldest queued event that makes the client degraded.</summary>
    public TimeSpan DegradedOldestEventAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Age of the oldest queued event that makes the client unhealthy.</summary>
    public TimeSpan UnhealthyOldestEventAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>With events queued, time since the last successful delivery (or since start) that makes the client degraded.</summary>
    public TimeSpan DegradedSinceLastDelivery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>New drops since the previous check make the client degraded.</summary>
    public bool DegradedOnNewDrops { get; set; } = true;

    /// <summary>Send a <c>client.health</c> event every <see cref="ReportInterval"/> (off by default).</summary>
    public bool ReportEvents { get; set; }

    /// <summary>Interval of the <c>client.health</c> event.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The problems in these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (DegradedFailures < 1) failures.Add($"DegradedFailures must be at least 1 (got {DegradedFailures}).");
        if (UnhealthyFailures < DegradedFailures) failures.Add($"UnhealthyFailures ({UnhealthyFailures}) must be at least DegradedFailures ({DegradedFailures}).");
        if (!(DegradedQueueFill is > 0 and <= 1)) failures.Add($"DegradedQueueFill must be in (0, 1] (got {DegradedQueueFill}).");
        if (!(UnhealthyQueueFill is > 0 and <= 1) || UnhealthyQueueFill < DegradedQueueFill) failures.Add($"UnhealthyQueueFill must be in (0, 1] and at least DegradedQueueFill (got {UnhealthyQueueFill}).");
        if (DegradedOldestEventAge <= TimeSpan.Zero || UnhealthyOldestEventAge < DegradedOldestEventAge) failures.Add("DegradedOldestEventAge must be positive and UnhealthyOldestEventAge at least as long.");
        if (DegradedSinceLastDelivery <= TimeSpan.Zero) failures.Add("DegradedSinceLastDelivery must be positive.");
        if (ReportInterval < TimeSpan.FromSeconds(1) || ReportInterval > TimeSpan.FromDays(1)) failures.Add($"ReportInterval must be between 00:00:01 and 1.00:00:00 (got {ReportInterval}).");
        return failures;
    }
}
