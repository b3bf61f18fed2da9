using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Catalog;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Tests.Validation;

/// <summary>The ingest validator follows the resolved catalog: refs to shared definitions, narrowed bounds, item constraints and item counts.</summary>
public sealed class SharedDefinitionValidationTests
{
    private static readonly Lazy<CatalogValidator> Validator = new(() => new CatalogValidator(CatalogSet.Parse(new[]
    {
        new KeyValuePair<string, string>("definitions.yaml", """
            definitions:
              timeframe: { type: enum, values: [1m, 1h] }
              bars: { type: int32, min: 1, max: 10000 }
            """),
        new KeyValuePair<string, string>("chart.yaml", """
            feature: chart
            events:
              compare:
                properties:
                  timeframe: { ref: timeframe }
                  visible_bars: { ref: bars, max: 500 }
                  assets: { type: array, items: { type: string, max_length: 5 }, min_items: 1, max_items: 3, unique_items: true }
            """),
    })));

    private static List<ValidationError> Errors(Action<JsonObject> edit)
    {
        var evt = Events.Envelope("chart.compare");
        evt["timeframe"] = "1h";
        evt["visible_bars"] = 100;
        evt["assets"] = new JsonArray("BTC", "ETH");
        edit(evt);
        var errors = new List<ValidationError>();
        using var doc = JsonDocument.Parse(evt.ToJsonString());
        Validator.Value.Validate(doc.RootElement, "$.events[0]", errors);
        return errors;
    }

    [Fact]
    public void A_valid_event_passes() => Assert.Empty(Errors(_ => { }));

    [Theory]
    [InlineData("timeframe", "\"4h\"", "enum")]
    [InlineData("visible_bars", "501", "maximum")]
    [InlineData("visible_bars", "0", "minimum")]
    [InlineData("assets", "[]", ValidationReasons.MinItems)]
    [InlineData("assets", "[\"A\",\"B\",\"C\",\"D\"]", ValidationReasons.MaxItems)]
    [InlineData("assets", "[\"BTC\",\"BTC\"]", ValidationReasons.UniqueItems)]
    [InlineData("assets", "[\"TOOLONG\"]", ValidationReasons.MaxLength)]
    public void A_value_breaking_the_resolved_constraint_is_rejected(string property, string json, string reason)
    {
        var error = Assert.Single(Errors(e => e[property] = JsonNode.Parse(json)));
        Assert.Equal(reason, error.Reason);
    }
}
