using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// What every sink's options share: per-sink event and property mapping, and validation.
/// </summary>
/// <remarks>
/// Mapping lets one event stream reach several providers under each provider's naming:
/// <code>
/// options.EventName = name => name == "debug.ping" ? null : name.Replace('.', ' ');
/// options.PropertyNames["symbol"] = "ticker";   // rename
/// options.PropertyNames["user_bucket"] = null;  // drop
/// </code>
/// </remarks>
public abstract class TelemetrySinkOptions
{
    /// <summary>
    /// Maps a catalog event name to the name this sink sends; returning <see langword="null"/> drops the
    /// event for this sink only (it counts as delivered, not rejected). <see langword="null"/> (the default)
    /// sends catalog names unchanged.
    /// </summary>
    public Func<string, string?>? EventName { get; set; }

    /// <summary>
    /// Renames (value = new name) or drops (value = <see langword="null"/>) properties by name. For the
    /// third-party providers it applies to the whole property bag they receive, including the envelope
    /// fields copied into it (<c>session_id</c>, <c>sampling_rate</c>, ...); for the ingest and console sinks,
    /// whose output is our wire object, it applies to the event's own properties only, never the envelope.
    /// </summary>
    public IDictionary<string, string?> PropertyNames { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem with these options.</summary>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        AddValidationErrors(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {GetType().Name}: {string.Join("; ", errors)}");
        }
    }

    /// <summary>Adds a message per problem to <paramref name="errors"/>; overrides call the base first.</summary>
    /// <param name="errors">Collected problems.</param>
    protected virtual void AddValidationErrors(ICollection<string> errors)
    {
        foreach (var pair in PropertyNames)
        {
            if (string.IsNullOrWhiteSpace(pair.Key)) errors.Add("PropertyNames has an empty property name");
            else if (pair.Value is not null && string.IsNullOrWhiteSpace(pair.Value)) errors.Add($"PropertyNames maps '{pair.Key}' to an empty name (use null to drop it)");
        }
    }
}
