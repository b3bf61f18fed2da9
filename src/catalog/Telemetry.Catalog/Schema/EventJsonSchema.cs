using System.Collections.Generic;
using System.Globalization;
using Telemetry.Catalog.Model;
using Telemetry.Wire;

namespace Telemetry.Catalog.Schema;

/// <summary>
/// The JSON Schema (draft 2020-12) of one event's wire object: the envelope plus its properties after
/// PII treatment, closed to extra properties. <see cref="Build"/> makes the model the ingest server compiles its
/// validator from; <see cref="Write(EventSpec, bool)"/> writes that model as the text the generator embeds and the
/// catalog tool writes out: one definition for all three.
/// </summary>
public static class EventJsonSchema
{
    /// <summary>Schema identifier prefix.</summary>
    public const string IdBase = "urn:telemetry:event:";

    /// <summary>The schema model of <paramref name="spec"/>.</summary>
    public static EventSchemaModel Build(EventSpec spec)
    {
        var properties = new List<SchemaProperty>();
        foreach (var field in EnvelopeFields.All) properties.Add(new SchemaProperty(field.Name, Envelope(field, spec), field.Required, IsEnvelope: true));
        foreach (var p in spec.Properties)
        {
            if (p.IsSent) properties.Add(new SchemaProperty(p.WireName, Value(p), p.Required, IsEnvelope: false));
        }

        return new EventSchemaModel(
            IdBase + spec.Name + ":v" + spec.Version.ToString(CultureInfo.InvariantCulture),
            spec.Name,
            spec.Description,
            properties,
            AdditionalProperties: false);
    }

    /// <summary>Writes the schema of <paramref name="spec"/>.</summary>
    public static string Write(EventSpec spec, bool indented = false) => Write(Build(spec), indented);

    /// <summary>Writes <paramref name="model"/> as JSON Schema text.</summary>
    public static string Write(EventSchemaModel model, bool indented = false)
    {
        var j = new JsonText(indented);
        j.StartObject()
            .String("$schema", EventSchemaModel.Dialect)
            .String("$id", model.Id)
            .String("title", model.Title);
        if (model.Description is not null) j.String("description", model.Description);
        j.String("type", "object");
        j.StartObject("properties");
        foreach (var p in model.Properties)
        {
            j.StartObject(p.Name);
            WriteValue(j, p.Schema);
            j.EndObject();
        }

        j.EndObject();
        j.StartArray("required");
        foreach (var p in model.Properties)
        {
            if (p.Required) j.String(null, p.Name);
        }

        j.EndArray();
        j.Bool("additionalProperties", model.AdditionalProperties);
        j.EndObject();
        return j.ToString();
    }

    /// <summary>The keyword text of a <see cref="SchemaType"/>.</summary>
    public static string TypeName(SchemaType type) => type switch
    {
        SchemaType.String => "string",
        SchemaType.Integer => "integer",
        SchemaType.Number => "number",
        SchemaType.Boolean => "boolean",
        SchemaType.Array => "array",
        _ => throw new System.ArgumentOutOfRangeException(nameof(type), type, "A schema without a type has no type keyword."),
    };

    /// <summary>The keyword text of a <see cref="SchemaFormat"/>.</summary>
    public static string FormatName(SchemaFormat format) => format switch
    {
        SchemaFormat.Uuid => "uuid",
        SchemaFormat.DateTime => "date-time",
        _ => throw new System.ArgumentOutOfRangeException(nameof(format), format, "No format has no format keyword."),
    };

    private static void WriteValue(JsonText j, ValueSchema s)
    {
        if (s.Description is not null) j.String("description", s.Description);
        if (s.Const is not null) j.String("const", s.Const);
        if (s.Enum is not null)
        {
            j.StartArray("enum");
            foreach (var v in s.Enum) j.String(null, v);
            j.EndArray();
        }

        if (s.Type != SchemaType.Any) j.String("type", TypeName(s.Type));
        if (s.Format != SchemaFormat.None) j.String("format", FormatName(s.Format));
        if (s.Minimum is { } minimum) j.Number("minimum", minimum);
        if (s.Maximum is { } maximum) j.Number("maximum", maximum);
        if (s.MaxLength is { } maxLength) j.Number("maxLength", maxLength);
        if (s.Pattern is not null) j.String("pattern", s.Pattern);
        if (s.MinItems is { } minItems) j.Number("minItems", minItems);
        if (s.MaxItems is { } maxItems) j.Number("maxItems", maxItems);
        if (s.UniqueItems) j.Bool("uniqueItems", true);
        if (s.Items is not null)
        {
            j.StartObject("items");
            WriteValue(j, s.Items);
            j.EndObject();
        }
    }

    private static ValueSchema Envelope(EnvelopeField field, EventSpec spec) => field.Rule == EnvelopeValueRule.EventName
        ? new ValueSchema { Const = spec.Name }
        : new ValueSchema
        {
            Type = field.Type switch
            {
                EnvelopeJsonType.Integer => SchemaType.Integer,
                EnvelopeJsonType.Number => SchemaType.Number,
                _ => SchemaType.String,
            },
            Format = field.Format switch
            {
                EnvelopeFormat.Uuid => SchemaFormat.Uuid,
                EnvelopeFormat.DateTime => SchemaFormat.DateTime,
                _ => SchemaFormat.None,
            },
            MaxLength = field.MaxLength,
            Minimum = field.Minimum,
            Maximum = field.Rule == EnvelopeValueRule.AtMostEventVersion ? spec.Version : field.Maximum,
        };

    private static ValueSchema Value(PropertySpec p)
    {
        if (p.Pii is not null && p.Treatment == PiiTreatment.Length)
        {
            return new ValueSchema { Description = p.Description, Type = SchemaType.Integer, Minimum = 0 };
        }

        if (p.Pii is not null && p.Treatment == PiiTreatment.Hash)
        {
            return new ValueSchema { Description = p.Description, Type = SchemaType.String, Pattern = "^[0-9a-f]{64}$" };
        }

        if (p.Pii is not null && p.Treatment == PiiTreatment.Redact)
        {
            return new ValueSchema { Description = p.Description, Type = SchemaType.String };
        }

        if (p.Type == PropertyType.Array)
        {
            return new ValueSchema
            {
                Description = p.Description,
                Type = SchemaType.Array,
                MinItems = p.MinItems,
                MaxItems = p.MaxItems,
                UniqueItems = p.UniqueItems,
                Items = Scalar(p, p.ItemType ?? PropertyType.String, description: null),
            };
        }

        return Scalar(p, p.Type, p.Description);
    }

    // Optional properties are omitted when absent (never written as null), so the type stays strict.
    private static ValueSchema Scalar(PropertySpec p, PropertyType type, string? description) => type switch
    {
        PropertyType.String => new ValueSchema { Description = description, Type = SchemaType.String, MaxLength = p.MaxLength, Pattern = p.Pattern },
        PropertyType.Boolean => new ValueSchema { Description = description, Type = SchemaType.Boolean },
        PropertyType.Int32 => new ValueSchema { Description = description, Type = SchemaType.Integer, Minimum = p.Min ?? int.MinValue, Maximum = p.Max ?? int.MaxValue },
        PropertyType.Int64 => new ValueSchema { Description = description, Type = SchemaType.Integer, Minimum = p.Min ?? long.MinValue, Maximum = p.Max ?? long.MaxValue },
        PropertyType.Double or PropertyType.Decimal or PropertyType.Duration => new ValueSchema { Description = description, Type = SchemaType.Number, Minimum = p.Min, Maximum = p.Max },
        PropertyType.Timestamp => new ValueSchema { Description = description, Type = SchemaType.String, Format = SchemaFormat.DateTime },
        PropertyType.Uuid => new ValueSchema { Description = description, Type = SchemaType.String, Format = SchemaFormat.Uuid },
        PropertyType.Enum => new ValueSchema { Description = description, Enum = p.EnumValues },
        _ => new ValueSchema { Description = description },
    };
}
