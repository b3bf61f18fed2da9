using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers;

/// <summary>
/// Every diagnostic descriptor of the product, built from the catalog library's <see cref="DiagnosticTable"/> (id, title,
/// category, default severity, message, description), each with a help link to docs/diagnostics/TELxxxx.md.
/// </summary>
public static class Descriptors
{
    // Declared before the descriptors: static fields initialise in text order.
    private static readonly string[] CatalogTags = { "Telemetry" };
    private static readonly string[] CompilationEndTags = { "Telemetry", WellKnownDiagnosticTags.CompilationEnd };

    /// <summary>TEL0001: YAML that does not parse. Message: "{0}" (the parser's explanation).</summary>
    public static readonly DiagnosticDescriptor InvalidYaml = Make(DiagnosticIds.InvalidYaml);

    /// <summary>TEL0002: unknown key, wrong value type, missing required key.</summary>
    public static readonly DiagnosticDescriptor InvalidStructure = Make(DiagnosticIds.InvalidStructure);

    /// <summary>TEL0003: a name breaks the naming rule.</summary>
    public static readonly DiagnosticDescriptor InvalidName = Make(DiagnosticIds.InvalidName);

    /// <summary>TEL0004: the same event twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateEvent = Make(DiagnosticIds.DuplicateEvent);

    /// <summary>TEL0005: enum without values, unknown type, impossible constraint.</summary>
    public static readonly DiagnosticDescriptor InvalidType = Make(DiagnosticIds.InvalidType);

    /// <summary>TEL1001: a property that looks like PII without a pii class.</summary>
    public static readonly DiagnosticDescriptor UnclassifiedPii = Make(DiagnosticIds.UnclassifiedPii);

    /// <summary>TEL1002: PII sent raw without justification.</summary>
    public static readonly DiagnosticDescriptor RawPii = Make(DiagnosticIds.RawPiiWithoutJustification);

    /// <summary>TEL1003: sensitive event sampled.</summary>
    public static readonly DiagnosticDescriptor SensitiveSampled = Make(DiagnosticIds.SensitiveEventSampled);

    /// <summary>TEL2001: unsampled high-frequency event.</summary>
    public static readonly DiagnosticDescriptor UnsampledHighFrequency = Make(DiagnosticIds.UnsampledHighFrequency);

    /// <summary>TEL2002: metric with sampling.</summary>
    public static readonly DiagnosticDescriptor SampledMetric = Make(DiagnosticIds.SampledMetric);

    /// <summary>TEL3001: a breaking change against catalog.lock.json without a version bump. Message: "{0}" (what changed and how to fix it).</summary>
    public static readonly DiagnosticDescriptor BreakingChange = Make(DiagnosticIds.BreakingChange);

    /// <summary>TEL4001: a string-named tracking call for an event the catalog defines (message: the call, the event, the generated method).</summary>
    public static readonly DiagnosticDescriptor StringNamedTrack = Make(DiagnosticIds.StringNamedTrack);

    /// <summary>TEL4002: a value classified as personal data passed into an event property without a pii class.</summary>
    public static readonly DiagnosticDescriptor UnclassifiedPersonalDataFlow = Make(DiagnosticIds.UnclassifiedPersonalDataFlow);

    /// <summary>TEL4003: an unsampled, unaggregated event tracked from a high-frequency context.</summary>
    public static readonly DiagnosticDescriptor HighFrequencyTrack = Make(DiagnosticIds.HighFrequencyTrack);

    /// <summary>TEL4004: a catalog event that nothing in the compilation tracks (reported at the event's YAML line, at compilation end).</summary>
    public static readonly DiagnosticDescriptor UntrackedEvent = Make(DiagnosticIds.UntrackedEvent, CompilationEndTags);

    /// <summary>TEL4006: a constant argument (literal, const, constant expression) that breaks its property's catalog constraint.</summary>
    public static readonly DiagnosticDescriptor ConstantBreaksConstraint = Make(DiagnosticIds.ConstantBreaksConstraint);

    /// <summary>The descriptors of the diagnostics the catalog rules report in YAML files (TEL0001-TEL2002), by id.</summary>
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

    /// <summary>Roslyn's severity for a catalog severity.</summary>
    public static DiagnosticSeverity ToRoslyn(CatalogSeverity severity) => severity switch
    {
        CatalogSeverity.Error => DiagnosticSeverity.Error,
        CatalogSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };

    private static DiagnosticDescriptor Make(string id, string[]? tags = null)
    {
        var info = DiagnosticTable.Get(id);
        return new DiagnosticDescriptor(info.Id, info.Title, info.MessageFormat, info.Category, ToRoslyn(info.DefaultSeverity), isEnabledByDefault: true,
            description: info.Description, helpLinkUri: info.HelpLink, customTags: tags ?? CatalogTags);
    }
}
