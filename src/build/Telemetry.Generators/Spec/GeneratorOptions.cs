using Telemetry.Catalog.Model;

namespace Telemetry.Generators;

/// <summary>Generator-wide options read from MSBuild properties.</summary>
/// <param name="Namespace">Value of <c>TelemetryNamespace</c> or <c>Telemetry.Events</c>.</param>
/// <param name="ConstraintPolicy">Value of <c>TelemetryConstraintPolicy</c>, or its default for the configuration.</param>
internal sealed record GeneratorOptions(string Namespace, ConstraintPolicy ConstraintPolicy);

/// <summary>What generated code does with a value that breaks a catalog constraint (MSBuild <c>TelemetryConstraintPolicy</c>).</summary>
internal enum ConstraintPolicy
{
    /// <summary>Drop the event, count it as <c>dropped{reason="constraint"}</c> and log once per event and property.</summary>
    Report,
    /// <summary>Throw <see cref="System.ArgumentOutOfRangeException"/> naming the event, the property and the rule.</summary>
    Throw,
}

/// <summary>Reads <c>TelemetryConstraintPolicy</c>: <c>Throw</c> or <c>Report</c>; by default Throw in the Debug configuration, Report otherwise.</summary>
internal static class ConstraintPolicies
{
    public static ConstraintPolicy Resolve(string? policy, string? configuration)
    {
        var p = policy?.Trim();
        if (string.Equals(p, "Throw", System.StringComparison.OrdinalIgnoreCase)) return ConstraintPolicy.Throw;
        if (string.Equals(p, "Report", System.StringComparison.OrdinalIgnoreCase)) return ConstraintPolicy.Report;
        return string.Equals(configuration?.Trim(), "Debug", System.StringComparison.OrdinalIgnoreCase) ? ConstraintPolicy.Throw : ConstraintPolicy.Report;
    }
}

/// <summary>A catalog file's path and text, read from an AdditionalFile marked as a catalog.</summary>
internal sealed record CatalogText(string Path, string Text);

/// <summary>Names across all files: which events are defined more than once, and each file's hint name.</summary>
/// <param name="DuplicateOwners">"path|event" pairs an event should be skipped in.</param>
/// <param name="HintNames">"path|hint" pairs.</param>
/// <param name="Registry">The descriptors listed in TelemetryCatalog.g.cs: (type name, lifecycle) per event.</param>
/// <param name="ClassOwners">"Telemetry|path" and "Metrics|path": the first file (by path) of each feature that generates that class.</param>
internal sealed record CatalogIndex(EquatableArray<string> DuplicateOwners, EquatableArray<string> HintNames, EquatableArray<string> Registry, EquatableArray<string> ClassOwners);
