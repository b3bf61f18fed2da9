using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;

namespace Telemetry.Runtime.Tests.Sinks;

/// <summary>
/// <see cref="WireEvent"/> reads an event's bytes with one reader pass and copies names and values as they are. It must
/// give every sink what a parsed document gave: the same property bag and mapped wire object (byte for byte when the
/// event was written by our serialiser's encoder, as JSON otherwise), the same session id and client version, and the same
/// rejections of malformed or non-object JSON. The oracle is the document-based reading it replaced.
/// </summary>
public sealed class WireEventTests
{
    private static readonly string[] Names =
    [
        "event", "event_id", "timestamp", "session_id", "user_bucket", "sampling_rate", "client_version", "schema_version", "user_id", "anonymous_id",
        "symbol", "price", "source", "na\"me", "é_name", "a/b", "<tag>", "emoji_😀", "x",
    ];

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String,
        Gen.Const("BTC/USDT"),
        Gen.Const("quote\" back\\slash </script> & 'apos' +plus é ü 😀 \u2028"),
        Gen.Char['\u0000', '\u00FF'].Array[0, 12].Select(c => new string(c)));

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double[-1e9, 1e9].Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Const("1e5"), Gen.Const("-0.0"), Gen.Const("49000.25"), Gen.Const("1.0E-7"));

    /// <summary>A JSON value as text: strings escaped by the default encoder, numbers as written, nested arrays and objects.</summary>
    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 2
        ? Gen.OneOf(Text.Select(Quote), Number, Gen.Const("true"), Gen.Const("false"), Gen.Const("null"))
        : Gen.OneOf(
            Text.Select(Quote), Number, Gen.Const("true"), Gen.Const("null"),
            value.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]"),
            Gen.Select(Gen.Int[0, Names.Length - 1], value).Array[0, 3].Select(members => "{" + string.Join(",", members.Select(m => Quote(Names[m.Item1]) + ":" + m.Item2)) + "}")));

    /// <summary>A wire object: names (envelope fields, plain, ones needing escapes, repeats) and values, with or without spacing.</summary>
    private static readonly Gen<(string Json, bool Canonical)> WireObject =
        Gen.Select(Gen.Select(Gen.Int[0, Names.Length - 1], Value, Gen.Bool).Array[0, 14], Gen.Bool)
            .Select((members, spaced) =>
            {
                var sep = spaced ? " " : string.Empty;
                var parts = members.Select(m => (m.Item3 && spaced ? HandEscaped(Names[m.Item1]) : Quote(Names[m.Item1])) + sep + ":" + sep + m.Item2);
                return ("{" + sep + string.Join("," + sep, parts) + sep + "}", !spaced);
            });

    [Fact]
    public void Every_sink_view_matches_the_document_reading_it_replaced()
    {
        var mappings = new[]
        {
            Mapping(),
            Mapping(("symbol", "pair"), ("price", null), ("session_id", "sid"), ("é_name", "plain")),
        };
        var carried = new[] { Array.Empty<string>(), new[] { "session_id", "sampling_rate", "schema_version", "client_version" } };
        WireObject.Sample(input =>
        {
            var outgoing = Outgoing(input.Json);
            using var wire = WireEvent.TryParse(outgoing, out var error);
            using var oracle = Oracle.TryParse(outgoing, out var oracleError);
            Assert.Equal(oracle is null, wire is null);
            Assert.Equal(oracleError, error);
            if (wire is null || oracle is null) return;
            Assert.Equal(oracle.SessionId, wire.SessionId);
            Assert.Equal(oracle.ClientVersion, wire.ClientVersion);
            foreach (var mapping in mappings)
            {
                foreach (var envelope in carried)
                {
                    AssertSame(input.Canonical, Write(w => { w.WriteStartObject(); oracle.WriteProperties(w, mapping, envelope); w.WriteEndObject(); }), Write(w => { w.WriteStartObject(); wire.WriteProperties(w, mapping, envelope); w.WriteEndObject(); }));
                }

                AssertSame(input.Canonical, Write(w => oracle.WriteMappedWireObject(w, mapping, "mapped.name")), Write(w => wire.WriteMappedWireObject(w, mapping, "mapped.name")));
            }
        }, iter: 400);
    }

    [Fact]
    public void Malformed_and_non_object_json_is_rejected_as_before()
    {
        var valid = WireObject.Select(o => o.Json);
        Gen.Select(valid, Gen.Int[0, 1000], Gen.Int[0, 4]).Sample((json, cut, how) =>
        {
            var text = how switch
            {
                0 => json[..Math.Min(json.Length, cut % (json.Length + 1))],
                1 => json + json,
                2 => "[" + json + "]",
                3 => json.Replace(':', ' '),
                _ => json + " 1",
            };
            var outgoing = Outgoing(text);
            using var wire = WireEvent.TryParse(outgoing, out var error);
            using var oracle = Oracle.TryParse(outgoing, out var oracleError);
            Assert.Equal(oracle is null, wire is null);
            Assert.Equal(oracleError is null, error is null);
            if (oracleError is not null) Assert.Equal(oracleError.StartsWith("malformed", StringComparison.Ordinal), error!.StartsWith("malformed", StringComparison.Ordinal));
        }, iter: 400);

        foreach (var text in new[] { string.Empty, " ", "null", "42", "\"text\"", "[]", "{", "{}", "{} {}", "{\"a\":1,}", "{\"a\" 1}", "/* c */ {}" })
        {
            using var wire = WireEvent.TryParse(Outgoing(text), out var error);
            using var oracle = Oracle.TryParse(Outgoing(text), out var oracleError);
            Assert.True((oracle is null) == (wire is null), text);
            Assert.True((oracleError is null) == (error is null), text);
        }
    }

    [Fact]
    public void Whatever_bytes_an_event_holds_what_a_sink_writes_from_it_is_valid_json()
    {
        // A corrupted byte anywhere: the event is rejected alone, or what the sink writes parses (one bad request body
        // would make the provider refuse the whole batch).
        var mapping = Mapping();
        Gen.Select(WireObject.Select(o => o.Json), Gen.Int[0, 10_000], Gen.Byte).Sample((json, at, value) =>
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            if (bytes.Length == 0) return;
            bytes[at % bytes.Length] = value;
            var outgoing = new OutgoingEvent(Guid.CreateVersion7(), "probe.wire", EventTier.B, DateTimeOffset.UnixEpoch, "user-1", "anon-1", bytes);
            using var wire = WireEvent.TryParse(outgoing, out var error);
            if (wire is null)
            {
                Assert.StartsWith("malformed", error!, StringComparison.Ordinal);
                return;
            }

            using (JsonDocument.Parse(Write(w => { w.WriteStartObject(); wire.WriteProperties(w, mapping, ["session_id"]); w.WriteEndObject(); }))) { }
            using (JsonDocument.Parse(Write(w => wire.WriteMappedWireObject(w, mapping, "mapped.name")))) { }
        }, iter: 2000);

        using var invalid = WireEvent.TryParse(Outgoing("{\"a\":\"x\"}") with { Json = new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' } }, out var reason);
        Assert.Null(invalid);
        Assert.Equal("malformed event JSON: not valid UTF-8", reason);
    }

    private static void AssertSame(bool canonical, byte[] expected, byte[] actual)
    {
        // Written by the same encoder as the serialiser: identical bytes. Otherwise the same JSON.
        if (canonical)
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            return;
        }

        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(a.RootElement, b.RootElement), $"{Encoding.UTF8.GetString(expected)}\n{Encoding.UTF8.GetString(actual)}");
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default });

    /// <summary>Every character of <paramref name="name"/> as a \u escape: the same name, written differently.</summary>
    private static string HandEscaped(string name) => "\"" + string.Concat(name.Select(c => $"\\u{(int)c:x4}")) + "\"";

    private static OutgoingEvent Outgoing(string json) =>
        new(Guid.CreateVersion7(), "probe.wire", EventTier.B, DateTimeOffset.UnixEpoch, "user-1", "anon-1", Encoding.UTF8.GetBytes(json));

    private static SinkEventMapping Mapping(params (string From, string? To)[] renames)
    {
        var options = new SegmentSinkOptions { WriteKey = "key" };
        foreach (var (from, to) in renames) options.PropertyNames[from] = to;
        return new SinkEventMapping(options);
    }

    /// <summary>The document-based reading <see cref="WireEvent"/> replaced, kept as the oracle.</summary>
    private sealed class Oracle : IDisposable
    {
        private readonly JsonDocument _document;

        private Oracle(JsonDocument document)
        {
            _document = document;
            SessionId = StringOrNull(document.RootElement, "session_id");
            ClientVersion = StringOrNull(document.RootElement, "client_version");
        }

        public string? SessionId { get; }

        public string? ClientVersion { get; }

        public static Oracle? TryParse(OutgoingEvent source, out string? error)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(source.Json);
            }
            catch (JsonException ex)
            {
                error = "malformed event JSON: " + ex.Message;
                return null;
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                error = "event JSON is not an object";
                return null;
            }

            error = null;
            return new Oracle(document);
        }

        public void WriteProperties(Utf8JsonWriter writer, SinkEventMapping mapping, ReadOnlySpan<string> carriedEnvelope)
        {
            foreach (var property in _document.RootElement.EnumerateObject())
            {
                if (WireEvent.IsEnvelopeField(property.Name) && carriedEnvelope.IndexOf(property.Name) < 0) continue;
                var name = mapping.PropertyName(property.Name);
                if (name is null) continue;
                writer.WritePropertyName(name);
                property.Value.WriteTo(writer);
            }
        }

        public void WriteMappedWireObject(Utf8JsonWriter writer, SinkEventMapping mapping, string eventName)
        {
            writer.WriteStartObject();
            foreach (var property in _document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("event"))
                {
                    writer.WriteString("event", eventName);
                    continue;
                }

                var name = WireEvent.IsEnvelopeField(property.Name) ? property.Name : mapping.PropertyName(property.Name);
                if (name is null) continue;
                writer.WritePropertyName(name);
                property.Value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        public void Dispose() => _document.Dispose();

        private static string? StringOrNull(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            } : null;
    }
}
