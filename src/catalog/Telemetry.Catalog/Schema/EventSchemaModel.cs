using System.Collections.Generic;

namespace Telemetry.Catalog.Schema;

/// <summary>The JSON types a value schema can require (JSON Schema <c>type</c>).</summary>
public enum SchemaType
{
    /// <summary>No <c>type</c> keyword (a <c>const</c> or an <c>enum</c> decides).</summary>
    Any,
    /// <summary><c>"string"</c>.</summary>
    String,
    /// <summary><c>"integer"</c>.</summary>
    Integer,
    /// <summary><c>"number"</c>.</summary>
    Number,
    /// <summary><c>"boolean"</c>.</summary>
    Boolean,
    /// <summary><c>"array"</c>.</summary>
    Array,
}

/// <summary>The string formats an event schema uses (JSON Schema <c>format</c>).</summary>
public enum SchemaFormat
{
    /// <summary>No <c>format</c> keyword.</summary>
    None,
    /// <summary><c>"uuid"</c>.</summary>
    Uuid,
    /// <summary><c>"date-time"</c>.</summary>
    DateTime,
}

/// <summary>
/// The schema of one value of an event's wire object: exactly the JSON Schema keywords an event schema uses. Both the
/// JSON Schema text (<see cref="EventJsonSchema.Write(Telemetry.Catalog.Model.EventSpec, bool)"/>) and the ingest
/// server's compiled validator are built from it, so a new keyword is a new member both must handle.
/// </summary>
public sealed class ValueSchema
{
    /// <summary><c>description</c>: the catalog's description of the property.</summary>
    public string? Description { get; init; }

    /// <summary><c>const</c>: the only string accepted.</summary>
    public string? Const { get; init; }

    /// <summary><c>enum</c>: the strings accepted, in catalog order.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary><c>type</c>.</summary>
    public SchemaType Type { get; init; }

    /// <summary><c>format</c>.</summary>
    public SchemaFormat Format { get; init; }

    /// <summary><c>minimum</c> (inclusive).</summary>
    public double? Minimum { get; init; }

    /// <summary><c>maximum</c> (inclusive).</summary>
    public double? Maximum { get; init; }

    /// <summary><c>maxLength</c>: the longest string accepted, in characters.</summary>
    public int? MaxLength { get; init; }

    /// <summary><c>pattern</c>: an ECMA-262 regular expression the string must contain a match of.</summary>
    public string? Pattern { get; init; }

    /// <summary><c>minItems</c>.</summary>
    public int? MinItems { get; init; }

    /// <summary><c>maxItems</c>.</summary>
    public int? MaxItems { get; init; }

    /// <summary><c>uniqueItems</c>.</summary>
    public bool UniqueItems { get; init; }

    /// <summary><c>items</c>: the schema of every element of an array.</summary>
    public ValueSchema? Items { get; init; }
}

/// <summary>One property of an event's wire object: an envelope field or a sent catalog property.</summary>
/// <param name="Name">Its name on the wire.</param>
/// <param name="Schema">Its value's schema.</param>
/// <param name="Required">True when the object must carry it (JSON Schema <c>required</c>).</param>
/// <param name="IsEnvelope">True for an envelope field, false for the event's own property.</param>
public sealed record SchemaProperty(string Name, ValueSchema Schema, bool Required, bool IsEnvelope);

/// <summary>
/// The JSON Schema (draft 2020-12) of one event's wire object as a model: the envelope fields, then the event's sent
/// properties after PII treatment, closed to extra properties.
/// </summary>
/// <param name="Id"><c>$id</c>.</param>
/// <param name="Title"><c>title</c>: the event's name.</param>
/// <param name="Description"><c>description</c>.</param>
/// <param name="Properties"><c>properties</c> in wire order; the required ones make <c>required</c>.</param>
/// <param name="AdditionalProperties"><c>additionalProperties</c>: false, an event carries nothing else.</param>
public sealed record EventSchemaModel(string Id, string Title, string? Description, IReadOnlyList<SchemaProperty> Properties, bool AdditionalProperties)
{
    /// <summary><c>$schema</c>: the dialect.</summary>
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";
}
