using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Telemetry.Catalog.Tool.Tests.TestSupport;

/// <summary>
/// A JSON Schema check for exactly the keywords the per-event schemas use (a schema library is not installable from
/// the registry reachable here). An unknown keyword fails rather than being ignored, so the check cannot silently weaken.
/// </summary>
internal static class SchemaValidator
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "$id", "title", "description" };
    private static readonly Regex DateTime = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);

    public static IReadOnlyList<string> Validate(string schemaJson, string instanceJson)
    {
        using var schema = JsonDocument.Parse(schemaJson);
        using var instance = JsonDocument.Parse(instanceJson);
        var errors = new List<string>();
        Check(schema.RootElement, instance.RootElement, "$", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement value, string at, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            var k = keyword.Value;
            switch (keyword.Name)
            {
                case var a when Annotations.Contains(a):
                    break;
                case "type":
                    if (!HasType(value, k.GetString()!)) errors.Add($"{at}: expected {k.GetString()}, got {value.ValueKind}");
                    break;
                case "const":
                    if (value.ValueKind != JsonValueKind.String || value.GetString() != k.GetString()) errors.Add($"{at}: expected const {k.GetString()}");
                    break;
                case "enum":
                    if (!k.EnumerateArray().Any(v => v.GetString() == (value.ValueKind == JsonValueKind.String ? value.GetString() : null))) errors.Add($"{at}: {value} is not in enum");
                    break;
                case "format":
                    CheckFormat(k.GetString()!, value, at, errors);
                    break;
                case "maxLength":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > k.GetInt32()) errors.Add($"{at}: longer than {k.GetInt32()}");
                    break;
                case "pattern":
                    if (value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, k.GetString()!)) errors.Add($"{at}: does not match {k.GetString()}");
                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() < k.GetDouble()) errors.Add($"{at}: below minimum {k.GetDouble()}");
                    break;
                case "maximum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() > k.GetDouble()) errors.Add($"{at}: above maximum {k.GetDouble()}");
                    break;
                case "maxItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > k.GetInt32()) errors.Add($"{at}: more than {k.GetInt32()} items");
                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in value.EnumerateArray()) Check(k, item, $"{at}[{i++}]", errors);
                    }

                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in value.EnumerateObject())
                        {
                            if (k.TryGetProperty(p.Name, out var sub)) Check(sub, p.Value, $"{at}.{p.Name}", errors);
                        }
                    }

                    break;
                case "required":
                    foreach (var name in k.EnumerateArray().Select(n => n.GetString()!))
                    {
                        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out _)) errors.Add($"{at}: missing required '{name}'");
                    }

                    break;
                case "additionalProperties":
                    if (k.ValueKind == JsonValueKind.False && value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var declared))
                    {
                        foreach (var p in value.EnumerateObject())
                        {
                            if (!declared.TryGetProperty(p.Name, out _)) errors.Add($"{at}: property '{p.Name}' is not allowed");
                        }
                    }

                    break;
                default:
                    throw new NotSupportedException($"SchemaValidator does not know the keyword '{keyword.Name}'; extend it rather than ignore the keyword.");
            }
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d),
        _ => throw new NotSupportedException("type " + type),
    };

    private static void CheckFormat(string format, JsonElement value, string at, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.String) return;
        var s = value.GetString()!;
        var ok = format switch
        {
            "uuid" => Guid.TryParseExact(s, "D", out _),
            "date-time" => DateTime.IsMatch(s),
            _ => throw new NotSupportedException("format " + format),
        };
        if (!ok) errors.Add($"{at}: '{s}' is not a {format}");
    }
}
