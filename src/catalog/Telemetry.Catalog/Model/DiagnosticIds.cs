namespace Telemetry.Catalog.Model;

/// <summary>The one registry of catalog diagnostic IDs. IDs are stable once shipped.</summary>
public static class DiagnosticIds
{
    /// <summary>YAML that does not parse.</summary>
    public const string InvalidYaml = "TEL0001";
    /// <summary>Unknown key, wrong value type, missing required key.</summary>
    public const string InvalidStructure = "TEL0002";
    /// <summary>Event or property name breaks the naming rule.</summary>
    public const string InvalidName = "TEL0003";
    /// <summary>The same event defined twice (across files too).</summary>
    public const string DuplicateEvent = "TEL0004";
    /// <summary>Enum without values, unknown type, constraint that cannot hold.</summary>
    public const string InvalidType = "TEL0005";
    /// <summary>Property that looks like PII with no pii class.</summary>
    public const string UnclassifiedPii = "TEL1001";
    /// <summary>PII sent raw without justification.</summary>
    public const string RawPiiWithoutJustification = "TEL1002";
    /// <summary>Financial/session-sensitive event sampled below 1.0.</summary>
    public const string SensitiveEventSampled = "TEL1003";
    /// <summary>High-frequency event neither aggregated, local_only nor sampled at or below 0.01.</summary>
    public const string UnsampledHighFrequency = "TEL2001";
    /// <summary>A metric with sampling.</summary>
    public const string SampledMetric = "TEL2002";
    /// <summary>Breaking change against catalog.lock.json without version bump.</summary>
    public const string BreakingChange = "TEL3001";
    /// <summary>C#: a string-named tracking call for an event the catalog defines.</summary>
    public const string StringNamedTrack = "TEL4001";
    /// <summary>C#: a value classified as personal data passed into an unclassified event property.</summary>
    public const string UnclassifiedPersonalDataFlow = "TEL4002";
    /// <summary>C#: an unsampled, unaggregated event tracked from a high-frequency context.</summary>
    public const string HighFrequencyTrack = "TEL4003";
    /// <summary>A catalog event that nothing in the compilation tracks.</summary>
    public const string UntrackedEvent = "TEL4004";
    /// <summary>C#: a constant argument that breaks its property's catalog constraint at the call site.</summary>
    public const string ConstantBreaksConstraint = "TEL4006";
    /// <summary>C#: use of a planned event (the compiler reports it from the generated <c>[Experimental]</c> attribute).</summary>
    public const string PlannedEvent = "TEL4005";

    /// <summary>Base address of the diagnostics pages.</summary>
    public const string HelpLinkBase = "https://github.com/telemetry-generators/telemetry-generators/blob/main/docs/diagnostics/";

    /// <summary>Help link of a diagnostic id.</summary>
    public static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
