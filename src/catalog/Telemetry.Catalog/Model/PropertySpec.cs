namespace Telemetry.Catalog.Model;

/// <summary>A typed property of an event (or a tag of a metric).</summary>
/// <param name="Name">Catalog (wire) name, snake case.</param>
/// <param name="Type">Wire type.</param>
/// <param name="ItemType">Element type when <paramref name="Type"/> is <see cref="PropertyType.Array"/>.</param>
/// <param name="Required">False when the property may be absent (nullable in C#).</param>
/// <param name="EnumValues">Members of an enum (or enum array items), in catalog order.</param>
/// <param name="Min">Inclusive lower bound for numbers (array: for each item).</param>
/// <param name="Max">Inclusive upper bound for numbers (array: for each item).</param>
/// <param name="MaxLength">Maximum string length (array: of each item).</param>
/// <param name="Pattern">Regular expression a string (array: each item) must match.</param>
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
    /// <summary>Minimum number of items of an array.</summary>
    public int? MinItems { get; init; }

    /// <summary>Maximum number of items of an array.</summary>
    public int? MaxItems { get; init; }

    /// <summary>True when the items of an array must be distinct.</summary>
    public bool UniqueItems { get; init; }

    /// <summary>What the generated API does with a value that breaks a constraint.</summary>
    public ConstraintAction OnViolation { get; init; }

    /// <summary>
    /// The shared definition this property (or, for an array, its items) uses through <c>ref:</c>; null for a
    /// property written out in full. An enum definition gives the one C# enum every property using it shares.
    /// </summary>
    public string? Ref { get; init; }

    /// <summary>Where the shared definition named by <see cref="Ref"/> stands (the lock check reports definition changes there).</summary>
    public SourceSpan? RefLocation { get; init; }

    /// <summary>True when a value can break a constraint the generated API checks (range, length, pattern, item count, distinct items).</summary>
    public bool HasCheckedConstraints =>
        Min is not null || Max is not null || MaxLength is not null || Pattern is not null ||
        (Type == PropertyType.Array && (MinItems is not null || MaxItems is not null || UniqueItems));

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
