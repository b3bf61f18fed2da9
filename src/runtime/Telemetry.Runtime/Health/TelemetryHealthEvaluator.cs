using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>The verdict of the client health rules.</summary>
public enum TelemetryHealthStatus
{
    /// <summary>Delivering normally.</summary>
    Healthy,
    /// <summary>Delivery is failing or falling behind; nothing lost yet, or only a little.</summary>
    Degraded,
    /// <summary>Events are about to be lost, or delivery has failed repeatedly.</summary>
    Unhealthy,
}

/// <summary>
/// Applies <see cref="TelemetryHealthOptions"/> to <see cref="TelemetryHealthSnapshot"/>s. Remembers the drop count of
/// the previous evaluation, so "new drops" means "since the last check". Thread-safe.
/// </summary>
internal sealed class TelemetryHealthEvaluator
{
    private readonly TelemetryHealthOptions _options;
    private long _lastDropped;

    /// <summary>Creates an evaluator.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public TelemetryHealthEvaluator(TelemetryHealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate();
        if (failures.Count > 0) throw new ArgumentException("Invalid telemetry health options: " + string.Join(" ", failures), nameof(options));
        _options = options;
    }

    /// <summary>The status of <paramref name="s"/> and the reasons for anything but healthy.</summary>
    public (TelemetryHealthStatus Status, IReadOnlyList<string> Reasons) Evaluate(TelemetryHealthSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var status = TelemetryHealthStatus.Healthy;
        var reasons = new List<string>();
        void Raise(TelemetryHealthStatus level, string reason)
        {
            if (level > status) status = level;
            reasons.Add(reason);
        }

        var c = CultureInfo.InvariantCulture;
        if (s.ConsecutiveFailures >= _options.UnhealthyFailures) Raise(TelemetryHealthStatus.Unhealthy, string.Format(c, "{0} consecutive delivery failures (unhealthy at {1})", s.ConsecutiveFailures, _options.UnhealthyFailures));
        else if (s.ConsecutiveFailures >= _options.DegradedFailures) Raise(TelemetryHealthStatus.Degraded, string.Format(c, "{0} consecutive delivery failure(s)", s.ConsecutiveFailures));

        var fill = s.QueueFill;
        if (fill >= _options.UnhealthyQueueFill) Raise(TelemetryHealthStatus.Unhealthy, string.Format(c, "queue {0:P0} full (unhealthy at {1:P0})", fill, _options.UnhealthyQueueFill));
        else if (fill >= _options.DegradedQueueFill) Raise(TelemetryHealthStatus.Degraded, string.Format(c, "queue {0:P0} full (degraded at {1:P0})", fill, _options.DegradedQueueFill));

        if (s.OldestEventAge is { } age)
        {
            if (age >= _options.UnhealthyOldestEventAge) Raise(TelemetryHealthStatus.Unhealthy, string.Format(c, "oldest queued event is {0:c} old (unhealthy at {1:c})", Round(age), _options.UnhealthyOldestEventAge));
            else if (age >= _options.DegradedOldestEventAge) Raise(TelemetryHealthStatus.Degraded, string.Format(c, "oldest queued event is {0:c} old (degraded at {1:c})", Round(age), _options.DegradedOldestEventAge));
        }

        if (s.QueueDepth > 0)
        {
            var since = s.Time - (s.LastSuccessfulDelivery ?? s.Started);
            if (since >= _options.DegradedSinceLastDelivery) Raise(TelemetryHealthStatus.Degraded, string.Format(c, "no successful delivery for {0:c} with events queued", Round(since)));
        }

        var previous = Interlocked.Exchange(ref _lastDropped, s.Dropped);
        if (_options.DegradedOnNewDrops && s.Dropped > previous)
        {
            Raise(TelemetryHealthStatus.Degraded, string.Format(c, "{0} event(s) dropped since the previous check", s.Dropped - previous));
        }

        return (status, reasons);
    }

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Floor(t.TotalSeconds));
}
