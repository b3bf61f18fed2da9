using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Schema;

/// <summary>
/// The JSON Schema (draft 2020-12) of one event's wire object: the envelope plus its properties after
/// PII treatment, closed to extra properties. The generator embeds it, the ingest server validates
/// with it and the catalog tool writes it out: one definition for all three.
/// </summary>
public static class EventJsonSchema
{
    /// <summary>Schema identifier prefix.</summary>
    public const string IdBase = "urn:telemetry:event:";

    /// <summary>Writes the schema of <paramref name="spec"/>.</summary>
    public static string Write(EventSpec spec, bool indented = false)
    {
        var j = new JsonText(indented);
        j.StartObject()
            .String("$schema", "https://json-schema.org/draft/2020-12/schema")
            .String("$id", IdBase + spec.Name + ":v" + spec.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .String("title", spec.Name);
        if (spec.Description is not null) j.String("description", spec.Description);
        j.String("type", "object");
        j.StartObject("properties");
        j.StartObject("event").String("const", spec.Name).EndObject();
        j.StartObject("event_id").String("type", "string").String("format", "uuid").EndObject();
        j.StartObject("timestamp").String("type", "string").String("format", "date-time").EndObject();
        j.StartObject("session_id").String("type", "string").Number("maxLength", 100).EndObject();
        j.StartObject("user_bucket").String("type", "integer").Number("minimum", 0).Number("maximum", 9999).EndObject();
        j.StartObject("sampling_rate").String("type", "number").Number("minimum", 0).Number("maximum", 1).EndObject();
        j.StartObject("client_version").String("type", "string").Number("maxLength", 64).EndObject();
        j.StartObject("schema_version").String("type", "integer").Number("minimum", 1).Number("maximum", spec.Version).EndObject();
        j.StartObject("user_id").String("type", "string").Number("maxLength", 256).EndObject();
        j.StartObject("anonymous_id").String("type", "string").Number("maxLength", 256).EndObject();
        foreach (var p in spec.Properties)
        {
            if (!p.IsSent) continue;
            j.StartObject(p.WireName);
            WriteValue(j, p);
            j.EndObject();
        }

        j.EndObject();
        j.StartArray("required");
        foreach (var f in Envelope.Fields)
        {
            if (f is "event_id" or "session_id") continue; // the aggregate endpoint accepts events without them
            j.String(null, f);
        }

        foreach (var p in spec.Properties)
        {
            if (p.IsSent && p.Required) j.String(null, p.WireName);
        }

        j.EndArray();
        j.Bool("additionalProperties", false);
        j.EndObject();
        return j.ToString();
    }

    private static void WriteValue(JsonText j, PropertySpec p)
    {
        if (p.Description is not null) j.String("description", p.Description);
        if (p.Pii is not null && p.Treatment == PiiTreatment.Length)
        {
            j.String("type", "integer").Number("minimum", 0);
            return;
        }

        if (p.Pii is not null && p.Treatment == PiiTreatment.Hash)
        {
            TypeOrNull(j, "string", p.Required);
            j.String("pattern", "^[0-9a-f]{64}$");
            return;
        }

        if (p.Pii is not null && p.Treatment == PiiTreatment.Redact)
        {
            TypeOrNull(j, "string", p.Required);
            return;
        }

        if (p.Type == PropertyType.Array)
        {
            TypeOrNull(j, "array", p.Required);
            if (p.MinItems is { } minItems) j.Number("minItems", minItems);
            if (p.MaxItems is { } maxItems) j.Number("maxItems", maxItems);
            if (p.UniqueItems) j.Bool("uniqueItems", true);
            j.StartObject("items");
            WriteScalar(j, p, p.ItemType ?? PropertyType.String, required: true);
            j.EndObject();
            return;
        }

        WriteScalar(j, p, p.Type, p.Required);
    }

    private static void WriteScalar(JsonText j, PropertySpec p, PropertyType type, bool required)
    {
        switch (type)
        {
            case PropertyType.String:
                TypeOrNull(j, "string", required);
                if (p.MaxLength is { } maxLength) j.Number("maxLength", maxLength);
                if (p.Pattern is not null) j.String("pattern", p.Pattern);
                break;
            case PropertyType.Boolean:
                TypeOrNull(j, "boolean", required);
                break;
            case PropertyType.Int32:
            case PropertyType.Int64:
                TypeOrNull(j, "integer", required);
                Range(j, p, type == PropertyType.Int32 ? int.MinValue : long.MinValue, type == PropertyType.Int32 ? int.MaxValue : long.MaxValue);
                break;
            case PropertyType.Double:
            case PropertyType.Decimal:
            case PropertyType.Duration:
                TypeOrNull(j, "number", required);
                Range(j, p, null, null);
                break;
            case PropertyType.Timestamp:
                TypeOrNull(j, "string", required);
                j.String("format", "date-time");
                break;
            case PropertyType.Uuid:
                TypeOrNull(j, "string", required);
                j.String("format", "uuid");
                break;
            case PropertyType.Enum:
                j.StartArray("enum");
                foreach (var v in p.EnumValues) j.String(null, v);
                j.EndArray();
                break;
        }
    }

    private static void Range(JsonText j, PropertySpec p, double? lo, double? hi)
    {
        if (p.Min is { } min) j.Number("minimum", min);
        else if (lo is { } l) j.Number("minimum", l);
        if (p.Max is { } max) j.Number("maximum", max);
        else if (hi is { } h) j.Number("maximum", h);
    }

    private static void TypeOrNull(JsonText j, string type, bool required)
    {
        // Optional properties are omitted when absent (never written as null), so the type stays strict.
        _ = required;
        j.String("type", type);
    }
}
