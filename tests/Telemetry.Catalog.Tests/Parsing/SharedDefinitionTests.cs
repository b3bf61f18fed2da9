using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Catalog.Schema;

namespace Telemetry.Catalog.Tests.Parsing;

/// <summary>Shared definitions (<c>definitions:</c>, <c>ref:</c>) and array item constraints.</summary>
public sealed class SharedDefinitionTests
{
    private const string Definitions = """
        definitions:
          timeframe: { type: enum, values: [1m, 5m, 15m, 1h, 4h, 1d], description: Candle timeframe }
          symbol:    { type: string, max_length: 32, pattern: "^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$", example: "BTC/USDT" }
          bars:      { type: int32, min: 1, max: 5000 }
          tags:      { type: array, items: { type: string, max_length: 16 }, max_items: 5, unique_items: true }
        """;

    private static CatalogSet Set(params (string Path, string Text)[] files) =>
        CatalogSet.Parse(files.Select(f => new KeyValuePair<string, string>(f.Path, f.Text)));

    private static IEnumerable<CatalogDiagnostic> Errors(CatalogSet set) => set.AllDiagnostics.Where(d => d.Severity == CatalogSeverity.Error);

    [Fact]
    public void A_file_may_hold_only_definitions_and_other_files_ref_them_with_overrides()
    {
        var set = Set(("catalog/definitions.yaml", Definitions), ("catalog/chart.yaml", """
            feature: chart
            events:
              zoom:
                description: Zoom.
                properties:
                  timeframe: { ref: timeframe }
                  symbol:    { ref: symbol, description: Token pair shown, required: false, example: "ETH/USDT" }
                  visible_bars: { ref: bars, min: 10, max: 1000 }
            """));

        Assert.Empty(Errors(set));
        var zoom = set.Events.Single(e => e.Name == "chart.zoom");
        var tf = zoom.Properties.Single(p => p.Name == "timeframe");
        Assert.Equal(PropertyType.Enum, tf.Type);
        Assert.Equal("timeframe", tf.Ref);
        Assert.Equal(new[] { "1m", "5m", "15m", "1h", "4h", "1d" }, tf.EnumValues.ToArray());
        Assert.Equal("Candle timeframe", tf.Description);
        var symbol = zoom.Properties.Single(p => p.Name == "symbol");
        Assert.Equal("Token pair shown", symbol.Description);
        Assert.False(symbol.Required);
        Assert.Equal(new[] { "ETH/USDT" }, symbol.Examples.ToArray());
        Assert.Equal(32, symbol.MaxLength);
        Assert.Equal("^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$", symbol.Pattern);
        var bars = zoom.Properties.Single(p => p.Name == "visible_bars");
        Assert.Equal(10, bars.Min);
        Assert.Equal(1000, bars.Max);
        Assert.Equal(new[] { "chart.zoom" }, set.UsersOf("timeframe"));
    }

    [Fact]
    public void A_ref_gives_the_same_wire_schema_as_the_property_written_out()
    {
        var inline = CatalogParser.Parse("catalog/a.yaml", """
            feature: chart
            events:
              zoom:
                properties:
                  symbol: { type: string, max_length: 16, pattern: "^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$", description: Pair, required: false }
            """);
        var viaRef = Set(("catalog/a.yaml", """
            feature: chart
            events:
              zoom:
                properties:
                  symbol: { ref: symbol, max_length: 16, description: Pair, required: false }
            """), ("catalog/d.yaml", Definitions));
        Assert.Empty(inline.Errors());
        Assert.Empty(Errors(viaRef));
        Assert.Equal(EventJsonSchema.Write(inline.Events[0]), EventJsonSchema.Write(viaRef.Events.Single()));
    }

    [Theory]
    [InlineData("{ ref: bars, min: 0 }", "min: 0", "min 0 is below the definition's 1")]
    [InlineData("{ ref: bars, max: 6000 }", "max: 6000", "max 6000 is above the definition's 5000")]
    [InlineData("{ ref: symbol, max_length: 64 }", "max_length: 64", "max_length 64 is above the definition's 32")]
    [InlineData("{ ref: tags, max_items: 9 }", "max_items: 9", "max_items 9 is above the definition's 5")]
    [InlineData("{ ref: tags, unique_items: false }", "unique_items: false", "unique_items: false drops")]
    public void Widening_a_definition_is_an_error_at_its_yaml_line(string property, string at, string why)
    {
        var text = $$"""
            feature: chart
            events:
              zoom:
                properties:
                  value: {{property}}
            """;
        var set = Set(("catalog/a.yaml", text), ("catalog/d.yaml", Definitions));
        var error = Assert.Single(Errors(set));
        Assert.Equal(DiagnosticIds.InvalidType, error.Id);
        Assert.Contains("widens definition", error.Message);
        Assert.Contains(why, error.Message);
        Assert.Equal("catalog/a.yaml", error.Location.FilePath);
        Assert.Equal(CatalogText.PositionOf(text, at), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void An_unknown_ref_is_an_error_at_the_ref_naming_the_known_definitions()
    {
        var text = """
            feature: chart
            events:
              zoom:
                properties:
                  timeframe: { ref: time_frame }
            """;
        var set = Set(("catalog/a.yaml", text), ("catalog/d.yaml", Definitions));
        var error = Assert.Single(Errors(set));
        Assert.Equal(DiagnosticIds.InvalidType, error.Id);
        Assert.Contains("unknown definition 'time_frame'", error.Message);
        Assert.Contains("timeframe", error.Message);
        Assert.Equal(CatalogText.PositionOf(text, "time_frame"), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void A_definition_name_defined_in_two_files_is_reported_at_the_second()
    {
        var second = """
            definitions:
              symbol: { type: string }
            """;
        var set = Set(("catalog/a.yaml", Definitions), ("catalog/b.yaml", second));
        var error = Assert.Single(Errors(set));
        Assert.Equal(DiagnosticIds.DuplicateEvent, error.Id);
        Assert.Equal("catalog/b.yaml", error.Location.FilePath);
        Assert.Contains("Definition 'symbol' is defined twice", error.Message);
    }

    [Theory]
    [InlineData("other: { ref: symbol }", "ref: symbol")]
    [InlineData("other: { type: array, items: { ref: symbol } }", "ref: symbol")]
    public void Definitions_do_not_reference_each_other(string definition, string at)
    {
        var text = Definitions + "\n  " + definition + "\n";
        var file = CatalogText.Parse(text);
        var error = Assert.Single(file.Errors());
        Assert.Contains("definitions do not reference each other", error.Message);
        Assert.Equal(CatalogText.PositionOf(text, at), (error.Location.Line, error.Location.Column));
    }

    [Theory]
    [InlineData("type: string")]
    [InlineData("values: [a]")]
    [InlineData("pattern: \"^x$\"")]
    [InlineData("pii: email")]
    public void A_ref_cannot_redefine_what_the_definition_fixes(string extra)
    {
        var set = Set(("catalog/a.yaml", $$"""
            feature: chart
            events:
              zoom:
                properties:
                  symbol: { ref: symbol, {{extra}} }
            """), ("catalog/d.yaml", Definitions));
        Assert.Contains(Errors(set), d => d.Message.Contains("comes from the definition named by 'ref'"));
    }

    [Fact]
    public void Items_take_every_scalar_constraint_and_arrays_take_item_counts()
    {
        var file = CatalogText.Parse("""
            feature: chart
            events:
              zoom:
                properties:
                  assets:  { type: array, items: { type: string, max_length: 16, pattern: "^[A-Z]+$" }, min_items: 1, max_items: 10, unique_items: true }
                  levels:  { type: array, items: { type: double, min: 0, max: 1 } }
                  frames:  { type: array, items: { ref: timeframe } }
            definitions:
              timeframe: { type: enum, values: [1m, 1h] }
            """);
        Assert.Empty(file.Errors());
        var zoom = file.Event("chart.zoom");
        var assets = zoom.Property("assets");
        Assert.Equal((16, "^[A-Z]+$", 1, 10, true), (assets.MaxLength!.Value, assets.Pattern!, assets.MinItems!.Value, assets.MaxItems!.Value, assets.UniqueItems));
        var schema = EventJsonSchema.Write(zoom);
        Assert.Contains("\"assets\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":10,\"uniqueItems\":true,\"items\":{\"type\":\"string\",\"maxLength\":16,\"pattern\":\"^[A-Z]+$\"}}", schema);
        Assert.Equal((0d, 1d), (zoom.Property("levels").Min!.Value, zoom.Property("levels").Max!.Value));
        var frames = zoom.Property("frames");
        Assert.Equal((PropertyType.Enum, "timeframe"), (frames.ItemType!.Value, frames.Ref!));
    }

    [Theory]
    [InlineData("{ type: array, items: { type: string }, min_items: 3, max_items: 2 }", "min_items 3 above max_items 2")]
    [InlineData("{ type: array, items: { type: string, max_length: 0 } }", "max_length 0")]
    [InlineData("{ type: array, items: { type: string, min: 1 } }", "'min'/'max' apply to numbers only")]
    [InlineData("{ type: array, items: { type: int32, max_length: 3 } }", "'max_length' applies to strings only")]
    [InlineData("{ type: array, items: { type: string, max_length: 3 }, max_length: 4 }", "both on the array and under 'items:'")]
    [InlineData("{ type: string, min_items: 1 }", "'min_items' applies to arrays only")]
    [InlineData("{ type: string, unique_items: true }", "'unique_items' applies to arrays only")]
    [InlineData("{ type: array, items: string, on_violation: clamp }", "'on_violation: clamp' applies to numbers")]
    [InlineData("{ type: boolean, on_violation: clamp }", "'on_violation: clamp' applies to numbers")]
    [InlineData("{ type: int32, on_violation: drop }", "on_violation")]
    public void Item_and_array_constraints_that_cannot_hold_are_errors(string property, string expected)
    {
        var file = CatalogText.Parse($$"""
            feature: chart
            events:
              zoom:
                properties:
                  value: {{property}}
            """);
        Assert.Contains(file.Errors(), d => d.Message.Contains(expected));
    }

    [Fact]
    public void An_enum_definition_name_clashing_with_an_event_type_is_reported()
    {
        var set = Set(("catalog/a.yaml", """
            definitions:
              chart_zoom: { type: enum, values: [a] }
            """), ("catalog/b.yaml", """
            feature: chart
            events:
              zoom:
                properties:
                  x: int32
            """));
        Assert.Contains(Errors(set), d => d.Message.Contains("'ChartZoom'"));
    }
}
