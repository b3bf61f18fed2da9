using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telemetry.Catalog;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Schema;

namespace Telemetry.Ingest.Validation;

/// <summary>
/// Validates wire events against the catalog: one compiled schema per event, built at startup from
/// <see cref="Telemetry.Catalog.Schema.EventJsonSchema"/>. Thread-safe; allocation is limited to the error list.
/// </summary>
public sealed class CatalogValidator
{
    private static readonly Regex DateTimePattern = new(
        @"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private readonly Dictionary<string, EventSchema> _schemas = new(StringComparer.Ordinal);

    /// <summary>Compiles every event of <paramref name="catalog"/>.</summary>
    /// <exception cref="InvalidOperationException">The catalog has errors, or a schema uses a keyword the validator does not implement.</exception>
    public CatalogValidator(CatalogSet catalog)
    {
        var errors = new List<string>();
        foreach (var d in catalog.AllDiagnostics)
        {
            if (d.Severity == CatalogSeverity.Error) errors.Add(d.ToString());
        }

        if (errors.Count > 0) throw new InvalidOperationException("The catalog has errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        foreach (var spec in catalog.Events) _schemas[spec.Name] = EventSchemaCompiler.Compile(spec);
    }

    /// <summary>Number of events the validator knows.</summary>
    public int EventCount => _schemas.Count;

    /// <summary>The names of the known events.</summary>
    public IEnumerable<string> EventNames => _schemas.Keys;

    /// <summary>The catalog entry of <paramref name="name"/>, if known.</summary>
    public EventSpec? Find(string name) => _schemas.TryGetValue(name, out var s) ? s.Spec : null;

    /// <summary>The JSON Schema text the validator compiled for <paramref name="name"/>.</summary>
    public string? SchemaText(string name) => _schemas.TryGetValue(name, out var s) ? s.SchemaText : null;

    /// <summary>
    /// Validates one event object. Errors are appended to <paramref name="errors"/> (at most <paramref name="maxErrors"/>)
    /// with paths under <paramref name="basePath"/>; returns true when the event is valid.
    /// </summary>
    public bool Validate(JsonElement evt, string basePath, List<ValidationError> errors, int maxErrors = 10)
    {
        var start = errors.Count;
        if (evt.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError(basePath, ValidationReasons.NotAnObject, "An event must be a JSON object, not " + Describe(evt.ValueKind) + "."));
            return false;
        }

        if (!evt.TryGetProperty("event", out var nameElement))
        {
            errors.Add(new ValidationError(basePath + ".event", ValidationReasons.Required, "The required property 'event' is missing."));
            return false;
        }

        if (nameElement.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ValidationError(basePath + ".event", ValidationReasons.Type, "'event' must be a string, not " + Describe(nameElement.ValueKind) + "."));
            return false;
        }

        var name = nameElement.GetString()!;
        if (!_schemas.TryGetValue(name, out var schema))
        {
            errors.Add(new ValidationError(basePath + ".event", ValidationReasons.UnknownEvent, "The event '" + Truncate(name) + "' is not in the catalog."));
            return false;
        }

        Span<bool> seen = schema.Names.Length <= 128 ? stackalloc bool[schema.Names.Length] : new bool[schema.Names.Length];
        foreach (var property in evt.EnumerateObject())
        {
            if (errors.Count - start >= maxErrors) return false;
            if (!schema.Index.TryGetValue(property.Name, out var index))
            {
                if (!schema.AdditionalProperties)
                {
                    errors.Add(new ValidationError(JsonPath.Property(basePath, property.Name), ValidationReasons.AdditionalProperty,
                        "The property '" + Truncate(property.Name) + "' is not defined for '" + name + "'."));
                }

                continue;
            }

            if (seen[index])
            {
                errors.Add(new ValidationError(JsonPath.Property(basePath, property.Name), ValidationReasons.DuplicateProperty,
                    "The property '" + property.Name + "' appears more than once."));
                continue;
            }

            seen[index] = true;
            ValidateValue(schema.Nodes[index], property.Value, JsonPath.Property(basePath, property.Name), property.Name, errors);
        }

        for (var i = 0; i < schema.Names.Length; i++)
        {
            if (schema.Required[i] && !seen[i] && errors.Count - start < maxErrors)
            {
                errors.Add(new ValidationError(JsonPath.Property(basePath, schema.Names[i]), ValidationReasons.Required,
                    "The required property '" + schema.Names[i] + "' is missing."));
            }
        }

        return errors.Count == start;
    }

    private static void ValidateValue(SchemaNode node, JsonElement value, string path, string property, List<ValidationError> errors)
    {
        if (node.Const is not null)
        {
            if (value.ValueKind != JsonValueKind.String || !value.ValueEquals(node.Const))
            {
                errors.Add(new ValidationError(path, ValidationReasons.Const, "'" + property + "' must be \"" + node.Const + "\"."));
            }

            return;
        }

        if (node.Enum is not null)
        {
            if (value.ValueKind != JsonValueKind.String || !node.Enum.Contains(value.GetString()!))
            {
                errors.Add(new ValidationError(path, ValidationReasons.Enum,
                    "'" + property + "' must be one of: " + node.EnumText + (value.ValueKind == JsonValueKind.String ? "; got '" + Truncate(value.GetString()!) + "'." : "; got " + Describe(value.ValueKind) + ".")));
            }

            return;
        }

        switch (node.Type)
        {
            case SchemaType.String:
                if (value.ValueKind != JsonValueKind.String)
                {
                    TypeError(path, property, "a string", value, errors);
                    return;
                }

                ValidateString(node, value.GetString()!, path, property, errors);
                return;
            case SchemaType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) TypeError(path, property, "a boolean", value, errors);
                return;
            case SchemaType.Integer:
                if (value.ValueKind != JsonValueKind.Number)
                {
                    TypeError(path, property, "an integer", value, errors);
                    return;
                }

                ValidateInteger(node, value, path, property, errors);
                return;
            case SchemaType.Number:
                if (value.ValueKind != JsonValueKind.Number)
                {
                    TypeError(path, property, "a number", value, errors);
                    return;
                }

                if (!value.TryGetDouble(out var number) || !double.IsFinite(number) ||
                    (node.Kind == NumberKind.Decimal && Math.Abs(number) > NumberContract.DecimalLimit))
                {
                    errors.Add(new ValidationError(path, ValidationReasons.Type, "'" + property + "' is not a representable number" +
                        (node.Kind == NumberKind.Decimal ? " (a decimal: at most 7.9e28 in magnitude)." : " (a finite double).")));
                    return;
                }

                if (node.Minimum is { } min && number < min)
                {
                    errors.Add(new ValidationError(path, ValidationReasons.Minimum,
                        "'" + property + "' must be at least " + min.ToString("R", CultureInfo.InvariantCulture) + "; got " + Truncate(value.GetRawText()) + "."));
                }
                else if (node.Maximum is { } max && number > max)
                {
                    errors.Add(new ValidationError(path, ValidationReasons.Maximum,
                        "'" + property + "' must be at most " + max.ToString("R", CultureInfo.InvariantCulture) + "; got " + Truncate(value.GetRawText()) + "."));
                }

                return;
            case SchemaType.Array:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    TypeError(path, property, "an array", value, errors);
                    return;
                }

                var count = value.GetArrayLength();
                if (node.MaxItems is { } maxItems && count > maxItems)
                {
                    errors.Add(new ValidationError(path, ValidationReasons.MaxItems, "'" + property + "' has " + count + " items; at most " + maxItems + " are allowed."));
                    return;
                }

                if (node.MinItems is { } minItems && count < minItems)
                {
                    errors.Add(new ValidationError(path, ValidationReasons.MinItems, "'" + property + "' has " + count + " items; at least " + minItems + " are required."));
                    return;
                }

                if (node.UniqueItems && HasDuplicateItem(value))
                {
                    errors.Add(new ValidationError(path, ValidationReasons.UniqueItems, "'" + property + "' holds the same item twice; its items must be distinct."));
                    return;
                }

                if (node.Items is { } items)
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        ValidateValue(items, item, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", property, errors);
                        i++;
                    }
                }

                return;
            default:
                return;
        }
    }

    /// <summary>An integer under <see cref="NumberContract"/>: no fractional part, within the node's bounds and its C# type.</summary>
    private static void ValidateInteger(SchemaNode node, JsonElement value, string path, string property, List<ValidationError> errors)
    {
        var read = NumberContract.ReadInteger(value, out var integer);
        if (read == IntegerRead.Fractional)
        {
            errors.Add(new ValidationError(path, ValidationReasons.Type, "'" + property + "' must be an integer (no fractional part); got " + Truncate(value.GetRawText()) + "."));
            return;
        }

        if (read == IntegerRead.OutOfRange || integer < node.IntegerMin || integer > node.IntegerMax)
        {
            var below = read == IntegerRead.OutOfRange ? value.GetRawText().StartsWith('-') : integer < node.IntegerMin;
            errors.Add(below
                ? new ValidationError(path, ValidationReasons.Minimum, "'" + property + "' must be at least " + NumberContract.Text(node.IntegerMin) + "; got " + Truncate(value.GetRawText()) + ".")
                : new ValidationError(path, ValidationReasons.Maximum, "'" + property + "' must be at most " + NumberContract.Text(node.IntegerMax) + "; got " + Truncate(value.GetRawText()) + "."));
        }
    }

    private static void ValidateString(SchemaNode node, string text, string path, string property, List<ValidationError> errors)
    {
        if (node.MaxLength is { } maxLength && Telemetry.Wire.TextLength.Exceeds(text, maxLength))
        {
            errors.Add(new ValidationError(path, ValidationReasons.MaxLength, "'" + property + "' is longer than " + maxLength + " characters."));
            return;
        }

        switch (node.Format)
        {
            case SchemaFormat.Uuid:
                if (!IsCanonicalUuid(text))
                {
                    errors.Add(new ValidationError(path, ValidationReasons.Format, "'" + property + "' must be a UUID in its canonical 36-character form (8-4-4-4-12 hex digits, no spaces or braces)."));
                    return;
                }

                break;
            case SchemaFormat.DateTime:
                if (!TryParseDateTime(text, out _))
                {
                    errors.Add(new ValidationError(path, ValidationReasons.Format, "'" + property + "' must be an RFC 3339 date-time with an offset, e.g. 2025-11-10T12:00:00Z."));
                    return;
                }

                break;
        }

        if (node.Pattern is { } pattern)
        {
            bool matched;
            try
            {
                matched = pattern.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                matched = false;
            }

            if (!matched) errors.Add(new ValidationError(path, ValidationReasons.Pattern, "'" + property + "' does not match " + pattern + "."));
        }
    }

    /// <summary>Parses an RFC 3339 date-time (the <c>date-time</c> format).</summary>
    public static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length > 40 || !DateTimePattern.IsMatch(text)) return false;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>
    /// The canonical UUID text of RFC 9562: exactly 36 characters, hex digits (either case) with hyphens at 8, 13, 18 and 23;
    /// no whitespace, braces or other forms (which <see cref="Guid.TryParseExact(string, string, out Guid)"/> would trim or accept).
    /// </summary>
    public static bool IsCanonicalUuid(string text)
    {
        if (text.Length != 36) return false;
        for (var i = 0; i < 36; i++)
        {
            var c = text[i];
            if (i is 8 or 13 or 18 or 23)
            {
                if (c != '-') return false;
            }
            else if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void TypeError(string path, string property, string expected, JsonElement value, List<ValidationError> errors) =>
        errors.Add(new ValidationError(path, ValidationReasons.Type, "'" + property + "' must be " + expected + ", not " + Describe(value.ValueKind) + "."));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Truncate(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "…";

    /// <summary>True when two items of <paramref name="array"/> are the same JSON value (scalars compared by their raw text; numbers by value).</summary>
    private static bool HasDuplicateItem(JsonElement array)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            var key = item.ValueKind switch
            {
                JsonValueKind.String => "s" + item.GetString(),
                JsonValueKind.Number => "n" + item.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                _ => "r" + item.GetRawText(),
            };
            if (!seen.Add(key)) return true;
        }

        return false;
    }
}
