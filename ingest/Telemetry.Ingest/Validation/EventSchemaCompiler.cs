using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Schema;

namespace Telemetry.Ingest.Validation;

/// <summary>
/// Compiles the JSON Schema that <see cref="EventJsonSchema.Write"/> produces for an event into a
/// <see cref="EventSchema"/>. The schema text is the one source of truth; this compiler understands
/// exactly the keywords that writer emits and fails loudly on any other, so a new keyword in the
/// catalog library can never be silently ignored by the server.
/// </summary>
internal static class EventSchemaCompiler
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "$id", "title", "description" };

    /// <summary>Regex patterns get a match timeout so a hostile value cannot stall a request.</summary>
    internal static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    public static EventSchema Compile(EventSpec spec)
    {
        var text = EventJsonSchema.Write(spec);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        var names = new List<string>();
        var nodes = new List<SchemaNode>();
        var requiredNames = new HashSet<string>(StringComparer.Ordinal);
        var additional = true;
        foreach (var keyword in root.EnumerateObject())
        {
            switch (keyword.Name)
            {
                case "type":
                    if (keyword.Value.GetString() != "object") throw Unsupported(spec, "type " + keyword.Value.GetString() + " at the root");
                    break;
                case "properties":
                    foreach (var p in keyword.Value.EnumerateObject())
                    {
                        names.Add(p.Name);
                        nodes.Add(CompileValue(spec, p.Name, p.Value));
                    }

                    break;
                case "required":
                    foreach (var r in keyword.Value.EnumerateArray()) requiredNames.Add(r.GetString()!);
                    break;
                case "additionalProperties":
                    additional = keyword.Value.ValueKind != JsonValueKind.False;
                    break;
                default:
                    if (!Annotations.Contains(keyword.Name)) throw Unsupported(spec, keyword.Name);
                    break;
            }
        }

        var required = new bool[names.Count];
        for (var i = 0; i < names.Count; i++) required[i] = requiredNames.Remove(names[i]);
        if (requiredNames.Count > 0) throw Unsupported(spec, "required names without a property: " + string.Join(", ", requiredNames));
        return new EventSchema(spec.Name, spec, text, names.ToArray(), nodes.ToArray(), required, additional);
    }

    private static SchemaNode CompileValue(EventSpec spec, string property, JsonElement schema)
    {
        var node = new SchemaNode();
        foreach (var keyword in schema.EnumerateObject())
        {
            var v = keyword.Value;
            switch (keyword.Name)
            {
                case "type":
                    node.Type = v.GetString() switch
                    {
                        "string" => JsonType.String,
                        "integer" => JsonType.Integer,
                        "number" => JsonType.Number,
                        "boolean" => JsonType.Boolean,
                        "array" => JsonType.Array,
                        "object" => JsonType.Object,
                        var other => throw Unsupported(spec, $"type '{other}' of '{property}'"),
                    };
                    break;
                case "const":
                    node.Const = v.GetString();
                    break;
                case "enum":
                    node.Enum = new HashSet<string>(StringComparer.Ordinal);
                    var listed = new StringBuilder();
                    foreach (var item in v.EnumerateArray())
                    {
                        node.Enum.Add(item.GetString()!);
                        if (listed.Length > 0) listed.Append(", ");
                        listed.Append(item.GetString());
                    }

                    node.EnumText = listed.ToString();
                    break;
                case "maxLength":
                    node.MaxLength = v.GetInt32();
                    break;
                case "minimum":
                    node.Minimum = v.GetDouble();
                    break;
                case "maximum":
                    node.Maximum = v.GetDouble();
                    break;
                case "pattern":
                    node.Pattern = new Regex(v.GetString()!, RegexOptions.CultureInvariant, PatternTimeout);
                    break;
                case "format":
                    node.Format = v.GetString() switch
                    {
                        "uuid" => StringFormat.Uuid,
                        "date-time" => StringFormat.DateTime,
                        var other => throw Unsupported(spec, $"format '{other}' of '{property}'"),
                    };
                    break;
                case "maxItems":
                    node.MaxItems = v.GetInt32();
                    break;
                case "minItems":
                    node.MinItems = v.GetInt32();
                    break;
                case "uniqueItems":
                    node.UniqueItems = v.ValueKind == JsonValueKind.True;
                    break;
                case "items":
                    node.Items = CompileValue(spec, property + "[]", v);
                    break;
                default:
                    if (!Annotations.Contains(keyword.Name)) throw Unsupported(spec, $"'{keyword.Name}' of '{property}'");
                    break;
            }
        }

        return node;
    }

    private static InvalidOperationException Unsupported(EventSpec spec, string what) =>
        new(string.Format(CultureInfo.InvariantCulture,
            "The JSON Schema of event '{0}' uses {1}, which the ingest validator does not implement; extend EventSchemaCompiler together with EventJsonSchema.", spec.Name, what));
}
