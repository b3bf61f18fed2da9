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

    /// <summary>
    /// Match timeout of a pattern the linear-time engine cannot run (backreferences, lookarounds), so a hostile value
    /// cannot stall a request.
    /// </summary>
    internal static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Compiles a catalog pattern with the non-backtracking engine: linear in the value's length, so no value can stall
    /// a request, and no timeout, so a busy machine never refuses a valid value (a wall-clock timeout did, under load).
    /// Patterns that engine cannot run fall back to the backtracking one with <see cref="PatternTimeout"/>.
    /// </summary>
    internal static Regex CompilePattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
    }

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
                        var node = CompileValue(spec, p.Name, p.Value);
                        ApplyNumberContract(node, NumberContract.KindOf(spec, p.Name), p.Name == "schema_version" ? spec.Version : null);
                        nodes.Add(node);
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
                    node.Pattern = CompilePattern(v.GetString()!);
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

    /// <summary>
    /// Narrows a number node to <see cref="NumberContract"/>: integers within the schema's bounds and the C# type's range
    /// (int64 when the catalog type is not known), <c>schema_version</c> at most the event's catalog version.
    /// </summary>
    private static void ApplyNumberContract(SchemaNode node, NumberKind kind, int? maxVersion)
    {
        if (node.Items is { } items) ApplyNumberContract(items, kind, null);
        if (node.Type == JsonType.Integer)
        {
            if (kind is not (NumberKind.Int32 or NumberKind.Int64)) kind = NumberKind.Int64;
            node.Kind = kind;
            node.IntegerMin = NumberContract.MinOf(kind);
            node.IntegerMax = NumberContract.MaxOf(kind);
            if (node.Minimum is { } min && min > node.IntegerMin) node.IntegerMin = min >= node.IntegerMax ? node.IntegerMax : (long)Math.Ceiling(min);
            if (node.Maximum is { } max && max < node.IntegerMax) node.IntegerMax = max <= node.IntegerMin ? node.IntegerMin : (long)Math.Floor(max);
            if (maxVersion is { } version && version < node.IntegerMax) node.IntegerMax = version;
        }
        else if (node.Type == JsonType.Number)
        {
            node.Kind = kind == NumberKind.Decimal ? NumberKind.Decimal : NumberKind.Double;
        }
    }

    private static InvalidOperationException Unsupported(EventSpec spec, string what) =>
        new(string.Format(CultureInfo.InvariantCulture,
            "The JSON Schema of event '{0}' uses {1}, which the ingest validator does not implement; extend EventSchemaCompiler together with EventJsonSchema.", spec.Name, what));
}
