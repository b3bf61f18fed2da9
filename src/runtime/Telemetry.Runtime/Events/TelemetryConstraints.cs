using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Telemetry.Runtime;

/// <summary>
/// Implemented by clients that count and log what the generated Track methods report about catalog constraints
/// (<see cref="TelemetryPipeline"/>, <see cref="JsonTelemetryClient"/>). A client without it ignores the reports.
/// </summary>
internal interface ITelemetryConstraintObserver
{
    /// <summary>
    /// A property value broke its constraint: <paramref name="clamped"/> false means the event was dropped
    /// (counted as <c>dropped{reason="constraint"}</c>), true that the value was clamped and the event kept.
    /// </summary>
    void ConstraintViolated(EventDescriptor descriptor, string property, string rule, bool clamped);
}

/// <summary>
/// Helpers the generated Track methods call to check catalog constraints (ranges, <c>max_length</c>, patterns,
/// item counts, distinct items) on sampled-in calls. Not meant to be called by hand.
/// </summary>
/// <remarks>Serves generated code; not meant to be called by hand.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class TelemetryConstraints
{
    /// <summary>Match timeout of catalog patterns, as on the ingest server.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The exception of <c>TelemetryConstraintPolicy=Throw</c>: names the event, the property and the rule.</summary>
    public static ArgumentOutOfRangeException Violation(string eventName, string property, string rule, string parameterName, object? actualValue) =>
        new(parameterName, actualValue,
            string.Format(CultureInfo.InvariantCulture, "Event '{0}', property '{1}': the value breaks the catalog constraint {2}.", eventName, property, rule));

    /// <summary>Reports a dropped event (<c>TelemetryConstraintPolicy=Report</c>) to the client, when it observes constraints.</summary>
    public static void Dropped(ITelemetryClient client, EventDescriptor descriptor, string property, string rule)
    {
        if (client is ITelemetryConstraintObserver observer) observer.ConstraintViolated(descriptor, property, rule, clamped: false);
    }

    /// <summary>Reports a clamped value (<c>on_violation: clamp</c>) to the client, when it observes constraints.</summary>
    public static void Clamped(ITelemetryClient client, EventDescriptor descriptor, string property, string rule)
    {
        if (client is ITelemetryConstraintObserver observer) observer.ConstraintViolated(descriptor, property, rule, clamped: true);
    }

    /// <summary>
    /// <c>TelemetryConstraintPolicy=Report</c>'s <c>max_length</c> check in one call: true, with the event reported dropped
    /// (<see cref="Dropped"/>), when <paramref name="value"/> is longer than <paramref name="maxLength"/> (<see cref="TooLong"/>).
    /// </summary>
    public static bool DropTooLong(ITelemetryClient client, EventDescriptor descriptor, string property, string? value, int maxLength)
    {
        if (!TooLong(value, maxLength)) return false;
        Dropped(client, descriptor, property, "max_length " + maxLength.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>
    /// True when <paramref name="value"/> has more than <paramref name="maxLength"/> characters, counted as Unicode code
    /// points like JSON Schema's <c>maxLength</c> (a surrogate pair is one character).
    /// </summary>
    public static bool TooLong(string? value, int maxLength) => Telemetry.Wire.TextLength.Exceeds(value, maxLength);

    /// <summary><paramref name="value"/> cut to <paramref name="maxLength"/> code points, never splitting a surrogate pair.</summary>
    public static string Truncate(string value, int maxLength)
    {
        if (!TooLong(value, maxLength)) return value;
        var points = 0;
        var i = 0;
        while (i < value.Length && points < maxLength)
        {
            i += char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            points++;
        }

        return value.Substring(0, i);
    }

    /// <summary>A catalog pattern, compiled once (the generated code keeps it in a static field).</summary>
    public static Regex Pattern(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternTimeout);

    /// <summary>True when <paramref name="value"/> matches; a match that times out counts as no match.</summary>
    public static bool Matches(Regex pattern, string? value)
    {
        if (value is null) return true;
        try
        {
            return pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>True when two items of <paramref name="items"/> are equal (<c>unique_items</c>).</summary>
    public static bool HasDuplicates<T>(IReadOnlyList<T>? items)
    {
        if (items is null || items.Count < 2) return false;
        if (items.Count <= 8)
        {
            var cmp = EqualityComparer<T>.Default;
            for (var i = 1; i < items.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (cmp.Equals(items[i], items[j])) return true;
                }
            }

            return false;
        }

        var seen = new HashSet<T>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.Add(items[i])) return true;
        }

        return false;
    }
}

/// <summary>Remembers which (event, property) pairs were logged, so a constraint problem is logged once, however often it happens.</summary>
internal sealed class ConstraintLogOnce
{
    private const int MaxRemembered = 4096;
    private readonly ConcurrentDictionary<(string Event, string Property), byte> _logged = new();

    public bool First(string eventName, string property) =>
        _logged.Count < MaxRemembered && _logged.TryAdd((eventName, property), 0);
}
