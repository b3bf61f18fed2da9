namespace Telemetry.Catalog.Model;

/// <summary>A typed property of an event (or a tag of a metric).</summary>
/// <param name="Name">Catalog (wire) name, snake case.</param>
/// <param name="Type">Wire type.</param>
/// <param name="ItemType">Element type when <paramref name="Type"/> is <see cref="PropertyType.Array"/>.</param>
/// <param name="Required">False when the property may be absent (nullable in C#).</param>
/// <param name="EnumValues">Members of an enum (or enum array items), in catalog order.</param>
/// <param name="Min">Inclusive lower bound for numbers (array: minimum item count).</param>
/// <param name="Max">Inclusive upper bound for numbers (array: maximum item count).</param>
/// <param name="MaxLength">Maximum string length.</param>
/// <param name="Pattern">Regular expression a string must match.</param>
/// <param name="Description">What the value means.</param>
/// <param name="Examples">Example values as written in the catalog.</param>
/// <param name="Pii">Personal-data class, when the property holds personal data.</param>
/// <param name="Treatment">What leaves the process; <see cref="PiiTreatment.None"/> for non-PII properties.</param>
/// <param name="Justification">Why a PII value may be sent raw.</param>
/// <param name="Location">Where the property key stands.</param>
public sealed record PropertySpec(
    string Name,
    PropertyType Type,
    PropertyType? ItemType,
    bool Required,
    EquatableArray<string> EnumValues,
    double? Min,
    double? Max,
    int? MaxLength,
    string? Pattern,
    string? Description,
    EquatableArray<string> Examples,
    PiiClass? Pii,
    PiiTreatment Treatment,
    string? Justification,
    SourceSpan Location)
{
    /// <summary>True when a PII class is set.</summary>
    public bool IsPersonalData => Pii is not null;

    /// <summary>
    /// The name the property has on the wire after its PII treatment:
    /// <c>note</c> with <c>treatment: length</c> leaves the process as <c>note_length</c>.
    /// </summary>
    public string WireName => Pii is not null && Treatment == PiiTreatment.Length ? Name + "_length" : Name;

    /// <summary>False when the treatment is <see cref="PiiTreatment.Drop"/>: nothing leaves the process.</summary>
    public bool IsSent => !(Pii is not null && Treatment == PiiTreatment.Drop);
}
