using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog.Tests.Parsing;

/// <summary>Catalogs that parse but would generate C# that cannot compile must be TEL0003, not a compiler error.</summary>
public sealed class GeneratedNameClashTests
{
    [Theory]
    [InlineData("descriptor")]
    [InlineData("write_properties")]
    [InlineData("equals")]
    [InlineData("to_string")]
    [InlineData("get_hash_code")]
    [InlineData("thing")]
    public void PropertyThatWouldClashWithAGeneratedMemberIsTel0003(string property)
    {
        var text = $"feature: misc\nevents:\n  thing:\n    properties:\n      {property}: {{ type: string }}\n      other: {{ type: int32 }}\n";
        var file = CatalogParser.Parse("misc.yaml", property == "thing" ? text.Replace("  thing:", "  thing:").Replace("misc\n", "misc\n") : text);
        if (property == "thing")
        {
            // misc.thing -> MiscThing; a property misc_thing would be MiscThing too.
            file = CatalogParser.Parse("misc.yaml", "feature: misc\nevents:\n  thing:\n    properties:\n      misc_thing: { type: string }\n      other: { type: int32 }\n");
        }

        var d = Assert.Single(file.Diagnostics, x => x.Id == DiagnosticIds.InvalidName);
        Assert.Equal(5, d.Location.Line);
        Assert.Equal(CatalogSeverity.Error, d.Severity);
    }

    [Fact]
    public void EventWhoseTypeNameEqualsAnotherEventsEnumIsTel0003()
    {
        var file = CatalogParser.Parse("order.yaml",
            "feature: order\nevents:\n  place:\n    properties:\n      side: { type: enum, values: [buy, sell] }\n      qty: { type: int32 }\n  place_side:\n    properties:\n      a: { type: string }\n      b: { type: string }\n");
        var d = Assert.Single(file.Diagnostics, x => x.Id == DiagnosticIds.InvalidName);
        Assert.Equal(7, d.Location.Line);
        Assert.Contains("OrderPlaceSide", d.Message);
    }

    [Fact]
    public void EventWhoseTypeNameEqualsTheFeatureTrackClassIsTel0003()
    {
        var file = CatalogParser.Parse("settings.yaml",
            "feature: settings\nevents:\n  telemetry:\n    properties:\n      a: { type: string }\n      b: { type: string }\n");
        var d = Assert.Single(file.Diagnostics, x => x.Id == DiagnosticIds.InvalidName);
        Assert.Contains("SettingsTelemetry", d.Message);
    }
}
