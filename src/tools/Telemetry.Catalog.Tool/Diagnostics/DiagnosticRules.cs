using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tool.Diagnostics;

/// <summary>A catalog diagnostic id as a SARIF rule: its title and default severity.</summary>
internal sealed record DiagnosticRule(string Id, string Title, CatalogSeverity DefaultSeverity)
{
    public string HelpUri => DiagnosticIds.HelpLink(Id);
}

/// <summary>
/// The catalog diagnostics the tool can report: the catalog library's <see cref="DiagnosticTable"/> rows located in
/// YAML files, so the IDE, <c>dotnet build</c> and SARIF viewers say the same.
/// </summary>
internal static class DiagnosticRules
{
    public static readonly IReadOnlyList<DiagnosticRule> All = DiagnosticTable.All
        .Where(d => d.Source == DiagnosticOrigin.Catalog)
        .Select(d => new DiagnosticRule(d.Id, d.Title, d.DefaultSeverity))
        .ToList();

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
