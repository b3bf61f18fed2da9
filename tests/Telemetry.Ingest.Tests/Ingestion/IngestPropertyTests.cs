using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Telemetry.Catalog.Model;
using Telemetry.Ingest.Tests.TestSupport;
using Xunit.Abstractions;

namespace Telemetry.Ingest.Tests.Ingestion;

/// <summary>
/// Property-based test of POST /v1/batch with CsCheck: batches of events generated from the catalog's own specs, valid
/// and mutated (types swapped, numbers in every JSON notation, control characters, lone surrogates, huge values, missing
/// and extra keys, duplicate keys at every level, deep nesting, bad ids and timestamps), valid and invalid mixed in one
/// batch. Asserts: never a 5xx; an event certain to be valid is accepted and one certain to be invalid is refused; every
/// refusal names a JSON path under its event; the accepted events are exactly the rows stored. CsCheck prints the seed of
/// a failing case; replay it with the environment variable <c>CsCheck_Seed</c> set to that seed.
/// </summary>
public sealed class IngestPropertyTests
{
    private readonly ITestOutputHelper _output;

    public IngestPropertyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public Task Generated_and_mutated_batches_never_get_a_5xx_and_accepted_events_are_exactly_the_rows_stored_SQLite() =>
        RunAsync(postgres: null, batches: 800, minEvents: 100_000);

    [PostgresFact]
    public async Task Generated_and_mutated_batches_never_get_a_5xx_and_accepted_events_are_exactly_the_rows_stored_PostgreSQL()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await RunAsync(database.ConnectionString, batches: 100, minEvents: 12_000);
    }

    private async Task RunAsync(string? postgres, int batches, int minEvents)
    {
        await using var host = await IngestHost.StartAsync(o =>
        {
            o.Storage.SqliteFullSync = false;
            o.Archive.Enabled = false;
            o.RateLimit.Enabled = false;
        }, postgres);

        var stats = new Stats();
        var now = DateTimeOffset.UtcNow;
        await BatchGen(now).SampleAsync(async batch =>
        {
            var json = batch.Json();
            using var response = await host.PostJsonAsync("/v1/batch", json);
            var text = await response.Content.ReadAsStringAsync();
            Interlocked.Add(ref stats.Generated, batch.Events.Count);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} {text}");
            var answer = JsonNode.Parse(text)!;
            if (batch.Request != RequestMutation.None)
            {
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{batch.Request}: {(int)response.StatusCode} {text}");
                var type = (string?)answer["type"];
                Assert.Equal(batch.Request == RequestMutation.TooDeep ? "urn:telemetry:ingest:unreadable-body" : "urn:telemetry:ingest:duplicate-key", type);
                var path = (string?)answer["path"];
                Assert.False(string.IsNullOrEmpty(path), "no path: " + text);
                if (batch.ExpectedPath is { } expectedPath) Assert.Equal(expectedPath, path);
                stats.Count("request:" + type!.Split(':')[^1], batch.Events.Count);
                return;
            }

            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {text}");
            var accepted = (int)answer["accepted"]!;
            var duplicates = (int)answer["duplicates"]!;
            var refusals = answer["rejected"]!.AsArray().GroupBy(r => (int)r!["index"]!).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(batch.Events.Count, accepted + refusals.Count);
            for (var i = 0; i < batch.Events.Count; i++)
            {
                var e = batch.Events[i];
                var refused = refusals.TryGetValue(i, out var list);
                if (e.Expect == Expect.Accept) Assert.False(refused, $"event {i} ({e.Mutation}) refused: {(refused ? list![0]!.ToJsonString() : "")}\n{e.Json}");
                if (e.Expect == Expect.Reject) Assert.True(refused, $"event {i} ({e.Mutation}) accepted:\n{e.Json}");
                if (!refused) continue;
                foreach (var r in list!)
                {
                    var path = (string?)r!["path"];
                    var prefix = "$.events[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    Assert.True(path is not null && path.StartsWith(prefix, StringComparison.Ordinal), $"refusal of event {i} without its path: {r.ToJsonString()}");
                    Assert.False(string.IsNullOrEmpty((string?)r["reason"]));
                }

                stats.Count((string)list[0]!["reason"]!, 1);
            }

            Interlocked.Add(ref stats.Accepted, accepted);
            Interlocked.Add(ref stats.NewRows, accepted - duplicates);
        }, iter: batches, threads: 4, print: b => b.Describe());

        var stored = await host.StoredCountAsync();
        _output.WriteLine($"events generated: {stats.Generated:N0}; accepted: {stats.Accepted:N0} (new rows {stats.NewRows:N0}); refused: {stats.Generated - stats.Accepted:N0}");
        foreach (var (reason, count) in stats.Refused.OrderByDescending(r => r.Value)) _output.WriteLine($"  refused {reason}: {count:N0}");
        Assert.True(stats.Generated >= minEvents, "events generated: " + stats.Generated);
        Assert.Equal(stats.NewRows, stored);
        Assert.True(stats.Accepted > stats.Generated / 5, "too few valid events: " + stats.Accepted);
    }

    // ---- generation -------------------------------------------------------------------------------------------------

    private enum Mutation
    {
        None, Notation, ControlChars, MissingEventId, SwapType, LoneSurrogate, HugeNumber, Fractional, MissingRequired, ExtraKey,
        DeepValue, BadEventId, TimestampOutOfRange, UnknownEvent, NotAnObject,
    }

    private enum RequestMutation { None, DuplicateKeyInEvent, DuplicateKeyNested, DuplicateKeyAtRoot, TooDeep }

    private enum Expect { Accept, Reject, Either }

    private static Gen<BatchCase> BatchGen(DateTimeOffset now)
    {
        var specs = CatalogEvents.Specs.Where(s => !s.Properties.Any(p => p.IsSent && p.Required && p.Type == PropertyType.String && p.Pattern is not null && p.Examples.IsEmpty)).ToArray();
        var mutation = Gen.Frequency(
            (45, Gen.Const(Mutation.None)), (8, Gen.Const(Mutation.Notation)), (4, Gen.Const(Mutation.ControlChars)), (3, Gen.Const(Mutation.MissingEventId)),
            (5, Gen.Const(Mutation.SwapType)), (4, Gen.Const(Mutation.LoneSurrogate)), (4, Gen.Const(Mutation.HugeNumber)), (4, Gen.Const(Mutation.Fractional)),
            (4, Gen.Const(Mutation.MissingRequired)), (4, Gen.Const(Mutation.ExtraKey)), (3, Gen.Const(Mutation.DeepValue)), (3, Gen.Const(Mutation.BadEventId)),
            (4, Gen.Const(Mutation.TimestampOutOfRange)), (2, Gen.Const(Mutation.UnknownEvent)), (1, Gen.Const(Mutation.NotAnObject)));
        var eventGen = Gen.Select(Gen.Int[0, specs.Length - 1], mutation, Gen.Int[0, int.MaxValue], (spec, m, valueSeed) => BuildEvent(specs[spec], m, valueSeed, now));
        var request = Gen.Frequency(
            (92, Gen.Const(RequestMutation.None)), (2, Gen.Const(RequestMutation.DuplicateKeyInEvent)), (2, Gen.Const(RequestMutation.DuplicateKeyNested)),
            (2, Gen.Const(RequestMutation.DuplicateKeyAtRoot)), (2, Gen.Const(RequestMutation.TooDeep)));
        return Gen.Select(eventGen.List[125, 150], request, Gen.Int[0, int.MaxValue], (events, r, seed) => new BatchCase(events, r, seed));
    }

    private static EventCase BuildEvent(EventSpec spec, Mutation mutation, int seed, DateTimeOffset now)
    {
        var rng = new Random(seed);
        var fields = new List<(string Name, string Raw)>
        {
            ("event", Quote(spec.Name)),
            ("event_id", Quote(GuidFrom(rng).ToString())),
            ("timestamp", Quote((now + TimeSpan.FromSeconds(rng.Next(-20 * 86400, 12 * 3600))).ToString(rng.Next(2) == 0 ? "O" : "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))),
            ("session_id", RandomText(rng, 1 + rng.Next(40))),
            ("user_bucket", rng.Next(10_000).ToString(CultureInfo.InvariantCulture)),
            ("sampling_rate", rng.NextDouble().ToString("R", CultureInfo.InvariantCulture)),
            ("client_version", Quote("1." + rng.Next(100).ToString(CultureInfo.InvariantCulture) + ".0")),
            ("schema_version", (1 + rng.Next(spec.Version)).ToString(CultureInfo.InvariantCulture)),
        };
        if (rng.Next(3) > 0) fields.Add(("user_id", Quote("u-" + rng.Next(1000).ToString(CultureInfo.InvariantCulture))));
        if (rng.Next(4) == 0) fields.Add(("anonymous_id", Quote("a-" + rng.Next(1000).ToString(CultureInfo.InvariantCulture))));
        foreach (var p in spec.Properties.Where(p => p.IsSent))
        {
            if (!p.Required && rng.Next(10) < 3) continue;
            fields.Add((p.WireName, ValidValue(rng, p)));
        }

        // Shuffle the key order: objects are unordered.
        for (var i = fields.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (fields[i], fields[j]) = (fields[j], fields[i]);
        }

        var expect = Mutate(rng, spec, fields, mutation, now, out var whole);
        return new EventCase(whole ?? ObjectJson(fields), mutation, expect, fields);
    }

    /// <summary>Applies <paramref name="mutation"/>; returns what the server must answer for the event.</summary>
    private static Expect Mutate(Random rng, EventSpec spec, List<(string Name, string Raw)> fields, Mutation mutation, DateTimeOffset now, out string? whole)
    {
        whole = null;
        var props = spec.Properties.Where(p => p.IsSent).ToDictionary(p => p.WireName);
        int Pick(Func<string, bool> where)
        {
            var candidates = Enumerable.Range(0, fields.Count).Where(i => where(fields[i].Name)).ToList();
            return candidates.Count == 0 ? -1 : candidates[rng.Next(candidates.Count)];
        }

        bool IsInteger(string name) => name is "user_bucket" or "schema_version" ||
            (props.TryGetValue(name, out var p) && ((p.Pii is not null && p.Treatment == PiiTreatment.Length) || (p.Pii is null && p.Type is PropertyType.Int32 or PropertyType.Int64)));
        bool IsNumber(string name) => IsInteger(name) || name == "sampling_rate" ||
            (props.TryGetValue(name, out var p) && p.Pii is null && p.Type is PropertyType.Double or PropertyType.Decimal or PropertyType.Duration);
        bool IsFreeString(string name) => name is "session_id" or "user_id" or "anonymous_id" ||
            (props.TryGetValue(name, out var p) && p.Pii is null && p.Type == PropertyType.String && p.Pattern is null);
        bool IsString(string name) => fields.First(f => f.Name == name).Raw.StartsWith('"') && name != "event";

        switch (mutation)
        {
            case Mutation.None:
                return Expect.Accept;
            case Mutation.Notation:
            {
                var i = Pick(IsNumber);
                if (i < 0) return Expect.Accept;
                fields[i] = (fields[i].Name, Renotate(rng, fields[i].Raw));
                return Expect.Accept;
            }

            case Mutation.ControlChars:
            {
                var i = Pick(IsFreeString);
                if (i < 0) return Expect.Accept;
                var max = fields[i].Name == "session_id" ? 100 : props.TryGetValue(fields[i].Name, out var p) ? p.MaxLength ?? 64 : 256;
                var controls = new[] { "\\u0000", "\\u0001", "\\n", "\\t", "\\u001f", "\\u007f", "\\r", "\\b", "\\f", "\\u0085" };
                var text = new StringBuilder();
                for (var n = 0; n < Math.Min(max, 1 + rng.Next(8)); n++) text.Append(controls[rng.Next(controls.Length)]);
                fields[i] = (fields[i].Name, "\"" + text + "\"");
                return Expect.Accept;
            }

            case Mutation.MissingEventId:
                fields.RemoveAll(f => f.Name == "event_id");
                return Expect.Accept;
            case Mutation.SwapType:
            {
                var i = Pick(n => n != "event");
                var original = fields[i].Raw;
                var options = new[] { "\"5\"", "5", "true", "null", "[]", "{}", "[1,\"a\"]", "{\"a\":1}", "\"\"" };
                var replacement = options[rng.Next(options.Length)];
                var sameKind = Kind(original) == Kind(replacement) || (IsNumber(fields[i].Name) && Kind(replacement) == "number");
                fields[i] = (fields[i].Name, replacement);
                return sameKind ? Expect.Either : Expect.Reject;
            }

            case Mutation.LoneSurrogate:
            {
                var i = Pick(IsString);
                if (i < 0) return Expect.Accept;
                fields[i] = (fields[i].Name, rng.Next(2) == 0 ? "\"a\\ud800\"" : "\"\\udc00b\"");
                return Expect.Reject;
            }

            case Mutation.HugeNumber:
            {
                var i = Pick(IsNumber);
                if (i < 0) return Expect.Accept;
                var huge = new[] { "1e400", "-1e400", "1e308", "-1e308", "99999999999999999999999", "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309" };
                var value = huge[rng.Next(huge.Length)];
                fields[i] = (fields[i].Name, value);
                var finite = double.IsFinite(double.Parse(value, CultureInfo.InvariantCulture));
                return IsInteger(fields[i].Name) || !finite ? Expect.Reject : Expect.Either;
            }

            case Mutation.Fractional:
            {
                var i = Pick(IsInteger);
                if (i < 0) return Expect.Accept;
                var fractions = new[] { "5.5", "-1e-7", "0.1", "1.0000001", "12345678901234567890.5", "1e-400" };
                fields[i] = (fields[i].Name, fractions[rng.Next(fractions.Length)]);
                return Expect.Reject;
            }

            case Mutation.MissingRequired:
            {
                var required = new HashSet<string>(Envelope.Fields.Where(f => f is not ("event_id" or "session_id")));
                foreach (var p in props.Values.Where(p => p.Required)) required.Add(p.WireName);
                var i = Pick(required.Contains);
                fields.RemoveAt(i);
                return Expect.Reject;
            }

            case Mutation.ExtraKey:
            {
                var names = new[] { "extra", "colour", "__proto__", "constructor", "événement", "a b", "\\u0000", "event_id2", "x.y", "$where" };
                fields.Add((names[rng.Next(names.Length)], RandomScalar(rng)));
                return Expect.Reject;
            }

            case Mutation.DeepValue:
            {
                var i = Pick(n => n != "event");
                var depth = 2 + rng.Next(9); // the event is at depth 3; 16 is the limit
                var value = new StringBuilder();
                for (var d = 0; d < depth; d++) value.Append(rng.Next(2) == 0 ? "[" : "{\"k\":");
                var inner = value.ToString();
                value.Append('1');
                for (var d = inner.Length - 1; d >= 0; d--)
                {
                    if (inner[d] == '[') value.Append(']');
                    else if (inner[d] == '{') value.Append('}');
                }

                fields[i] = (fields[i].Name, value.ToString());
                return Expect.Reject;
            }

            case Mutation.BadEventId:
            {
                var id = GuidFrom(rng).ToString();
                var bad = new[] { " " + id, id + "\\n", "{" + id + "}", "(" + id + ")", id.Replace("-", "", StringComparison.Ordinal), "urn:uuid:" + id, id + "0", id[..35], "\\t" + id };
                fields.RemoveAll(f => f.Name == "event_id");
                fields.Add(("event_id", "\"" + bad[rng.Next(bad.Length)] + "\""));
                return Expect.Reject;
            }

            case Mutation.TimestampOutOfRange:
            {
                var times = new[]
                {
                    "0001-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "3000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                    (now + TimeSpan.FromDays(3)).ToString("O", CultureInfo.InvariantCulture), (now - TimeSpan.FromDays(45)).ToString("O", CultureInfo.InvariantCulture),
                };
                var i = fields.FindIndex(f => f.Name == "timestamp");
                fields[i] = ("timestamp", Quote(times[rng.Next(times.Length)]));
                return Expect.Reject;
            }

            case Mutation.UnknownEvent:
            {
                var i = fields.FindIndex(f => f.Name == "event");
                fields[i] = ("event", Quote(spec.Name + "_x"));
                return Expect.Reject;
            }

            case Mutation.NotAnObject:
            {
                var values = new[] { "42", "\"event\"", "null", "[]", "[{}]", "true" };
                whole = values[rng.Next(values.Length)];
                return Expect.Reject;
            }

            default:
                throw new InvalidOperationException(mutation.ToString());
        }
    }

    private static string Kind(string raw) => raw[0] switch
    {
        '"' => "string",
        '[' => "array",
        '{' => "object",
        't' or 'f' => "boolean",
        'n' => "null",
        _ => "number",
    };

    private static string ValidValue(Random rng, PropertySpec p)
    {
        if (p.Pii is not null)
        {
            return p.Treatment switch
            {
                PiiTreatment.Length => rng.Next(1000).ToString(CultureInfo.InvariantCulture),
                PiiTreatment.Hash => Quote(Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant() + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant()),
                _ => Quote("[redacted]"),
            };
        }

        if (p.Type == PropertyType.Array)
        {
            var count = rng.Next(Math.Min(p.MaxLength ?? 5, 5) + 1);
            var items = Enumerable.Range(0, count).Select(_ => ScalarValue(rng, p, p.ItemType ?? PropertyType.String, inArray: true));
            return "[" + string.Join(",", items) + "]";
        }

        return ScalarValue(rng, p, p.Type, inArray: false);
    }

    private static string ScalarValue(Random rng, PropertySpec p, PropertyType type, bool inArray)
    {
        switch (type)
        {
            case PropertyType.Boolean:
                return rng.Next(2) == 0 ? "true" : "false";
            case PropertyType.Int32:
            case PropertyType.Int64:
            {
                long lo = type == PropertyType.Int32 ? int.MinValue : long.MinValue, hi = type == PropertyType.Int32 ? int.MaxValue : long.MaxValue;
                if (p.Min is { } min && min > lo) lo = (long)Math.Ceiling(min);
                if (p.Max is { } max && max < hi) hi = (long)Math.Floor(max);
                var pick = rng.Next(4) switch
                {
                    0 => lo,
                    1 => hi,
                    _ => hi - lo < long.MaxValue && hi - lo >= 0 ? lo + rng.NextInt64(hi - lo + 1) : rng.NextInt64(Math.Max(lo, -1_000_000), Math.Min(hi, 1_000_000) + 1),
                };
                return pick.ToString(CultureInfo.InvariantCulture);
            }

            case PropertyType.Double:
            case PropertyType.Decimal:
            case PropertyType.Duration:
            {
                var lo = p.Min ?? -1e6;
                var hi = p.Max ?? 1e6;
                var value = rng.Next(5) switch { 0 => lo, 1 => hi, _ => lo + (hi - lo) * rng.NextDouble() };
                if (type == PropertyType.Decimal) value = Math.Round(value, 6);
                value = Math.Clamp(value, lo, hi);
                return value.ToString(rng.Next(3) == 0 ? "E10" : "R", CultureInfo.InvariantCulture);
            }

            case PropertyType.Enum:
                return Quote(p.EnumValues[rng.Next(p.EnumValues.Count)]);
            case PropertyType.Uuid:
            {
                var id = GuidFrom(rng).ToString();
                return Quote(rng.Next(2) == 0 ? id : id.ToUpperInvariant());
            }

            case PropertyType.Timestamp:
                return Quote(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(rng.Next(200_000_000)).ToOffset(TimeSpan.FromHours(rng.Next(-12, 13))).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
            default:
                if (p.Pattern is not null) return Quote(p.Examples[rng.Next(p.Examples.Count)]);
                var longest = inArray ? 20 : p.MaxLength ?? 64;
                return RandomText(rng, rng.Next(Math.Min(longest, 40) + 1));
        }
    }

    /// <summary>The same number in another JSON notation (exponent, trailing zeros, scaled mantissa).</summary>
    private static string Renotate(Random rng, string raw)
    {
        var negative = raw.StartsWith('-');
        var digits = negative ? raw[1..] : raw;
        var value = decimal.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
        var plain = value.ToString(CultureInfo.InvariantCulture);
        var sign = negative ? "-" : string.Empty;
        var forms = new List<string>
        {
            sign + plain + (plain.Contains('.') ? "0" : ".0"),
            sign + plain + "e0",
            sign + plain + "E+0",
            sign + (value * 10).ToString(CultureInfo.InvariantCulture) + "e-1",
            sign + (value / 10).ToString(CultureInfo.InvariantCulture) + "E1",
            sign + (value * 100).ToString(CultureInfo.InvariantCulture) + "e-2",
        };
        if (value == 0) forms.Add("-0");
        return forms[rng.Next(forms.Count)];
    }

    private static string RandomText(Random rng, int length)
    {
        var b = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            switch (rng.Next(10))
            {
                case 0: b.Append("\\u00e9"); break;
                case 1: b.Append("日"); break;
                case 2: b.Append("\\ud83d\\ude00"); i++; break; // a surrogate pair, escaped: two UTF-16 units, one code point
                case 3: b.Append("\\\""); break;
                case 4: b.Append("\\\\"); break;
                default: b.Append((char)('a' + rng.Next(26))); break;
            }
        }

        return "\"" + b + "\"";
    }

    private static string RandomScalar(Random rng) => rng.Next(4) switch { 0 => "1", 1 => "\"x\"", 2 => "null", _ => "{\"a\":[1]}" };

    private static Guid GuidFrom(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        return new Guid(bytes);
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string ObjectJson(List<(string Name, string Raw)> fields) =>
        "{" + string.Join(",", fields.Select(f => NameJson(f.Name) + ":" + f.Raw)) + "}";

    /// <summary>A key as JSON; the name <c>\u0000</c> (written so in the list) becomes the NUL character.</summary>
    private static string NameJson(string name) => Quote(name).Replace("\\\\u0000", "\\u0000", StringComparison.Ordinal);

    private sealed record EventCase(string Json, Mutation Mutation, Expect Expect, List<(string Name, string Raw)> Fields);

    private sealed class BatchCase
    {
        public BatchCase(List<EventCase> events, RequestMutation request, int seed)
        {
            Events = events;
            Request = request;
            Seed = seed;
        }

        public List<EventCase> Events { get; }

        public RequestMutation Request { get; }

        public int Seed { get; }

        public string? ExpectedPath { get; private set; }

        public string Json()
        {
            var rng = new Random(Seed);
            var events = Events.Select(e => e.Json).ToList();
            var index = rng.Next(events.Count);
            switch (Request)
            {
                case RequestMutation.DuplicateKeyInEvent:
                {
                    var target = Events.Select((e, i) => (e, i)).Where(x => x.e.Fields.Count > 0 && x.e.Json.StartsWith('{')).Select(x => x.i).DefaultIfEmpty(-1).First();
                    if (target < 0) goto case RequestMutation.DuplicateKeyAtRoot;
                    var field = Events[target].Fields[rng.Next(Events[target].Fields.Count)];
                    events[target] = events[target][..^1] + "," + NameJson(field.Name) + ":" + field.Raw + "}";
                    ExpectedPath = field.Name == "\\u0000" ? "$.events[" + target.ToString(CultureInfo.InvariantCulture) + "]['\\u0000']"
                        : "$.events[" + target.ToString(CultureInfo.InvariantCulture) + "]" + PathPart(field.Name);
                    break;
                }

                case RequestMutation.DuplicateKeyNested:
                    events[index] = "{\"x\":[{\"k\":1,\"k\":2}]}";
                    ExpectedPath = "$.events[" + index.ToString(CultureInfo.InvariantCulture) + "].x[0].k";
                    break;
                case RequestMutation.DuplicateKeyAtRoot:
                    ExpectedPath = "$.events";
                    return "{\"events\":[" + string.Join(",", events) + "],\"events\":[]}";
                case RequestMutation.TooDeep:
                    events[index] = new string('[', 20) + new string(']', 20);
                    break;
            }

            return "{\"events\":[" + string.Join(",", events) + "]}";
        }

        public string Describe()
        {
            var json = Json();
            return $"{Events.Count} events, request mutation {Request}, mutations [{string.Join(",", Events.Select(e => e.Mutation))}]: " + (json.Length > 3000 ? json[..3000] + "…" : json);
        }

        private static string PathPart(string name) =>
            name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + name : "['" + name + "']";
    }

    private sealed class Stats
    {
        public long Generated;
        public long Accepted;
        public long NewRows;
        public readonly ConcurrentDictionary<string, long> Refused = new();

        public void Count(string reason, long n) => Refused.AddOrUpdate(reason, n, (_, v) => v + n);
    }
}
