using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Ingest.Enrichment;
using Telemetry.Ingest.Ingestion;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Tests.Validation;

/// <summary>
/// The number contract, table-driven: every number-valued property of every catalog event (envelope included) against
/// literals in every JSON notation, through validation, the stored-event mapping and both stores. The expected verdict is
/// computed here from the catalog spec and the literal's exact value, not by the code under test.
/// </summary>
public sealed class NumberContractTests
{
    /// <summary>Literal and its exact value (null: has a fractional part).</summary>
    private static readonly (string Literal, string? Exact)[] Literals =
    {
        ("5", "5"), ("5.0", "5"), ("5e0", "5"), ("5E+0", "5"), ("0.5e1", "5"), ("50e-1", "5"), ("-0", "0"), ("0.000", "0"), ("0", "0"),
        ("1", "1"), ("1e2", "100"), ("1E+2", "100"), ("-1e-7", null), ("1.5", null), ("0.1", null), ("9999", "9999"), ("10000", "10000"),
        ("2147483647", "2147483647"), ("2147483648", "2147483648"), ("-2147483648", "-2147483648"), ("-2147483649", "-2147483649"),
        ("3000000000", "3000000000"), ("1e10", "10000000000"), ("9007199254740993", "9007199254740993"),
        ("9223372036854775807", "9223372036854775807"), ("9223372036854775808", "9223372036854775808"),
        ("-9223372036854775808", "-9223372036854775808"), ("-9223372036854775809", "-9223372036854775809"),
        ("100000000000000000000e-2", "1000000000000000000"), ("12345678901234567890123e-3", null), ("1.00000000000000000000001", null),
        ("1e308", "1" + new string('0', 308)), ("-1e308", "-1" + new string('0', 308)), ("1e400", "1" + new string('0', 400)), ("1e-400", null),
    };

    private static readonly BigInteger DecimalLimit = BigInteger.Parse("79228162514264337593543950335", CultureInfo.InvariantCulture);

    public static TheoryData<string> TableLiterals => new(Literals.Select(l => l.Literal));

    /// <summary>The table's literals read as integers: the verdict and value follow from the literal's exact value.</summary>
    [Theory]
    [MemberData(nameof(TableLiterals))]
    public void Integer_literals_of_the_table_read_exactly(string literal)
    {
        var exact = Literals.Single(l => l.Literal == literal).Exact is { } text ? BigInteger.Parse(text, CultureInfo.InvariantCulture) : (BigInteger?)null;
        var read = NumberContract.ReadInteger(Encoding.UTF8.GetBytes(literal), out var actual);
        var expected = exact is null ? IntegerRead.Fractional : exact < long.MinValue || exact > long.MaxValue ? IntegerRead.OutOfRange : IntegerRead.Integer;
        Assert.Equal(expected, read);
        if (expected == IntegerRead.Integer) Assert.Equal(exact!.Value, actual);
    }

    /// <summary>Literals whose exact value the table cannot write out (huge exponents) or that sit past a long by digits alone.</summary>
    [Theory]
    [InlineData("1e999999999999", IntegerRead.OutOfRange, 0L)]
    [InlineData("1e-999999999999", IntegerRead.Fractional, 0L)]
    [InlineData("123456789012345678901.5", IntegerRead.Fractional, 0L)]
    [InlineData("123456789012345678901", IntegerRead.OutOfRange, 0L)]
    [InlineData("12345678901234567890100e-2", IntegerRead.OutOfRange, 0L)]
    [InlineData("0.00000000000000000000000000000000000000001e41", IntegerRead.Integer, 1L)]
    public void Integer_literals_read_exactly(string literal, object expectedRead, long value)
    {
        // IntegerRead is internal, so a public test method takes it as object.
        var expected = (IntegerRead)expectedRead;
        var read = NumberContract.ReadInteger(Encoding.UTF8.GetBytes(literal), out var actual);
        Assert.Equal(expected, read);
        if (expected == IntegerRead.Integer) Assert.Equal(value, actual);
    }

    [Fact]
    public Task Every_catalog_number_property_and_literal_through_validation_mapping_and_SQLite() => RunAsync(postgres: null);

    [PostgresFact]
    public async Task Every_catalog_number_property_and_literal_through_validation_mapping_and_PostgreSQL()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await RunAsync(database.ConnectionString);
    }

    private static async Task RunAsync(string? postgres)
    {
        using var folder = new TempFolder();
        await using IEventStore store = postgres is null
            ? new SqliteEventStore("Data Source=" + Path.Combine(folder.Path, "numbers.db"), fullSync: false)
            : new PostgresEventStore(postgres);
        await store.InitializeAsync(CancellationToken.None);

        var context = new RequestContext("test", DateTimeOffset.UtcNow, "127.0.0.0", UserAgentInfo.Unknown);
        var accepted = new List<(StoredEvent Stored, string Wire, string Literal, BigInteger? Exact, NumberKind Kind)>();
        var cases = 0;
        var properties = 0;
        var seenKinds = new HashSet<NumberKind>();
        foreach (var (spec, wire, property, kind) in CatalogEvents.NumberProperties())
        {
            properties++;
            seenKinds.Add(kind);
            var userId = "u-" + properties.ToString(CultureInfo.InvariantCulture);
            foreach (var (literal, exactText) in Literals)
            {
                cases++;
                var exact = exactText is null ? (BigInteger?)null : BigInteger.Parse(exactText, CultureInfo.InvariantCulture);
                var evt = CatalogEvents.Valid(spec, userId);
                evt[wire] = "__NUMBER__";
                var json = evt.ToJsonString().Replace("\"__NUMBER__\"", literal, StringComparison.Ordinal);
                using var doc = JsonDocument.Parse(json);
                var errors = new List<ValidationError>();
                var valid = CatalogEvents.Validator.Validate(doc.RootElement, "$", errors);
                var expected = Expect(spec, wire, property, kind, literal, exact);
                var what = $"{spec.Name}.{wire} ({kind}) = {literal}";
                if (expected is null)
                {
                    Assert.True(valid, what + " should be valid: " + string.Join("; ", errors.Select(e => e.Reason + " " + e.Detail)));
                }
                else
                {
                    Assert.False(valid, what + " should be rejected as " + expected);
                    var error = Assert.Single(errors);
                    Assert.Equal(("$." + wire, expected), (error.Path, error.Reason));
                    continue;
                }

                // Whatever validates must map: the stored-event mapping reads the same value.
                var stored = StoredEventFactory.Create(doc.RootElement, context, 60);
                if (wire == "user_bucket") Assert.Equal(exact!.Value, (BigInteger)stored.UserBucket);
                if (wire == "schema_version") Assert.Equal(exact!.Value, (BigInteger)stored.SchemaVersion);
                if (wire == "sampling_rate") Assert.Equal(double.Parse(literal, CultureInfo.InvariantCulture), stored.SamplingRate);
                accepted.Add((stored, wire, literal, exact, kind));
            }
        }

        Assert.True(properties >= 100, "number properties found: " + properties);
        Assert.Equal(new[] { NumberKind.Int32, NumberKind.Int64, NumberKind.Double, NumberKind.Decimal }.Order(), seenKinds.Order());

        // ...and store, the same value in either store.
        var inserted = await store.WriteBatchAsync(accepted.Select(a => a.Stored).ToList(), CancellationToken.None);
        Assert.Equal(accepted.Count, inserted.Count);
        var byUser = accepted.GroupBy(a => a.Stored.UserId!);
        foreach (var group in byUser)
        {
            var rows = (await store.ExportUserAsync(group.Key, CancellationToken.None)).ToDictionary(e => e.EventId);
            Assert.Equal(group.Count(), rows.Count);
            foreach (var a in group)
            {
                var row = rows[a.Stored.EventId];
                var what = $"{a.Stored.Event}.{a.Wire} = {a.Literal} in {store.Name}";
                Assert.True(a.Stored.UserBucket == row.UserBucket, what);
                Assert.True(a.Stored.SchemaVersion == row.SchemaVersion, what);
                Assert.True(a.Stored.SamplingRate.Equals(row.SamplingRate), what);
                using var payload = JsonDocument.Parse(row.Payload);
                var value = payload.RootElement.GetProperty(a.Wire);
                if (a.Kind is NumberKind.Int32 or NumberKind.Int64)
                {
                    Assert.Equal(IntegerRead.Integer, NumberContract.ReadInteger(value, out var read));
                    Assert.True(a.Exact == read, what + ": read back " + read);
                }
                else
                {
                    Assert.True(double.Parse(a.Literal, CultureInfo.InvariantCulture).Equals(value.GetDouble()), what);
                }
            }
        }

        Assert.True(cases > 3000, "cases: " + cases);
    }

    /// <summary>The reason the literal must be rejected for, or null when it must be accepted.</summary>
    private static string? Expect(Telemetry.Catalog.Model.EventSpec spec, string wire, Telemetry.Catalog.Model.PropertySpec? property, NumberKind kind, string literal, BigInteger? exact)
    {
        if (kind is NumberKind.Int32 or NumberKind.Int64)
        {
            BigInteger lo = kind == NumberKind.Int32 ? int.MinValue : long.MinValue;
            BigInteger hi = kind == NumberKind.Int32 ? int.MaxValue : long.MaxValue;
            if (wire == "user_bucket") (lo, hi) = (0, 9999);
            else if (wire == "schema_version") (lo, hi) = (1, spec.Version);
            else if (property!.Pii is not null) lo = 0; // a PII length
            else
            {
                if (property.Min is { } min) lo = BigInteger.Max(lo, new BigInteger(Math.Ceiling(min)));
                if (property.Max is { } max) hi = BigInteger.Min(hi, new BigInteger(Math.Floor(max)));
            }

            if (exact is null) return ValidationReasons.Type;
            if (exact < lo) return ValidationReasons.Minimum;
            if (exact > hi) return ValidationReasons.Maximum;
            return null;
        }

        var number = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number)) return ValidationReasons.Type;
        if (kind == NumberKind.Decimal && exact is { } big && BigInteger.Abs(big) > DecimalLimit) return ValidationReasons.Type;
        double? lower = wire == "sampling_rate" ? 0 : property!.Min;
        double? upper = wire == "sampling_rate" ? 1 : property!.Max;
        if (lower is { } l && number < l) return ValidationReasons.Minimum;
        if (upper is { } u && number > u) return ValidationReasons.Maximum;
        return null;
    }

    [Fact]
    public async Task The_reported_literals_in_a_batch_of_ten_cost_no_neighbour_its_event()
    {
        await using var host = await IngestHost.StartAsync();
        var valid = Enumerable.Range(0, 9).Select(_ => Events.Zoom()).ToList();
        foreach (var (field, literal, accepted) in new[]
                 {
                     ("user_bucket", "5.0", true), ("user_bucket", "1e2", true), ("user_bucket", "3000000000", false), ("user_bucket", "1e10", false),
                     ("schema_version", "1.0", true), ("schema_version", "1e0", true), ("schema_version", "3000000000", false), ("schema_version", "2", false),
                 })
        {
            var odd = Events.Zoom();
            odd[field] = "__N__";
            var events = valid.Select(v => { var c = (JsonObject)v.DeepClone(); c["event_id"] = Guid.NewGuid().ToString(); return c; }).ToList();
            events.Insert(4, odd);
            var body = Events.Batch(events.ToArray()).Replace("\"__N__\"", literal, StringComparison.Ordinal);
            var before = await host.StoredCountAsync();
            using var response = await host.PostJsonAsync("/v1/batch", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, field + "=" + literal + ": " + (int)response.StatusCode + " " + text);
            var answer = JsonNode.Parse(text)!;
            Assert.Equal(accepted ? 10 : 9, (int)answer["accepted"]!);
            Assert.Equal(before + (accepted ? 10 : 9), await host.StoredCountAsync());
            if (!accepted) Assert.Equal("$.events[4]." + field, (string?)answer["rejected"]![0]!["path"]);
        }
    }
}
