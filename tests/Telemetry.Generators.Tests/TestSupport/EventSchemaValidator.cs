using System.Text.Json;
using System.Text.RegularExpressions;

namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>
/// Checks an event's JSON against its descriptor's JSON Schema, for the keywords the generator writes
/// (type, const, enum, pattern, format uuid/date-time, minimum, maximum, maxLength, maxItems, items, required,
/// additionalProperties: false). Returns the violations; empty when the event conforms.
/// </summary>
internal static class EventSchemaValidator
{
    public static IReadOnlyList<string> Validate(string eventJson, string schemaJson)
    {
        var errors = new List<string>();
        using var evt = JsonDocument.Parse(eventJson);
        using var schema = JsonDocument.Parse(schemaJson);
        var root = schema.RootElement;
        var properties = root.GetProperty("properties");
        foreach (var required in root.GetProperty("required").EnumerateArray())
        {
            if (!evt.RootElement.TryGetProperty(required.GetString()!, out _)) errors.Add($"missing required '{required.GetString()}'");
        }

        foreach (var member in evt.RootElement.EnumerateObject())
        {
            if (!properties.TryGetProperty(member.Name, out var rule))
            {
                if (root.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False) errors.Add($"'{member.Name}' is not in the schema");
                continue;
            }

            Check(member.Name, member.Value, rule, errors);
        }

        return errors;
    }

    private static void Check(string path, JsonElement value, JsonElement rule, List<string> errors)
    {
        if (rule.TryGetProperty("const", out var constant) && value.ToString() != constant.ToString()) errors.Add($"{path}: expected const {constant}");
        if (rule.TryGetProperty("enum", out var members) && !members.EnumerateArray().Any(m => m.ValueKind == value.ValueKind && m.ToString() == value.ToString()))
        {
            errors.Add($"{path}: '{value}' is not one of {members}");
        }

        if (rule.TryGetProperty("type", out var type))
        {
            var ok = type.GetString() switch
            {
                "string" => value.ValueKind == JsonValueKind.String,
                "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                "number" => value.ValueKind == JsonValueKind.Number,
                "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "array" => value.ValueKind == JsonValueKind.Array,
                "object" => value.ValueKind == JsonValueKind.Object,
                _ => false,
            };
            if (!ok)
            {
                errors.Add($"{path}: {value.ValueKind} is not {type.GetString()}");
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (rule.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!)) errors.Add($"{path}: '{text}' does not match {pattern}");
            if (rule.TryGetProperty("maxLength", out var maxLength) && text.Length > maxLength.GetInt32()) errors.Add($"{path}: longer than {maxLength}");
            if (rule.TryGetProperty("format", out var format))
            {
                var ok = format.GetString() switch
                {
                    "uuid" => Guid.TryParseExact(text, "D", out _),
                    "date-time" => DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out _),
                    _ => true,
                };
                if (!ok) errors.Add($"{path}: '{text}' is not a {format}");
            }
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = value.GetDouble();
            if (rule.TryGetProperty("minimum", out var min) && number < min.GetDouble()) errors.Add($"{path}: {number} < minimum {min}");
            if (rule.TryGetProperty("maximum", out var max) && number > max.GetDouble()) errors.Add($"{path}: {number} > maximum {max}");
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            if (rule.TryGetProperty("maxItems", out var maxItems) && value.GetArrayLength() > maxItems.GetInt32()) errors.Add($"{path}: more than {maxItems} items");
            if (rule.TryGetProperty("items", out var items))
            {
                var i = 0;
                foreach (var item in value.EnumerateArray()) Check($"{path}[{i++}]", item, items, errors);
            }
        }
    }
}
