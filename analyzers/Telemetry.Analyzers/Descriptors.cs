using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers;

/// <summary>Every diagnostic descriptor of the product, each with a help link to docs/diagnostics/TELxxxx.md.</summary>
public static class Descriptors
{
    private const string CatalogCategory = "Telemetry.Catalog";
    private const string PrivacyCategory = "Telemetry.Privacy";
    private const string CostCategory = "Telemetry.Cost";

    /// <summary>TEL0001: YAML that does not parse. Message: "{0}" (the parser's explanation).</summary>
    public static readonly DiagnosticDescriptor InvalidYaml = Make(DiagnosticIds.InvalidYaml, "Catalog YAML does not parse", CatalogCategory, DiagnosticSeverity.Error);

    /// <summary>TEL0002: unknown key, wrong value type, missing required key.</summary>
    public static readonly DiagnosticDescriptor InvalidStructure = Make(DiagnosticIds.InvalidStructure, "Catalog key is unknown, mistyped or missing", CatalogCategory, DiagnosticSeverity.Error);

    /// <summary>TEL0003: a name breaks the naming rule.</summary>
    public static readonly DiagnosticDescriptor InvalidName = Make(DiagnosticIds.InvalidName, "Catalog name breaks the naming rule", CatalogCategory, DiagnosticSeverity.Error);

    /// <summary>TEL0004: the same event twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateEvent = Make(DiagnosticIds.DuplicateEvent, "Catalog event defined twice", CatalogCategory, DiagnosticSeverity.Error);

    /// <summary>TEL0005: enum without values, unknown type, impossible constraint.</summary>
    public static readonly DiagnosticDescriptor InvalidType = Make(DiagnosticIds.InvalidType, "Catalog type or constraint is invalid", CatalogCategory, DiagnosticSeverity.Error);

    /// <summary>TEL1001: a property that looks like PII without a pii class.</summary>
    public static readonly DiagnosticDescriptor UnclassifiedPii = Make(DiagnosticIds.UnclassifiedPii, "Property looks like personal data but has no pii class", PrivacyCategory, DiagnosticSeverity.Warning);

    /// <summary>TEL1002: PII sent raw without justification.</summary>
    public static readonly DiagnosticDescriptor RawPii = Make(DiagnosticIds.RawPiiWithoutJustification, "Personal data sent raw without justification", PrivacyCategory, DiagnosticSeverity.Error);

    /// <summary>TEL1003: sensitive event sampled.</summary>
    public static readonly DiagnosticDescriptor SensitiveSampled = Make(DiagnosticIds.SensitiveEventSampled, "Financial or session-sensitive event is sampled", PrivacyCategory, DiagnosticSeverity.Error);

    /// <summary>TEL2001: unsampled high-frequency event.</summary>
    public static readonly DiagnosticDescriptor UnsampledHighFrequency = Make(DiagnosticIds.UnsampledHighFrequency, "High-frequency event is neither aggregated, local-only nor sampled", CostCategory, DiagnosticSeverity.Error);

    /// <summary>TEL2002: metric with sampling.</summary>
    public static readonly DiagnosticDescriptor SampledMetric = Make(DiagnosticIds.SampledMetric, "Metric has sampling", CostCategory, DiagnosticSeverity.Error);

    /// <summary>The catalog descriptors by id.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> CatalogById = new Dictionary<string, DiagnosticDescriptor>
    {
        [DiagnosticIds.InvalidYaml] = InvalidYaml,
        [DiagnosticIds.InvalidStructure] = InvalidStructure,
        [DiagnosticIds.InvalidName] = InvalidName,
        [DiagnosticIds.DuplicateEvent] = DuplicateEvent,
        [DiagnosticIds.InvalidType] = InvalidType,
        [DiagnosticIds.UnclassifiedPii] = UnclassifiedPii,
        [DiagnosticIds.RawPiiWithoutJustification] = RawPii,
        [DiagnosticIds.SensitiveEventSampled] = SensitiveSampled,
        [DiagnosticIds.UnsampledHighFrequency] = UnsampledHighFrequency,
        [DiagnosticIds.SampledMetric] = SampledMetric,
    }.ToImmutableDictionary();

    private static DiagnosticDescriptor Make(string id, string title, string category, DiagnosticSeverity severity) =>
        new(id, title, "{0}", category, severity, isEnabledByDefault: true,
            description: title + ". See the help link for bad and good examples, the fix, and how to suppress.",
            helpLinkUri: DiagnosticIds.HelpLink(id), customTags: CatalogTags);

    private static readonly string[] CatalogTags = { "Telemetry" };
}
