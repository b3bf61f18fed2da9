using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// Settings of error capture (<see cref="TelemetryOptions.Errors"/>). The defaults follow the product's error
/// tracking design: 50 breadcrumbs, unhandled exceptions captured. docs/errors.md has the table.
/// </summary>
public sealed class ErrorTrackingOptions
{
    /// <summary>Largest <see cref="MaxBreadcrumbs"/> (the wire schema allows this many).</summary>
    public const int BreadcrumbLimit = 100;

    /// <summary>Capture <see cref="AppDomain.UnhandledException"/> and <see cref="System.Threading.Tasks.TaskScheduler.UnobservedTaskException"/> while the pipeline runs.</summary>
    public bool CaptureUnhandledExceptions { get; set; } = true;

    /// <summary>Breadcrumbs kept (the last Track calls with their non-personal properties, and logged warnings/errors), 0..100; 0 turns them off.</summary>
    public int MaxBreadcrumbs { get; set; } = 50;

    /// <summary>Most exceptions of one chain kept (inner and aggregate exceptions, depth-first), 1..16.</summary>
    public int MaxExceptions { get; set; } = 8;

    /// <summary>Deepest inner-exception nesting followed, 1..16.</summary>
    public int MaxDepth { get; set; } = 5;

    /// <summary>Most stack frames kept per exception, 1..200.</summary>
    public int MaxFramesPerException { get; set; } = 50;

    /// <summary>App frames (outside <see cref="FrameworkNamespaces"/>) that make up the fingerprint, 1..20.</summary>
    public int FingerprintFrames { get; set; } = 5;

    /// <summary>Errors with one fingerprint sent per <see cref="RateLimitWindow"/>; the rest are counted and reported with the next one sent.</summary>
    public int RateLimitPerWindow { get; set; } = 10;

    /// <summary>The rate limit's window.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Namespace prefixes whose frames are not the app's own code (they never enter the fingerprint unless no app frame exists).</summary>
    public IList<string> FrameworkNamespaces { get; set; } = new List<string> { "System.", "Microsoft.", "Internal.", "Telemetry.Runtime.", "Telemetry.Ingest.", "Npgsql.", "Newtonsoft." };

    /// <summary>A custom fingerprint for an exception (null: the computed one). Applied before the rate limit.</summary>
    public Func<Exception, string?>? Fingerprint { get; set; }

    internal void Validate(List<string> failures)
    {
        Check(failures, nameof(MaxBreadcrumbs), MaxBreadcrumbs, 0, BreadcrumbLimit);
        Check(failures, nameof(MaxExceptions), MaxExceptions, 1, 16);
        Check(failures, nameof(MaxDepth), MaxDepth, 1, 16);
        Check(failures, nameof(MaxFramesPerException), MaxFramesPerException, 1, 200);
        Check(failures, nameof(FingerprintFrames), FingerprintFrames, 1, 20);
        Check(failures, nameof(RateLimitPerWindow), RateLimitPerWindow, 1, 100_000);
        if (RateLimitWindow < TimeSpan.FromSeconds(1) || RateLimitWindow > TimeSpan.FromDays(1))
        {
            failures.Add($"Errors.RateLimitWindow must be between 00:00:01 and 1.00:00:00 (got {RateLimitWindow}).");
        }

        if (FrameworkNamespaces is null) failures.Add("Errors.FrameworkNamespaces must not be null.");
    }

    private static void Check(List<string> failures, string name, int value, int min, int max)
    {
        if (value < min || value > max) failures.Add($"Errors.{name} must be between {min} and {max} (got {value}).");
    }
}
