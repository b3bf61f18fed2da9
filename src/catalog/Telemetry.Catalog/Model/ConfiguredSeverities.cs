using System.Collections.Generic;

namespace Telemetry.Catalog.Model;

/// <summary>A severity the project sets for one diagnostic id; <see cref="Severity"/> null: suppressed (<c>none</c>).</summary>
public readonly record struct ConfiguredSeverity(string Id, CatalogSeverity? Severity);

/// <summary>
/// The severities a project sets for catalog diagnostics (<c>dotnet_diagnostic.TELxxxx.severity</c> in a
/// <c>.globalconfig</c>, <c>&lt;NoWarn&gt;</c>, <c>&lt;WarningsAsErrors&gt;</c>), value-equatable for the generator's cache.
/// They decide, like the compiler does for the analyzer's diagnostics, whether a file has errors and so is not generated.
/// </summary>
public sealed record ConfiguredSeverities(EquatableArray<ConfiguredSeverity> Items)
{
    /// <summary>Nothing configured: every diagnostic has its default severity.</summary>
    public static ConfiguredSeverities None { get; } = new(EquatableArray<ConfiguredSeverity>.Empty);

    /// <summary>The severity <paramref name="diagnostic"/> is reported at; null when suppressed.</summary>
    public CatalogSeverity? SeverityOf(CatalogDiagnostic diagnostic)
    {
        foreach (var item in Items)
        {
            if (item.Id == diagnostic.Id) return item.Severity;
        }

        return diagnostic.Severity;
    }

    /// <summary>
    /// True when <paramref name="diagnostic"/> keeps its file from being generated: an error at the configured severity.
    /// The structure diagnostics (category <see cref="DiagnosticTable.CatalogCategory"/>, TEL0001-TEL0005) always do,
    /// whatever their configured severity: the model of such a file is incomplete.
    /// </summary>
    public bool BlocksGeneration(CatalogDiagnostic diagnostic)
    {
        var info = DiagnosticTable.Find(diagnostic.Id);
        if (info is null || info.Category == DiagnosticTable.CatalogCategory) return diagnostic.Severity == CatalogSeverity.Error;
        return SeverityOf(diagnostic) == CatalogSeverity.Error;
    }

    /// <summary>Severities from (id, severity) pairs, in id order.</summary>
    public static ConfiguredSeverities From(IEnumerable<ConfiguredSeverity> items)
    {
        var list = new List<ConfiguredSeverity>(items);
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list.Count == 0 ? None : new ConfiguredSeverities(list.ToEquatableArray());
    }
}
