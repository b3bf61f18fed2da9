using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telemetry.Runtime.Tests.Privacy;

/// <summary>
/// The serialiser skips its second read of an event's properties only when nothing in them can be personal data. Tried
/// against the full scan, which stays the reference: random strings (canaries, escapes, any Unicode), and values written
/// to the writer behind <see cref="EventPropertyWriter"/>'s back, before, between and after its own.
/// </summary>
public class PropertyWriteCheckTests
{
    private static readonly string[] Canaries =
    {
        "jane.canary@example.com", "+1 (555) 010-0199", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "123-45-6789",
        "192.168.10.20", "2001:db8:85a3::8a2e:370:7334", "Bearer abcdefghijklmnop", "password=hunter2", "AKIAABCDEFGHIJKLMNOP",
        "020 7946 0958", "call me at 555-010-0199",
    };

    private static Gen<string> OneOf(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String,
        Gen.Char.AlphaNumeric.Array[0, 30].Select(c => new string(c)),
        OneOf(Canaries),
        Gen.Select(OneOf(Canaries), OneOf("", "note: ", "\"quoted\" ", "tab\t", "é ", "\\", "<b>"), (c, p) => p + c),
        OneOf("BTC/USDT", "quick order from the chart", "", "1.2.3", "v2", "0191e4a2-7c3d-7b8e-9f10-2a3b4c5d6e7f"));

    private static readonly Gen<WrittenEvent> Events =
        Gen.Select(Text, Text.Null(), Gen.Int[0, 3], Gen.Decimal, Gen.Int, Gen.Int[0, 4], Text, Gen.Bool)
            .Select(t => new WrittenEvent(t.Item1, t.Item2, (WrittenColor)t.Item3, t.Item4, t.Item5, (Foreign)t.Item6, t.Item7, t.Item8));

    [Fact]
    public void The_properties_are_the_full_scans_whatever_the_values_and_whoever_wrote_them()
    {
        Events.Array[1, 40].Sample(events =>
        {
            var serializer = NewSerializer();
            var reference = new JsonPersonalDataScrubber(PersonalDataScrubber.Default);
            var output = new List<QueuedEvent>();
            foreach (var e in events)
            {
                output.Clear();
                serializer.Serialize(new CapturedEvent<WrittenEvent>(in e, DateTime.UtcNow.Ticks, Identity, 1d), output);
                var json = Encoding.UTF8.GetString(Assert.Single(output).Event.Json.Span);
                var expected = Encoding.UTF8.GetString(reference.Scrub(PlainProperties(e), 0, WrittenEvent.Descriptor, out _));
                Assert.EndsWith("," + expected[1..], json);
                serializer.ReleaseOutput();
            }
        }, iter: 300);
    }

    [Fact]
    public void A_canary_written_behind_the_writers_back_is_scrubbed_wherever_it_is_written()
    {
        foreach (var place in new[] { Foreign.Before, Foreign.Between, Foreign.After })
        {
            var serializer = NewSerializer();
            var output = new List<QueuedEvent>();
            var e = new WrittenEvent("plain", null, WrittenColor.Red, 1m, 2, place, "jane.canary@example.com", false);
            serializer.Serialize(new CapturedEvent<WrittenEvent>(in e, DateTime.UtcNow.Ticks, Identity, 1d), output);
            var json = Encoding.UTF8.GetString(Assert.Single(output).Event.Json.Span);
            Assert.DoesNotContain("canary", json);
            Assert.Contains(PersonalDataScrubber.EmailMarker, json);
            Assert.Equal(1, serializer.FullScans);
        }
    }

    [Fact]
    public void Only_an_event_with_a_candidate_string_or_a_foreign_value_is_read_again()
    {
        var serializer = NewSerializer();
        var output = new List<QueuedEvent>();
        var clean = new WrittenEvent("BTC/USDT", "quick order from the chart", WrittenColor.Blue, 49_000.25m, 3, Foreign.None, "", true);
        serializer.Serialize(new CapturedEvent<WrittenEvent>(in clean, DateTime.UtcNow.Ticks, Identity, 1d), output);
        Assert.Equal(0, serializer.FullScans);

        var candidate = clean with { Optional = "order 1234567 placed" };
        serializer.Serialize(new CapturedEvent<WrittenEvent>(in candidate, DateTime.UtcNow.Ticks, Identity, 1d), output);
        Assert.Equal(1, serializer.FullScans);

        var foreign = clean with { Foreign = Foreign.After, ForeignText = "plain" };
        serializer.Serialize(new CapturedEvent<WrittenEvent>(in foreign, DateTime.UtcNow.Ticks, Identity, 1d), output);
        Assert.Equal(2, serializer.FullScans);

        // A writer that is not the serialiser's own (a log, a local export) is not checked at all.
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            clean.WriteProperties(writer);
            writer.WriteEndObject();
        }

        Assert.Contains("BTC/USDT", Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(3, output.Count);
    }

    [Fact]
    public void Fields_named_for_redaction_are_redacted_on_clean_events_too()
    {
        var serializer = NewSerializer(redact: ["symbol"]);
        var output = new List<QueuedEvent>();
        var clean = new WrittenEvent("BTC/USDT", null, WrittenColor.Blue, 1m, 3, Foreign.None, "", true);
        serializer.Serialize(new CapturedEvent<WrittenEvent>(in clean, DateTime.UtcNow.Ticks, Identity, 1d), output);
        var json = Encoding.UTF8.GetString(Assert.Single(output).Event.Json.Span);
        Assert.DoesNotContain("BTC/USDT", json);
        Assert.Contains(PersonalDataScrubber.RedactedMarker, json);
    }

    private static readonly ClientIdentity Identity = new("user-1", "anon-1", Guid.NewGuid(), consentGranted: true, HmacPersonalDataProtector.CreateEphemeral());

    private static EventSerializer NewSerializer(IEnumerable<string>? redact = null) =>
        new(new EventIdGenerator(), "1.0.0", 1024 * 1024, _ => true, new PipelineCounters(), NullLogger.Instance, redact);

    /// <summary>The event's properties as a writer nobody checks writes them: what the full scan reads.</summary>
    private static byte[] PlainProperties(in WrittenEvent e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        e.WriteProperties(writer);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public enum Foreign { None, Before, Between, After, Array }

    public enum WrittenColor { Red, Green, Blue, Violet }

    /// <summary>Written as a generated event writes, plus one value written to the writer directly where <see cref="Foreign"/> says.</summary>
    public readonly record struct WrittenEvent(
        string Symbol, string? Optional, WrittenColor Color, decimal Price, int Count, Foreign Foreign, string ForeignText, bool Flag)
        : ITelemetryEvent<WrittenEvent>
    {
        private static readonly CatalogEnumValues<WrittenColor> Colors = new("red", "green", "blue", "violet");

        public static EventDescriptor Descriptor { get; } = new(
            "test.written", 1, EventTier.B, EventStatus.Active, 1.0, idempotent: false, Sensitivity.None, EventFrequency.Normal,
            localOnly: false, fullStreamPercent: 0, aggregatedFrom: null, aggregateWindowMs: 0,
            [
                new PropertyDescriptor("symbol", "string", true, null, PiiTreatment.None),
                new PropertyDescriptor("optional", "string", false, null, PiiTreatment.None),
                new PropertyDescriptor("color", "enum", true, null, PiiTreatment.None),
                new PropertyDescriptor("price", "decimal", true, null, PiiTreatment.None),
                new PropertyDescriptor("count", "int32", true, null, PiiTreatment.None),
                new PropertyDescriptor("id", "uuid", true, null, PiiTreatment.None),
                new PropertyDescriptor("at", "timestamp", true, null, PiiTreatment.None),
                new PropertyDescriptor("flag", "boolean", true, null, PiiTreatment.None),
                new PropertyDescriptor("foreign", "string", false, null, PiiTreatment.None),
            ],
            jsonSchema: "{}");

        public void WriteProperties(Utf8JsonWriter writer)
        {
            if (Foreign == Foreign.Before) writer.WriteString("foreign", ForeignText);
            var w = new EventPropertyWriter(writer, Descriptor);
            w.String(0, Symbol);
            w.OptionalString(1, Optional);
            w.Enum(2, Colors, Color);
            if (Foreign == Foreign.Between) writer.WriteString("foreign", ForeignText);
            w.Number(3, Price);
            w.Number(4, Count);
            w.String(5, new Guid(Count, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
            w.String(6, new DateTimeOffset(2026, 12, 6, 17, 30, 0, TimeSpan.Zero));
            w.Boolean(7, Flag);
            if (Foreign == Foreign.Array)
            {
                writer.WriteStartArray("foreign");
                writer.WriteStringValue(ForeignText);
                writer.WriteEndArray();
            }

            if (Foreign == Foreign.After) writer.WriteString("foreign", ForeignText);
        }
    }
}
