using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Catalog.Schema;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Tests.Validation;

public sealed class CatalogValidatorTests
{
    private static List<ValidationError> Errors(JsonObject evt)
    {
        var errors = new List<ValidationError>();
        using var doc = JsonDocument.Parse(evt.ToJsonString());
        CatalogEvents.Validator.Validate(doc.RootElement, "$.events[3]", errors);
        return errors;
    }

    private static ValidationError Single(JsonObject evt) => Assert.Single(Errors(evt));

    [Fact]
    public void Every_catalog_event_schema_compiles()
    {
        Assert.Equal(CatalogEvents.Catalog.Events.Count(), CatalogEvents.Validator.EventCount);
        Assert.True(CatalogEvents.Validator.EventCount >= 35);
    }

    [Fact]
    public void An_event_built_from_each_catalog_events_examples_is_valid()
    {
        var checkedEvents = 0;
        foreach (var spec in CatalogEvents.Catalog.Events)
        {
            var evt = Events.Envelope(spec.Name);
            evt["schema_version"] = spec.Version;
            foreach (var p in spec.Properties.Where(p => p.IsSent && p.Required)) evt[p.WireName] = CatalogEvents.ExampleValue(p);
            var errors = Errors(evt);
            Assert.True(errors.Count == 0, spec.Name + ": " + string.Join("; ", errors.Select(e => e.Path + " " + e.Detail)));
            checkedEvents++;
        }

        Assert.True(checkedEvents >= 35);
    }

    [Fact]
    public void Valid_event_has_no_errors() => Assert.Empty(Errors(Events.PlaceSim()));

    [Fact]
    public void Unknown_event_is_reported_at_the_event_property()
    {
        var evt = Events.Zoom();
        evt["event"] = "chart.teleport";
        var e = Single(evt);
        Assert.Equal(("$.events[3].event", ValidationReasons.UnknownEvent), (e.Path, e.Reason));
    }

    [Fact]
    public void Wrong_type_is_reported_with_the_json_path_of_the_value()
    {
        var evt = Events.PlaceSim();
        evt["quantity"] = "lots";
        var e = Single(evt);
        Assert.Equal(("$.events[3].quantity", ValidationReasons.Type), (e.Path, e.Reason));
    }

    [Fact]
    public void Fractional_number_for_an_integer_property_is_a_type_error()
    {
        var evt = Events.Zoom();
        evt["visible_bars"] = 1.5;
        Assert.Equal(ValidationReasons.Type, Single(evt).Reason);
    }

    [Fact]
    public void Missing_required_property_is_reported()
    {
        var evt = Events.Zoom();
        evt.Remove("visible_bars");
        var e = Single(evt);
        Assert.Equal(("$.events[3].visible_bars", ValidationReasons.Required), (e.Path, e.Reason));
    }

    [Fact]
    public void Missing_envelope_field_is_reported()
    {
        var evt = Events.Zoom();
        evt.Remove("timestamp");
        Assert.Equal(("$.events[3].timestamp", ValidationReasons.Required), (Single(evt).Path, Single(evt).Reason));
    }

    [Fact]
    public void Over_long_string_is_reported()
    {
        var evt = Events.Annotation(new string('A', 33));
        var e = Single(evt);
        Assert.Equal(("$.events[3].symbol", ValidationReasons.MaxLength), (e.Path, e.Reason));
    }

    [Fact]
    public void String_length_counts_code_points_not_utf16_units()
    {
        // 32 emoji are 64 UTF-16 units but 32 characters: within max_length 32.
        Assert.Empty(Errors(Events.Annotation(string.Concat(Enumerable.Repeat("😀", 32)))));
    }

    [Theory]
    [InlineData(0, ValidationReasons.Minimum)]
    [InlineData(10001, ValidationReasons.Maximum)]
    public void Out_of_range_number_is_reported(int bars, string reason)
    {
        var evt = Events.Zoom();
        evt["visible_bars"] = bars;
        var e = Single(evt);
        Assert.Equal(("$.events[3].visible_bars", reason), (e.Path, e.Reason));
    }

    [Fact]
    public void Extra_property_is_reported()
    {
        var evt = Events.Zoom();
        evt["secret"] = "x";
        var e = Single(evt);
        Assert.Equal(("$.events[3].secret", ValidationReasons.AdditionalProperty), (e.Path, e.Reason));
    }

    [Fact]
    public void Odd_property_names_use_bracket_notation_in_the_path()
    {
        var evt = Events.Zoom();
        evt["a b'c"] = 1;
        Assert.Equal("$.events[3]['a b\\'c']", Single(evt).Path);
    }

    [Fact]
    public void Value_outside_the_enum_is_reported()
    {
        var evt = Events.Zoom();
        evt["timeframe"] = "2h";
        var e = Single(evt);
        Assert.Equal(("$.events[3].timeframe", ValidationReasons.Enum), (e.Path, e.Reason));
        Assert.Contains("1m, 5m, 15m, 1h, 4h, 1d", e.Detail);
    }

    [Fact]
    public void String_not_matching_the_pattern_is_reported()
    {
        var e = Single(Events.PanelOpen("btc-usdt"));
        Assert.Equal(("$.events[3].symbol", ValidationReasons.Pattern), (e.Path, e.Reason));
    }

    [Theory]
    [InlineData("timestamp", "yesterday")]
    [InlineData("timestamp", "2025-11-10 12:00:00")]
    [InlineData("timestamp", "2025-13-10T12:00:00Z")]
    [InlineData("event_id", "not-a-uuid")]
    [InlineData("event_id", "0193a5c01-1f2-7b3e-8a41-5d0c9e7f2a63")]
    public void Bad_date_time_and_uuid_formats_are_reported(string property, string value)
    {
        var evt = Events.Zoom();
        evt[property] = value;
        var e = Single(evt);
        Assert.Equal(("$.events[3]." + property, ValidationReasons.Format), (e.Path, e.Reason));
    }

    [Fact]
    public void Uuid_property_of_an_event_is_checked()
    {
        var evt = Events.PlaceSim();
        evt["order_id"] = "1234";
        Assert.Equal(("$.events[3].order_id", ValidationReasons.Format), (Single(evt).Path, Single(evt).Reason));
    }

    [Fact]
    public void Duplicate_property_in_one_object_is_reported()
    {
        var json = Events.Zoom().ToJsonString().Replace("\"direction\":\"in\"", "\"direction\":\"in\",\"direction\":\"out\"", StringComparison.Ordinal);
        var errors = new List<ValidationError>();
        using var doc = JsonDocument.Parse(json);
        CatalogEvents.Validator.Validate(doc.RootElement, "$", errors);
        Assert.Equal(ValidationReasons.DuplicateProperty, Assert.Single(errors).Reason);
    }

    [Fact]
    public void Non_object_event_is_reported()
    {
        var errors = new List<ValidationError>();
        using var doc = JsonDocument.Parse("[1,2]");
        CatalogEvents.Validator.Validate(doc.RootElement, "$.events[0]", errors);
        Assert.Equal(ValidationReasons.NotAnObject, Assert.Single(errors).Reason);
    }

    [Fact]
    public void Several_problems_in_one_event_are_all_listed_up_to_the_cap()
    {
        var evt = Events.Zoom();
        evt["direction"] = "sideways";
        evt["visible_bars"] = -1;
        evt["extra"] = true;
        Assert.Equal(3, Errors(evt).Count);
        var capped = new List<ValidationError>();
        using var doc = JsonDocument.Parse(evt.ToJsonString());
        CatalogEvents.Validator.Validate(doc.RootElement, "$", capped, maxErrors: 2);
        Assert.Equal(2, capped.Count);
    }

    [Fact]
    public void The_validator_uses_the_catalog_librarys_schema_text()
    {
        var spec = CatalogEvents.Catalog.Events.First(e => e.Name == "chart.zoom");
        Assert.Equal(EventJsonSchema.Write(spec), CatalogEvents.Validator.SchemaText("chart.zoom"));
    }
}
