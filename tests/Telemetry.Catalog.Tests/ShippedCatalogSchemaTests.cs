using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Telemetry.Catalog.Tests;

/// <summary>
/// Every shipped <c>catalog/*.yaml</c> validates against <c>catalog/catalog.schema.json</c> (the schema YAML
/// editors use through the <c># yaml-language-server: $schema=catalog.schema.json</c> modeline), and the
/// schema rejects what the format forbids.
/// </summary>
/// <remarks>
/// The schema is evaluated by <see cref="CatalogJsonSchema"/> below, a small JSON Schema 2020-12 evaluator for
/// exactly the keywords the catalog schema uses (it throws on any other keyword, so the schema cannot grow a
/// keyword this test silently ignores). JsonSchema.Net could not be used: its dependencies (JsonPointer.Net,
/// Json.More.Net) are not available from the package feed this project restores from.
/// </remarks>
public sealed class ShippedCatalogSchemaTests
{
    private const string Modeline = "# yaml-language-server: $schema=catalog.schema.json";

    private static readonly Lazy<CatalogJsonSchema> Schema =
        new(() => CatalogJsonSchema.Load(Path.Combine(RepoPaths.Catalog, "catalog.schema.json")));

    /// <summary>The minimal valid catalog the negative cases start from (each breaks one rule).</summary>
    private const string MinimalCatalog = """
        feature: watchlist
        events:
          add:
            description: A token pair was added to the watchlist.
            properties:
              symbol: { type: string, max_length: 32, example: "BTC/USDT" }
              price: decimal
              source: { type: enum, values: [search, chart] }
        """;

    public static TheoryData<string> ShippedCatalogs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(RepoPaths.Catalog, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void The_feature_catalogs_are_shipped()
    {
        string[] expected = ["crosshair.yaml", "metrics.yaml", "order.yaml", "replay.yaml", "screenshot.yaml", "watchlist.yaml"];
        var present = Directory.EnumerateFiles(RepoPaths.Catalog, "*.yaml").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        var missing = expected.Where(name => !present.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "missing catalog files: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(ShippedCatalogs))]
    public void Shipped_catalog_validates_against_the_schema(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Catalog, fileName));

        var errors = Schema.Value.Evaluate(YamlToJson.Convert(text));

        Assert.True(errors.Count == 0, $"catalog/{fileName} does not validate against catalog.schema.json:\n  " + string.Join("\n  ", errors));
    }

    [Theory]
    [MemberData(nameof(ShippedCatalogs))]
    public void Shipped_catalog_starts_with_the_schema_modeline(string fileName)
    {
        var firstLine = File.ReadLines(Path.Combine(RepoPaths.Catalog, fileName)).FirstOrDefault();

        Assert.Equal(Modeline, firstLine);
    }

    [Fact]
    public void The_minimal_catalog_of_the_negative_cases_is_valid()
    {
        var errors = Schema.Value.Evaluate(YamlToJson.Convert(MinimalCatalog));

        Assert.True(errors.Count == 0, "baseline catalog should validate:\n  " + string.Join("\n  ", errors));
    }

    public static TheoryData<string, string, string> InvalidCatalogs() => new()
    {
        // case, catalog text, instance location (JSON pointer) that must be reported
        { "unknown event key", MinimalCatalog + "\n    colour: red\n", "/events/add/colour" },
        { "enum without values", MinimalCatalog + "\n      side: { type: enum }\n", "/events/add/properties/side" },
        { "unknown file key", MinimalCatalog + "\nversion: 2\n", "/version" },
        { "unknown property key", MinimalCatalog + "\n      side: { type: string, lenght: 4 }\n", "/events/add/properties/side/lenght" },
        { "property clashes with an envelope field", MinimalCatalog + "\n      timestamp: timestamp\n", "/events/add/properties/timestamp" },
        { "enum in the short form", MinimalCatalog + "\n      side: enum\n", "/events/add/properties/side" },
        { "unknown type", MinimalCatalog + "\n      side: { type: text }\n", "/events/add/properties/side/type" },
        { "array without items", MinimalCatalog + "\n      symbols: { type: array }\n", "/events/add/properties/symbols" },
        { "pii without treatment", MinimalCatalog + "\n      contact: { type: string, pii: email }\n", "/events/add/properties/contact" },
        { "raw pii without justification", MinimalCatalog + "\n      contact: { type: string, pii: email, treatment: none }\n", "/events/add/properties/contact" },
        { "sampling above 1", MinimalCatalog + "\n    sampling: 1.5\n", "/events/add/sampling" },
        { "financial event sampled", MinimalCatalog + "\n    sensitivity: financial\n    sampling: 0.5\n", "/events/add/sampling" },
        { "high frequency, unaggregated", MinimalCatalog + "\n    frequency: high\n", "/events/add" },
        { "event name breaks the naming rule", MinimalCatalog + "\n  Bulk-Remove:\n    description: x\n", "/events/Bulk-Remove" },
        { "fractional bound of an int32", MinimalCatalog + "\n      rank: { type: int32, min: 0.5 }\n", "/events/add/properties/rank/min" },
        { "window_ms out of range", MinimalCatalog + "\n    aggregate: { into: add_agg, window_ms: 500 }\n", "/events/add/aggregate/window_ms" },
        { "metric with sampling", "feature: heuristics\nmetrics:\n  heuristic.execution: { kind: histogram, unit: ms, sampling: 0.5 }\n", "/metrics/heuristic.execution/sampling" },
        { "neither events nor metrics", "feature: heuristics\n", "" },
    };

    [Theory]
    [MemberData(nameof(InvalidCatalogs))]
    public void Schema_rejects_an_invalid_catalog(string @case, string yaml, string expectedLocation)
    {
        var errors = Schema.Value.Evaluate(YamlToJson.Convert(yaml));

        Assert.True(errors.Count > 0, $"{@case}: the schema accepted the catalog:\n{yaml}");
        Assert.True(
            errors.Any(e => e.InstanceLocation == expectedLocation),
            $"{@case}: expected an error at '{expectedLocation}', got:\n  " + string.Join("\n  ", errors));
    }
}

/// <summary>
/// Converts catalog YAML to JSON the way a YAML editor sees it (YAML 1.2 core schema): plain scalars that read as
/// null, booleans or numbers become JSON null, booleans and numbers; quoted and all other scalars are strings.
/// </summary>
internal static class YamlToJson
{
    private static readonly Regex Integer = new(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    public static JsonElement Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var node = stream.Documents.Count == 0 ? null : ToNode(stream.Documents[0].RootNode);
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToNode).ToArray()),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode scalarKey)
            {
                throw new NotSupportedException($"non-scalar mapping key at {key.Start}");
            }

            // JsonObject.Add throws on a duplicate key, as the catalog format does.
            result.Add(scalarKey.Value ?? string.Empty, ToNode(value));
        }

        return result;
    }

    private static JsonNode? ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (Integer.IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? JsonValue.Create(l)
                : JsonValue.Create(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (Float.IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }
}

/// <summary>One schema violation.</summary>
/// <param name="InstanceLocation">JSON pointer into the catalog (e.g. <c>/events/add/colour</c>).</param>
/// <param name="KeywordLocation">Path of the failing keyword in the schema.</param>
/// <param name="Message">What is wrong.</param>
internal sealed record SchemaError(string InstanceLocation, string KeywordLocation, string Message)
{
    public override string ToString() => $"{(InstanceLocation.Length == 0 ? "/" : InstanceLocation)}: {Message}  [{KeywordLocation}]";
}

/// <summary>
/// A JSON Schema 2020-12 evaluator for the keywords <c>catalog.schema.json</c> uses: local <c>$ref</c>, type,
/// enum, const, properties, additionalProperties, propertyNames, required, items, min/maxItems, uniqueItems,
/// minimum/maximum (and exclusive), min/maxLength, pattern, allOf, anyOf, oneOf, not, if/then/else. Annotation
/// keywords are ignored; any other keyword throws <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class CatalogJsonSchema
{
    private static readonly HashSet<string> AnnotationKeywords = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "$defs", "title", "description", "markdownDescription", "default", "examples",
        "format", "deprecated", "readOnly", "writeOnly", "then", "else",
    };

    private readonly JsonElement _root;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    private CatalogJsonSchema(JsonElement root) => _root = root;

    public static CatalogJsonSchema Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new CatalogJsonSchema(document.RootElement.Clone());
    }

    public IReadOnlyList<SchemaError> Evaluate(JsonElement instance)
    {
        var errors = new List<SchemaError>();
        Validate(_root, instance, string.Empty, "#", errors);
        return errors;
    }

    private bool Validate(JsonElement schema, JsonElement instance, string at, string path, List<SchemaError> errors)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                errors.Add(new SchemaError(at, path, "no value is allowed here"));
                return false;
            case JsonValueKind.Object:
                break;
            default:
                throw new NotSupportedException($"schema at {path} is neither an object nor a boolean");
        }

        var before = errors.Count;
        foreach (var keyword in schema.EnumerateObject())
        {
            var k = keyword.Name;
            var v = keyword.Value;
            var kp = path + "/" + k;
            switch (k)
            {
                case var _ when AnnotationKeywords.Contains(k):
                    break;
                case "$ref":
                    Validate(Resolve(v.GetString()!, kp), instance, at, kp, errors);
                    break;
                case "type":
                    var types = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(t => t.GetString()!).ToList() : [v.GetString()!];
                    if (!types.Any(t => HasType(instance, t)))
                    {
                        errors.Add(new SchemaError(at, kp, $"{Show(instance)} is not of type {string.Join(" or ", types)}"));
                    }

                    break;
                case "enum":
                    if (!v.EnumerateArray().Any(option => JsonEquals(option, instance)))
                    {
                        errors.Add(new SchemaError(at, kp, $"{Show(instance)} is not one of {v.GetRawText()}"));
                    }

                    break;
                case "const":
                    if (!JsonEquals(v, instance))
                    {
                        errors.Add(new SchemaError(at, kp, $"{Show(instance)} is not {v.GetRawText()}"));
                    }

                    break;
                case "properties":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in v.EnumerateObject())
                        {
                            if (instance.TryGetProperty(property.Name, out var value))
                            {
                                Validate(property.Value, value, at + "/" + Escape(property.Name), kp + "/" + Escape(property.Name), errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out var props) ? props : default;
                        foreach (var member in instance.EnumerateObject())
                        {
                            if (declared.ValueKind == JsonValueKind.Object && declared.TryGetProperty(member.Name, out _)) continue;
                            if (v.ValueKind == JsonValueKind.False)
                            {
                                errors.Add(new SchemaError(at + "/" + Escape(member.Name), kp, $"unknown key '{member.Name}'"));
                            }
                            else
                            {
                                Validate(v, member.Value, at + "/" + Escape(member.Name), kp, errors);
                            }
                        }
                    }

                    break;
                case "propertyNames":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var member in instance.EnumerateObject())
                        {
                            Validate(v, JsonSerializer.SerializeToElement(member.Name), at + "/" + Escape(member.Name), kp, errors);
                        }
                    }

                    break;
                case "required":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in v.EnumerateArray().Select(n => n.GetString()!))
                        {
                            if (!instance.TryGetProperty(name, out _))
                            {
                                errors.Add(new SchemaError(at, kp, $"missing required key '{name}'"));
                            }
                        }
                    }

                    break;
                case "items":
                    if (instance.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in instance.EnumerateArray())
                        {
                            Validate(v, item, at + "/" + i.ToString(CultureInfo.InvariantCulture), kp, errors);
                            i++;
                        }
                    }

                    break;
                case "minItems" or "maxItems" or "uniqueItems":
                    if (instance.ValueKind == JsonValueKind.Array)
                    {
                        var items = instance.EnumerateArray().ToList();
                        if (k == "minItems" && items.Count < v.GetInt32()) errors.Add(new SchemaError(at, kp, $"fewer than {v.GetInt32()} items"));
                        if (k == "maxItems" && items.Count > v.GetInt32()) errors.Add(new SchemaError(at, kp, $"more than {v.GetInt32()} items"));
                        if (k == "uniqueItems" && v.ValueKind == JsonValueKind.True
                            && items.Where((a, ia) => items.Where((b, ib) => ib > ia && JsonEquals(a, b)).Any()).Any())
                        {
                            errors.Add(new SchemaError(at, kp, "items are not unique"));
                        }
                    }

                    break;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                    if (instance.ValueKind == JsonValueKind.Number)
                    {
                        var n = instance.GetDouble();
                        var limit = v.GetDouble();
                        var ok = k switch
                        {
                            "minimum" => n >= limit,
                            "maximum" => n <= limit,
                            "exclusiveMinimum" => n > limit,
                            _ => n < limit,
                        };
                        if (!ok) errors.Add(new SchemaError(at, kp, $"{Show(instance)} breaks {k} {v.GetRawText()}"));
                    }

                    break;
                case "minLength" or "maxLength":
                    if (instance.ValueKind == JsonValueKind.String)
                    {
                        var length = instance.GetString()!.EnumerateRunes().Count();
                        if (k == "minLength" ? length < v.GetInt32() : length > v.GetInt32())
                        {
                            errors.Add(new SchemaError(at, kp, $"length {length} breaks {k} {v.GetInt32()}"));
                        }
                    }

                    break;
                case "pattern":
                    if (instance.ValueKind == JsonValueKind.String && !Pattern(v.GetString()!).IsMatch(instance.GetString()!))
                    {
                        errors.Add(new SchemaError(at, kp, $"{Show(instance)} does not match {v.GetString()}"));
                    }

                    break;
                case "allOf":
                    var index = 0;
                    foreach (var sub in v.EnumerateArray())
                    {
                        Validate(sub, instance, at, kp + "/" + (index++).ToString(CultureInfo.InvariantCulture), errors);
                    }

                    break;
                case "anyOf" or "oneOf":
                    var branchErrors = new List<SchemaError>();
                    var matches = 0;
                    var branch = 0;
                    foreach (var sub in v.EnumerateArray())
                    {
                        if (Validate(sub, instance, at, kp + "/" + (branch++).ToString(CultureInfo.InvariantCulture), branchErrors)) matches++;
                    }

                    if (matches == 0)
                    {
                        errors.Add(new SchemaError(at, kp, $"not valid under any of the {k} alternatives"));
                        errors.AddRange(branchErrors);
                    }
                    else if (k == "oneOf" && matches > 1)
                    {
                        errors.Add(new SchemaError(at, kp, $"valid under {matches} oneOf alternatives, expected exactly one"));
                    }

                    break;
                case "not":
                    if (Validate(v, instance, at, kp, []))
                    {
                        errors.Add(new SchemaError(at, kp, "must not match the 'not' schema"));
                    }

                    break;
                case "if":
                    var branchName = Validate(v, instance, at, kp, []) ? "then" : "else";
                    if (schema.TryGetProperty(branchName, out var branchSchema))
                    {
                        Validate(branchSchema, instance, at, path + "/" + branchName, errors);
                    }

                    break;
                default:
                    throw new NotSupportedException($"schema keyword '{k}' at {path} is not supported by this evaluator");
            }
        }

        return errors.Count == before;
    }

    private JsonElement Resolve(string reference, string path)
    {
        if (!reference.StartsWith('#'))
        {
            throw new NotSupportedException($"only local $ref is supported ({reference} at {path})");
        }

        var target = _root;
        foreach (var segment in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target))
            {
                throw new InvalidOperationException($"$ref {reference} at {path} does not resolve");
            }
        }

        return target;
    }

    private Regex Pattern(string pattern)
    {
        if (!_patterns.TryGetValue(pattern, out var regex))
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant);
            _patterns.Add(pattern, regex);
        }

        return regex;
    }

    private static bool HasType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number
            && (instance.TryGetDecimal(out var m) ? decimal.Truncate(m) == m : Math.Floor(instance.GetDouble()) == instance.GetDouble()),
        _ => throw new NotSupportedException($"JSON Schema type '{type}'"),
    };

    private static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
        {
            return a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetDouble().Equals(b.GetDouble());
        }

        if (a.ValueKind != b.ValueKind) return false;
        switch (a.ValueKind)
        {
            case JsonValueKind.String:
                return string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                var left = a.EnumerateArray().ToList();
                var right = b.EnumerateArray().ToList();
                return left.Count == right.Count && left.Zip(right).All(pair => JsonEquals(pair.First, pair.Second));
            case JsonValueKind.Object:
                var leftMembers = a.EnumerateObject().ToList();
                return leftMembers.Count == b.EnumerateObject().Count()
                    && leftMembers.All(m => b.TryGetProperty(m.Name, out var other) && JsonEquals(m.Value, other));
            default:
                return true; // true, false, null
        }
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Show(JsonElement instance)
    {
        var raw = instance.GetRawText();
        return raw.Length <= 60 ? raw : raw[..57] + "...";
    }
}
