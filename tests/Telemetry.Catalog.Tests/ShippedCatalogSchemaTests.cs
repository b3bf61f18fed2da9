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
/// <remarks>The schema is evaluated by JsonSchema.Net (every JSON Schema 2020-12 keyword, formats asserted).</remarks>
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

/// <summary><c>catalog/catalog.schema.json</c>, evaluated by JsonSchema.Net.</summary>
internal sealed class CatalogJsonSchema
{
    private readonly Json.Schema.JsonSchema _schema;

    private CatalogJsonSchema(Json.Schema.JsonSchema schema) => _schema = schema;

    public static CatalogJsonSchema Load(string path) => new(JsonSchemaCheck.Build(File.ReadAllText(path)));

    public IReadOnlyList<JsonSchemaError> Evaluate(JsonElement instance) => JsonSchemaCheck.Errors(_schema, instance);
}
