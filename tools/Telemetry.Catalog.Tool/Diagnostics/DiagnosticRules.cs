using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tool.Diagnostics;

/// <summary>A catalog diagnostic id as a SARIF rule: the analyzer's title and default severity.</summary>
internal sealed record DiagnosticRule(string Id, string Title, CatalogSeverity DefaultSeverity)
{
    public string HelpUri => DiagnosticIds.HelpLink(Id);
}

/// <summary>
/// The catalog diagnostics the tool can report (ids from <see cref="DiagnosticIds"/>; titles as the analyzers'
/// descriptors word them, so the IDE, <c>dotnet build</c> and SARIF viewers say the same).
/// </summary>
internal static class DiagnosticRules
{
    public static readonly IReadOnlyList<DiagnosticRule> All = new[]
    {
        new DiagnosticRule(DiagnosticIds.InvalidYaml, "Catalog YAML does not parse", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.InvalidStructure, "Catalog key is unknown, mistyped or missing", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.InvalidName, "Catalog name breaks the naming rule", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.DuplicateEvent, "Catalog event defined twice", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.InvalidType, "Catalog type or constraint is invalid", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.UnclassifiedPii, "Property looks like personal data but has no pii class", CatalogSeverity.Warning),
        new DiagnosticRule(DiagnosticIds.RawPiiWithoutJustification, "Personal data sent raw without justification", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.SensitiveEventSampled, "Financial or session-sensitive event is sampled", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.UnsampledHighFrequency, "High-frequency event is neither aggregated, local-only nor sampled", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.SampledMetric, "Metric has sampling", CatalogSeverity.Error),
        new DiagnosticRule(DiagnosticIds.BreakingChange, "Breaking catalog change without a version bump", CatalogSeverity.Error),
    };

    /// <summary>The rule of <paramref name="id"/>; an id this table does not know still gets a rule (its help page).</summary>
    public static DiagnosticRule Find(string id)
    {
        foreach (var rule in All)
        {
            if (rule.Id == id) return rule;
        }

        return new DiagnosticRule(id, id, CatalogSeverity.Error);
    }
}
