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
    private const string CompatibilityCategory = "Telemetry.Compatibility";
    private const string UsageCategory = "Telemetry.Usage";

    // Declared before the descriptors: static fields initialise in text order.
    private static readonly string[] CatalogTags = { "Telemetry" };
    private static readonly string[] CompilationEndTags = { "Telemetry", WellKnownDiagnosticTags.CompilationEnd };

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

    /// <summary>TEL3001: a breaking change against catalog.lock.json without a version bump. Message: "{0}" (what changed and how to fix it).</summary>
    public static readonly DiagnosticDescriptor BreakingChange = Make(DiagnosticIds.BreakingChange, "Breaking catalog change without a version bump", CompatibilityCategory, DiagnosticSeverity.Error);

    /// <summary>
    /// TEL4001: a string-named tracking call for an event the catalog defines.
    /// Message: "'{0}' tracks catalog event '{1}' by name; call the generated '{2}' instead so the compiler checks its properties".
    /// </summary>
    public static readonly DiagnosticDescriptor StringNamedTrack = new(
        DiagnosticIds.StringNamedTrack,
        "Catalog event tracked by name instead of its generated method",
        "'{0}' tracks catalog event '{1}' by name; call the generated '{2}' instead so the compiler checks its properties",
        UsageCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A string-named tracking call bypasses the catalog: property names, types, PII treatments and sampling are not checked. The generated Track method carries them.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.StringNamedTrack), customTags: CatalogTags);

    /// <summary>
    /// TEL4002: a value classified as personal data passed into an event property without a pii class.
    /// Message: "'{0}' is personal data ({1}) but is passed as '{2}' of '{3}', whose property '{4}' has no pii class; classify it in the catalog (pii: and treatment:) or pass a value that is not personal data".
    /// </summary>
    public static readonly DiagnosticDescriptor UnclassifiedPersonalDataFlow = new(
        DiagnosticIds.UnclassifiedPersonalDataFlow,
        "Personal data passed into an event property that has no pii class",
        "'{0}' is personal data ({1}) but is passed as '{2}' of '{3}', whose property '{4}' has no pii class; classify it in the catalog (pii: and treatment:) or pass a value that is not personal data",
        PrivacyCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A property without a pii class is sent as it is. A value from a member marked with a DataClassificationAttribute (such as [PersonalData]) or named like personal data must go into a property whose catalog entry states its pii class and treatment.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.UnclassifiedPersonalDataFlow), customTags: CatalogTags);

    /// <summary>
    /// TEL4003: an unsampled, unaggregated event tracked from a high-frequency context.
    /// Message: "'{0}' (sampling {1}, not aggregated) is tracked {2}, so every call may be sent; track it where it happens at most about once a second, or make it 'frequency: high' with 'aggregate:' or sampling at or below 0.01 in the catalog".
    /// </summary>
    public static readonly DiagnosticDescriptor HighFrequencyTrack = new(
        DiagnosticIds.HighFrequencyTrack,
        "Unsampled, unaggregated event tracked from a high-frequency context",
        "'{0}' (sampling {1}, not aggregated) is tracked {2}, so every call may be sent; track it where it happens at most about once a second, or make it 'frequency: high' with 'aggregate:' or sampling at or below 0.01 in the catalog",
        CostCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Pointer and mouse moves, scrolling, dragging, resizing, per-frame callbacks, fast timers and loops run many times a second. An event tracked there at a sampling rate above 0.01 and without aggregation multiplies the event bill.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.HighFrequencyTrack), customTags: CatalogTags);

    /// <summary>
    /// TEL4004: a catalog event that nothing in the compilation tracks (reported at the event's YAML line).
    /// Message: "Catalog event '{0}' is never tracked in this compilation: nothing calls '{1}'".
    /// </summary>
    public static readonly DiagnosticDescriptor UntrackedEvent = new(
        DiagnosticIds.UntrackedEvent,
        "Catalog event is never tracked",
        "Catalog event '{0}' is never tracked in this compilation: nothing calls '{1}'",
        UsageCategory, DiagnosticSeverity.Info, isEnabledByDefault: true,
        description: "An active catalog event whose Track method no code of this project calls: dashboards built on it stay empty. Planned, deprecated and derived aggregate events are exempt.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.UntrackedEvent), customTags: CompilationEndTags);

    /// <summary>
    /// TEL4006: a constant argument (literal, const, constant expression) that breaks its property's catalog constraint.
    /// Message: "{0} for '{1}' of '{2}' breaks its catalog constraint {3}; the call would {4} at run time".
    /// </summary>
    public static readonly DiagnosticDescriptor ConstantBreaksConstraint = new(
        DiagnosticIds.ConstantBreaksConstraint,
        "Constant argument breaks the property's catalog constraint",
        "{0} for '{1}' of '{2}' breaks its catalog constraint {3}; the call would {4} at run time",
        UsageCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The generated Track methods check the catalog's min, max, max_length and pattern on every sampled-in call. A constant argument that breaks one is a bug found where the call is written, not in production.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.ConstantBreaksConstraint), customTags: CatalogTags);

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
}
