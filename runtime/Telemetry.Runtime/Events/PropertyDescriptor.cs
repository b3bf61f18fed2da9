namespace Telemetry.Runtime;

/// <summary>Catalog facts about one property as it goes on the wire.</summary>
/// <param name="Name">Wire name (after treatment: <c>note_length</c>).</param>
/// <param name="Type">Catalog type name (<c>string</c>, <c>int32</c>, <c>array</c>, ...).</param>
/// <param name="Required">False when the property may be absent.</param>
/// <param name="Pii">Personal-data class, if any.</param>
/// <param name="Treatment">Treatment applied before the value reached the event struct.</param>
public sealed record PropertyDescriptor(string Name, string Type, bool Required, PiiClass? Pii, PiiTreatment Treatment);
