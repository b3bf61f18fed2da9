using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Ingest.Validation;
using Telemetry.Tests.Shared;

namespace Telemetry.Ingest.Tests.Validation;

/// <summary>
/// The server's compiled validator and JsonSchema.Net must give the same verdict on every event of the shipped
/// catalog: random valid events generated from each event's JSON Schema (values at and inside every bound, optional
/// properties present, absent or null, strings with astral characters), and invalid ones derived from them by one
/// mutation each (wrong type, one past a bound, a value outside the enum, a broken format or pattern, a required
/// property removed, an extra property). A disagreement is a bug in one of the two.
/// </summary>
public sealed class ValidatorDifferentialTests
{
    private const int ValidPerEvent = 25;

    public static TheoryData<string> EventNames()
    {
        var data = new TheoryData<string>();
        foreach (var spec in CatalogEvents.Catalog.Events.OrderBy(e => e.Name, StringComparer.Ordinal)) data.Add(spec.Name);
        return data;
    }

    [Fact]
    public void Every_catalog_event_is_covered()
    {
        Assert.Equal(CatalogEvents.Validator.EventCount, ((IEnumerable<object[]>)EventNames()).Count());
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Compiled_validator_and_JsonSchemaNet_agree_on_generated_events(string name)
    {
        var schemaText = CatalogEvents.Validator.SchemaText(name)!;
        var schema = JsonSchemaCheck.Build(schemaText);
        var schemaNode = JsonNode.Parse(schemaText)!.AsObject();
        var spec = CatalogEvents.Validator.Find(name)!;
        var examples = spec.Properties.ToDictionary(p => p.WireName, p => p.Examples.ToArray(), StringComparer.Ordinal);
        var random = new Random(StringComparer.Ordinal.GetHashCode(name) & 0x7fffffff ^ 20261206);
        var generator = new InstanceGenerator(random, examples);
        var disagreements = new List<string>();
        var checkedValid = 0;
        var checkedInvalid = 0;

        for (var i = 0; i < ValidPerEvent; i++)
        {
            var valid = generator.Valid(schemaNode);
            Compare(valid, expectValid: true);
            checkedValid++;
            foreach (var (what, invalid) in generator.Mutations(schemaNode, valid))
            {
                Compare(invalid, expectValid: false, what);
                checkedInvalid++;
            }
        }

        Assert.True(disagreements.Count == 0, $"{name}: {disagreements.Count} disagreements in {checkedValid} valid and {checkedInvalid} invalid events:\n" + string.Join("\n", disagreements.Take(15)));
        Assert.True(checkedInvalid >= ValidPerEvent, "too few invalid events were generated");

        void Compare(JsonObject instance, bool expectValid, string? mutation = null)
        {
            var json = instance.ToJsonString();
            using var document = JsonDocument.Parse(json);
            var serverErrors = new List<ValidationError>();
            var server = CatalogEvents.Validator.Validate(document.RootElement, "$", serverErrors, maxErrors: 100);
            var library = JsonSchemaCheck.Errors(schema, document.RootElement);
            var reference = library.Count == 0;
            if (server != reference)
            {
                disagreements.Add($"  {(mutation ?? "valid")}: server {(server ? "accepts" : "rejects (" + string.Join("; ", serverErrors.Select(e => e.Path + " " + e.Reason)) + ")")}, " +
                    $"JsonSchema.Net {(reference ? "accepts" : "rejects (" + string.Join("; ", library.Take(3)) + ")")}: {json}");
            }
            else if (reference != expectValid)
            {
                // Both agree but the generator's intent was wrong: a generator bug, which would hide real disagreements.
                disagreements.Add($"  generator: {(mutation ?? "valid")} was meant to be {(expectValid ? "valid" : "invalid")}: {json}");
            }
        }
    }

    /// <summary>Random instances of the keywords the event schemas use (type, const, enum, format, pattern, bounds, items, required, additionalProperties).</summary>
    private sealed class InstanceGenerator
    {
        private static readonly string[] Astral = { "😀", "𝄞", "𠜎", "é", "ß", "中", "a", "Z", "0", " ", "\"", "\\", "/" };
        private readonly Random _random;
        private readonly Dictionary<string, string[]> _examples;

        public InstanceGenerator(Random random, Dictionary<string, string[]> examples)
        {
            _random = random;
            _examples = examples;
        }

        public JsonObject Valid(JsonObject schema)
        {
            var result = new JsonObject();
            var required = Required(schema);
            foreach (var (name, rule) in schema["properties"]!.AsObject())
            {
                if (!required.Contains(name))
                {
                    var roll = _random.Next(3);
                    if (roll == 0) continue;
                    if (roll == 1 && Types(rule!.AsObject()).Contains("null"))
                    {
                        result[name] = null;
                        continue;
                    }
                }

                result[name] = Value(name, rule!.AsObject());
            }

            return result;
        }

        public IEnumerable<(string What, JsonObject Instance)> Mutations(JsonObject schema, JsonObject valid)
        {
            var properties = schema["properties"]!.AsObject();
            foreach (var name in Required(schema).Where(valid.ContainsKey))
            {
                var copy = Clone(valid);
                copy.Remove(name);
                yield return ("without required " + name, copy);
            }

            var extra = Clone(valid);
            extra["not_in_the_catalog_" + _random.Next(1000)] = 1;
            yield return ("extra property", extra);

            foreach (var (name, rule) in properties)
            {
                foreach (var (what, bad) in Invalid(name, rule!.AsObject()))
                {
                    var copy = Clone(valid);
                    copy[name] = bad;
                    yield return ($"{name}: {what}", copy);
                }
            }
        }

        private JsonNode? Value(string name, JsonObject rule)
        {
            if (rule["const"] is { } constant) return constant.DeepClone();
            if (rule["enum"] is JsonArray members) return members[_random.Next(members.Count)]!.DeepClone();
            var type = Types(rule).First(t => t != "null");
            switch (type)
            {
                case "string":
                    return JsonValue.Create(String(name, rule));
                case "boolean":
                    return JsonValue.Create(_random.Next(2) == 0);
                case "integer":
                {
                    var min = (long)(Number(rule, "minimum") ?? -1_000_000);
                    var max = (long)(Number(rule, "maximum") ?? 1_000_000);
                    var pick = _random.Next(4) switch { 0 => min, 1 => max, _ => min + (long)(_random.NextDouble() * (max - min)) };
                    return JsonValue.Create(pick);
                }

                case "number":
                {
                    var min = Number(rule, "minimum") ?? -1e6;
                    var max = Number(rule, "maximum") ?? 1e6;
                    var pick = _random.Next(4) switch { 0 => min, 1 => max, _ => Math.Round(min + (_random.NextDouble() * (max - min)), 4) };
                    return JsonValue.Create(Math.Clamp(pick, min, max));
                }

                case "array":
                {
                    var items = new JsonArray();
                    var maxItems = (int)(Number(rule, "maxItems") ?? 5);
                    var count = _random.Next(4) == 0 ? maxItems : _random.Next(Math.Min(maxItems, 5) + 1);
                    for (var i = 0; i < count; i++) items.Add(Value(name + "[]", rule["items"]!.AsObject()));
                    return items;
                }

                default:
                    throw new NotSupportedException($"{name}: type {type}");
            }
        }

        private string String(string name, JsonObject rule)
        {
            switch ((string?)rule["format"])
            {
                case "uuid":
                    var id = Guid.NewGuid().ToString();
                    return _random.Next(4) == 0 ? id.ToUpperInvariant() : id;
                case "date-time":
                    var t = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(_random.Next(0, 200_000_000));
                    return _random.Next(3) switch
                    {
                        0 => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        1 => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                        _ => t.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                    };
            }

            var maxLength = (int)(Number(rule, "maxLength") ?? 40);
            if (rule["pattern"] is { } pattern)
            {
                var regex = new Regex((string)pattern!);
                var candidates = (_examples.TryGetValue(name.TrimEnd('[', ']'), out var e) ? e : Array.Empty<string>())
                    .Concat(new[] { "BTC/USDT", "ETH/USD", "v1", "v2.3", "v10.0.1", new string('a', 64), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" })
                    .Where(c => regex.IsMatch(c) && CodePoints(c) <= maxLength)
                    .ToList();
                if (candidates.Count == 0) throw new InvalidOperationException($"{name}: no sample string matches {pattern}; add one to the generator.");
                return candidates[_random.Next(candidates.Count)];
            }

            var length = _random.Next(4) == 0 ? maxLength : _random.Next(Math.Min(maxLength, 12) + 1);
            var text = new StringBuilder();
            for (var i = 0; i < length; i++) text.Append(Astral[_random.Next(Astral.Length)]);
            return text.ToString();
        }

        private IEnumerable<(string What, JsonNode? Value)> Invalid(string name, JsonObject rule)
        {
            var types = Types(rule);
            if (!types.Contains("null")) yield return ("null", null);
            if (rule["const"] is not null)
            {
                yield return ("other const", JsonValue.Create("not.this.event"));
                yield break;
            }

            if (rule["enum"] is not null)
            {
                yield return ("outside the enum", JsonValue.Create("not_a_member"));
                yield return ("number for an enum", JsonValue.Create(1));
                yield break;
            }

            var type = types.FirstOrDefault(t => t != "null");
            switch (type)
            {
                case "string":
                    yield return ("number for a string", JsonValue.Create(42));
                    yield return ("array for a string", new JsonArray());
                    if ((string?)rule["format"] == "uuid")
                    {
                        yield return ("uuid without dashes", JsonValue.Create(Guid.NewGuid().ToString("N")));
                        yield return ("uuid in braces", JsonValue.Create(Guid.NewGuid().ToString("B")));
                        yield return ("not a uuid", JsonValue.Create("not-a-uuid"));
                    }
                    else if ((string?)rule["format"] == "date-time")
                    {
                        yield return ("date without time", JsonValue.Create("2024-05-01"));
                        yield return ("date-time without offset", JsonValue.Create("2024-05-01T10:00:00"));
                        yield return ("month 13", JsonValue.Create("2024-13-01T10:00:00Z"));
                        yield return ("not a date", JsonValue.Create("yesterday"));
                    }
                    else if (rule["pattern"] is not null)
                    {
                        yield return ("not matching the pattern", JsonValue.Create("no match here!"));
                    }

                    if (Number(rule, "maxLength") is { } maxLength && maxLength < 10_000)
                    {
                        var tooLong = rule["pattern"] is null ? string.Concat(Enumerable.Repeat("😀", (int)maxLength + 1)) : new string('A', (int)maxLength + 1);
                        yield return ("one code point too long", JsonValue.Create(tooLong));
                    }

                    break;
                case "boolean":
                    yield return ("string for a boolean", JsonValue.Create("true"));
                    yield return ("number for a boolean", JsonValue.Create(1));
                    break;
                case "integer":
                case "number":
                    yield return ("string for a number", JsonValue.Create("12"));
                    if (type == "integer") yield return ("fraction for an integer", JsonValue.Create(Number(rule, "minimum") is { } lo ? lo + 0.5 : 0.5));
                    // One past a bound only where a double can say so (|bound| < 2^53; the int64 range's bounds are not representable + 1).
                    if (Number(rule, "minimum") is { } min && Math.Abs(min) < 9e15) yield return ("below the minimum", JsonValue.Create(type == "integer" ? min - 1 : min - 0.001));
                    if (Number(rule, "maximum") is { } max && Math.Abs(max) < 9e15) yield return ("above the maximum", JsonValue.Create(type == "integer" ? max + 1 : max + 0.001));
                    break;
                case "array":
                    yield return ("object for an array", new JsonObject());
                    if (Number(rule, "maxItems") is { } maxItems)
                    {
                        var items = new JsonArray();
                        for (var i = 0; i <= maxItems; i++) items.Add(Value(name + "[]", rule["items"]!.AsObject()));
                        yield return ("one item too many", items);
                    }

                    foreach (var (what, bad) in Invalid(name + "[]", rule["items"]!.AsObject()))
                    {
                        yield return ("item " + what, new JsonArray(bad));
                    }

                    break;
            }
        }

        private static HashSet<string> Required(JsonObject schema) =>
            schema["required"] is JsonArray r ? r.Select(n => (string)n!).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);

        private static string[] Types(JsonObject rule) => rule["type"] switch
        {
            JsonArray many => many.Select(t => (string)t!).ToArray(),
            JsonValue one => new[] { (string)one! },
            _ => rule["enum"] is JsonArray members && members.Any(m => m is null) ? new[] { "string", "null" } : new[] { "string" },
        };

        private static double? Number(JsonObject rule, string keyword) => rule[keyword] is { } n ? n.GetValue<double>() : null;

        private static int CodePoints(string s) => s.EnumerateRunes().Count();

        private static JsonObject Clone(JsonObject o) => o.DeepClone().AsObject();
    }
}
