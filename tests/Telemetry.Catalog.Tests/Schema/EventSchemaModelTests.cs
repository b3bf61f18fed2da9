using System.Text.Json;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Schema;
using Telemetry.Wire;

namespace Telemetry.Catalog.Tests.Schema;

/// <summary>
/// The schema model is the one definition of an event's wire object: its envelope is the shared field list, and the
/// JSON Schema text says exactly what the model says (the ingest server compiles its validator from the same model).
/// </summary>
public sealed class EventSchemaModelTests
{
    private static IEnumerable<EventSpec> ShippedEvents()
    {
        var files = Directory.GetFiles(RepoPaths.Catalog, "*.yaml").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new KeyValuePair<string, string>("catalog/" + Path.GetFileName(f), File.ReadAllText(f)));
        return CatalogSet.Parse(files).Events;
    }

    [Fact]
    public void Every_schema_starts_with_the_envelope_fields_and_requires_what_they_require()
    {
        foreach (var spec in ShippedEvents())
        {
            var model = EventJsonSchema.Build(spec);
            var envelope = model.Properties.TakeWhile(p => p.IsEnvelope).ToArray();
            Assert.Equal(EnvelopeFields.All.Select(f => (f.Name, f.Required)), envelope.Select(p => (p.Name, p.Required)));
            Assert.All(model.Properties.Skip(envelope.Length), p => Assert.False(p.IsEnvelope || EnvelopeFields.IsEnvelopeField(p.Name), p.Name));
            Assert.Equal(spec.Properties.Where(p => p.IsSent).Select(p => (p.WireName, p.Required)), model.Properties.Skip(envelope.Length).Select(p => (p.Name, p.Required)));
            Assert.Equal(spec.Name, envelope[0].Schema.Const);
            Assert.Equal(spec.Version, envelope.Single(p => p.Name == EnvelopeFields.SchemaVersion).Schema.Maximum);
        }
    }

    [Fact]
    public void The_text_says_exactly_what_the_model_says()
    {
        foreach (var spec in ShippedEvents())
        {
            var model = EventJsonSchema.Build(spec);
            using var json = JsonDocument.Parse(EventJsonSchema.Write(spec));
            var root = json.RootElement;
            Assert.Equal(model.Id, root.GetProperty("$id").GetString());
            Assert.Equal(model.Properties.Select(p => p.Name), root.GetProperty("properties").EnumerateObject().Select(p => p.Name));
            Assert.Equal(model.Properties.Where(p => p.Required).Select(p => p.Name), root.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
            Assert.False(root.GetProperty("additionalProperties").GetBoolean());
            foreach (var p in model.Properties) AssertValue(p.Schema, root.GetProperty("properties").GetProperty(p.Name), spec.Name + "." + p.Name);
        }
    }

    [Fact]
    public void The_envelope_names_are_the_shared_list()
    {
        Assert.Equal(EnvelopeFields.All.Where(f => f.AlwaysWritten).Select(f => f.Name), Envelope.Fields);
        Assert.Equal(EnvelopeFields.All.Where(f => !f.AlwaysWritten).Select(f => f.Name), Envelope.OptionalFields);
        Assert.All(EnvelopeFields.All, f => Assert.True(Envelope.IsReserved(f.Name), f.Name));
        Assert.Equal(EnvelopeFields.All.Count(f => f.AlwaysWritten), EnvelopeFields.AlwaysWrittenCount);
    }

    private static void AssertValue(ValueSchema schema, JsonElement text, string where)
    {
        var keywords = text.EnumerateObject().Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        void Expect(bool present, string keyword)
        {
            if (present) expected.Add(keyword);
        }

        Expect(schema.Description is not null, "description");
        Expect(schema.Const is not null, "const");
        Expect(schema.Enum is not null, "enum");
        Expect(schema.Type != SchemaType.Any, "type");
        Expect(schema.Format != SchemaFormat.None, "format");
        Expect(schema.Minimum is not null, "minimum");
        Expect(schema.Maximum is not null, "maximum");
        Expect(schema.MaxLength is not null, "maxLength");
        Expect(schema.Pattern is not null, "pattern");
        Expect(schema.MinItems is not null, "minItems");
        Expect(schema.MaxItems is not null, "maxItems");
        Expect(schema.UniqueItems, "uniqueItems");
        Expect(schema.Items is not null, "items");
        Assert.True(expected.SetEquals(keywords), where + ": " + string.Join(",", keywords) + " vs " + string.Join(",", expected));
        if (schema.Type != SchemaType.Any) Assert.Equal(EventJsonSchema.TypeName(schema.Type), text.GetProperty("type").GetString());
        if (schema.Minimum is { } min) Assert.Equal(min, text.GetProperty("minimum").GetDouble());
        if (schema.Maximum is { } max) Assert.Equal(max, text.GetProperty("maximum").GetDouble());
        if (schema.Enum is { } values) Assert.Equal(values, text.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        if (schema.Items is { } items) AssertValue(items, text.GetProperty("items"), where + "[]");
    }
}
