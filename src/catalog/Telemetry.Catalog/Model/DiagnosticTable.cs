using System;
using System.Collections.Generic;

namespace Telemetry.Catalog.Model;

/// <summary>What finds a diagnostic.</summary>
public enum DiagnosticOrigin
{
    /// <summary>The catalog library, from the catalog files alone: its rules (TEL0001-TEL2002) and the lock check (TEL3001). The tool reports these too.</summary>
    Catalog,
    /// <summary>An analysis of the compilation: the usage analyzers and the compiler (TEL4001-TEL4006).</summary>
    Code,
}

/// <summary>
/// One diagnostic: its id, title, category and default severity (and, for the C# analyzers, message format and
/// description). Defined once in <see cref="DiagnosticTable"/>; the analyzers' descriptors, the tool's SARIF rules
/// and the catalog rules all read it.
/// </summary>
public sealed record DiagnosticInfo(
    string Id,
    string Title,
    string Category,
    CatalogSeverity DefaultSeverity,
    DiagnosticOrigin Source,
    string MessageFormat = "{0}",
    string? Description = null)
{
    /// <summary>The help page of the diagnostic.</summary>
    public string HelpLink => DiagnosticIds.HelpLink(Id);
}

/// <summary>The one table of every diagnostic of the product (ids from <see cref="DiagnosticIds"/>).</summary>
public static class DiagnosticTable
{
    /// <summary>Category of the catalog's structure and type diagnostics.</summary>
    public const string CatalogCategory = "Telemetry.Catalog";
    /// <summary>Category of the personal-data diagnostics.</summary>
    public const string PrivacyCategory = "Telemetry.Privacy";
    /// <summary>Category of the event-volume diagnostics.</summary>
    public const string CostCategory = "Telemetry.Cost";
    /// <summary>Category of the catalog lock diagnostic.</summary>
    public const string CompatibilityCategory = "Telemetry.Compatibility";
    /// <summary>Category of the C# usage diagnostics.</summary>
    public const string UsageCategory = "Telemetry.Usage";

    /// <summary>Every diagnostic, ordered by id.</summary>
    public static readonly IReadOnlyList<DiagnosticInfo> All = new[]
    {
        Catalog(DiagnosticIds.InvalidYaml, "Catalog YAML does not parse", CatalogCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.InvalidStructure, "Catalog key is unknown, mistyped or missing", CatalogCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.InvalidName, "Catalog name breaks the naming rule", CatalogCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.DuplicateEvent, "Catalog event defined twice", CatalogCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.InvalidType, "Catalog type or constraint is invalid", CatalogCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.UnclassifiedPii, "Property looks like personal data but has no pii class", PrivacyCategory, CatalogSeverity.Warning),
        Catalog(DiagnosticIds.RawPiiWithoutJustification, "Personal data sent raw without justification", PrivacyCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.SensitiveEventSampled, "Financial or session-sensitive event is sampled", PrivacyCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.UnsampledHighFrequency, "High-frequency event is neither aggregated, local-only nor sampled", CostCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.SampledMetric, "Metric has sampling", CostCategory, CatalogSeverity.Error),
        Catalog(DiagnosticIds.BreakingChange, "Breaking catalog change without a version bump", CompatibilityCategory, CatalogSeverity.Error),
        new DiagnosticInfo(
            DiagnosticIds.StringNamedTrack,
            "Catalog event tracked by name instead of its generated method",
            UsageCategory, CatalogSeverity.Warning, DiagnosticOrigin.Code,
            "'{0}' tracks catalog event '{1}' by name; call the generated '{2}' instead so the compiler checks its properties",
            "A string-named tracking call bypasses the catalog: property names, types, PII treatments and sampling are not checked. The generated Track method carries them."),
        new DiagnosticInfo(
            DiagnosticIds.UnclassifiedPersonalDataFlow,
            "Personal data passed into an event property that has no pii class",
            PrivacyCategory, CatalogSeverity.Warning, DiagnosticOrigin.Code,
            "'{0}' is personal data ({1}) but is passed as '{2}' of '{3}', whose property '{4}' has no pii class; classify it in the catalog (pii: and treatment:) or pass a value that is not personal data",
            "A property without a pii class is sent as it is. A value from a member marked with a DataClassificationAttribute (such as [PersonalData]) or named like personal data must go into a property whose catalog entry states its pii class and treatment."),
        new DiagnosticInfo(
            DiagnosticIds.HighFrequencyTrack,
            "Unsampled, unaggregated event tracked from a high-frequency context",
            CostCategory, CatalogSeverity.Warning, DiagnosticOrigin.Code,
            "'{0}' (sampling {1}, not aggregated) is tracked {2}, so every call may be sent; track it where it happens at most about once a second, or make it 'frequency: high' with 'aggregate:' or sampling at or below 0.01 in the catalog",
            "Pointer and mouse moves, scrolling, dragging, resizing, per-frame callbacks, fast timers and loops run many times a second. An event tracked there at a sampling rate above 0.01 and without aggregation multiplies the event bill."),
        new DiagnosticInfo(
            DiagnosticIds.UntrackedEvent,
            "Catalog event is never tracked",
            UsageCategory, CatalogSeverity.Info, DiagnosticOrigin.Code,
            "Catalog event '{0}' is never tracked in this compilation: nothing calls '{1}'",
            "An active catalog event whose Track method no code of this project calls: dashboards built on it stay empty. Planned, deprecated and derived aggregate events are exempt."),
        new DiagnosticInfo(
            DiagnosticIds.PlannedEvent,
            "Planned catalog event used",
            UsageCategory, CatalogSeverity.Error, DiagnosticOrigin.Code,
            "{0}",
            "The generated members of a planned event carry [Experimental]: the compiler reports their use as an error until the event becomes active."),
        new DiagnosticInfo(
            DiagnosticIds.ConstantBreaksConstraint,
            "Constant argument breaks the property's catalog constraint",
            UsageCategory, CatalogSeverity.Error, DiagnosticOrigin.Code,
            "{0} for '{1}' of '{2}' breaks its catalog constraint {3}; the call would {4} at run time",
            "The generated Track methods check the catalog's min, max, max_length and pattern on every sampled-in call. A constant argument that breaks one is a bug found where the call is written, not in production."),
    };

    private static readonly Dictionary<string, DiagnosticInfo> ById = Index();

    /// <summary>The diagnostic <paramref name="id"/>; throws for an id the table does not define.</summary>
    public static DiagnosticInfo Get(string id) =>
        ById.TryGetValue(id, out var info) ? info : throw new ArgumentException("Unknown diagnostic id '" + id + "'.", nameof(id));

    /// <summary>The diagnostic <paramref name="id"/>, or null for an id the table does not define.</summary>
    public static DiagnosticInfo? Find(string id) => ById.TryGetValue(id, out var info) ? info : null;

    /// <summary>The default severity of <paramref name="id"/>.</summary>
    public static CatalogSeverity DefaultSeverity(string id) => Get(id).DefaultSeverity;

    private static DiagnosticInfo Catalog(string id, string title, string category, CatalogSeverity severity) =>
        new(id, title, category, severity, DiagnosticOrigin.Catalog, "{0}",
            title + ". See the help link for bad and good examples, the fix, and how to suppress.");

    private static Dictionary<string, DiagnosticInfo> Index()
    {
        var byId = new Dictionary<string, DiagnosticInfo>(StringComparer.Ordinal);
        foreach (var info in All) byId.Add(info.Id, info);
        return byId;
    }
}
