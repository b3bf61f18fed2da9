using System.Diagnostics.Metrics;
using System.Text.Json;
using Telemetry.Generators.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Generators.Tests.GeneratedCode;

/// <summary>
/// The shipped catalog's generated code, compiled in memory and executed against the real runtime
/// (after dotnet/runtime's LoggerMessageGeneratedCodeTests): the JSON on the wire, sampling, PII
/// treatment, window aggregation, the registry and the metrics instruments.
/// </summary>
public sealed class ShippedCatalogExecutionTests : IClassFixture<ShippedCatalogAssembly>
{
    private static readonly DateTimeOffset Now = new(2025, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Session = Guid.Parse("0193a5e0-0000-7000-8000-000000000042");

    private readonly ShippedCatalogAssembly _assembly;

    public ShippedCatalogExecutionTests(ShippedCatalogAssembly assembly) => _assembly = assembly;

    [Fact]
    public void Tracked_event_carries_the_full_envelope_and_its_typed_properties()
    {
        var user = UserInBuckets(0, 1000); // watchlist.add samples 10 %: buckets 0..999
        using var client = Client(user);

        _assembly.Driver<Action<ITelemetryClient>>("WatchlistAdd")(client);

        var json = Assert.Single(client.Events);
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        Assert.Equal("watchlist.add", e.GetProperty("event").GetString());
        var eventId = e.GetProperty("event_id").GetString()!;
        Assert.True(Guid.TryParseExact(eventId, "D", out _), eventId);
        Assert.Equal('7', eventId[14]); // UUID version nibble
        Assert.Contains(eventId[19], "89ab"); // RFC 9562 variant
        Assert.Equal(Now, e.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(Session, e.GetProperty("session_id").GetGuid());
        Assert.Equal(Fnv1a32.Bucket(user), e.GetProperty("user_bucket").GetInt32());
        Assert.Equal(0.1, e.GetProperty("sampling_rate").GetDouble());
        Assert.Equal("2.3.4", e.GetProperty("client_version").GetString());
        Assert.Equal(1, e.GetProperty("schema_version").GetInt32());
        Assert.Equal("BTC/USDT", e.GetProperty("symbol").GetString());
        Assert.Equal("trending", e.GetProperty("source").GetString());
        Assert.Equal(49000.25m, e.GetProperty("price").GetDecimal());
        AssertConforms(json, "watchlist.add");
    }

    [Fact]
    public void Optional_property_left_out_is_absent_from_the_json()
    {
        using var client = Client(UserInBuckets(0, 1000));

        _assembly.Driver<Action<ITelemetryClient>>("WatchlistAddWithoutPrice")(client);

        using var doc = JsonDocument.Parse(Assert.Single(client.Events));
        Assert.False(doc.RootElement.TryGetProperty("price", out _));
        Assert.Equal("screenshot", doc.RootElement.GetProperty("source").GetString());
        AssertConforms(client.Events[0], "watchlist.add");
    }

    [Fact]
    public void A_decimal_bound_of_zero_keeps_zero_and_negative_zero_and_drops_the_smallest_negative()
    {
        // price: min 0, checked by the sign in the generated code.
        using var client = Client(UserInBuckets(0, 1000));
        var track = _assembly.Driver<Action<ITelemetryClient, decimal>>("WatchlistAddAtPrice");

        foreach (var price in new[] { 0m, -0m, 0.0000m, 0.0000000000000000000000000001m, decimal.MaxValue, -0.0000000000000000000000000001m, -1m, decimal.MinValue })
        {
            track(client, price);
        }

        var prices = client.Events.Select(json =>
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("price").GetDecimal();
        }).ToArray();
        Assert.Equal(new[] { 0m, 0m, 0m, 0.0000000000000000000000000001m, decimal.MaxValue }, prices);
    }

    [Fact]
    public void Sampled_out_user_sends_nothing()
    {
        var user = UserInBuckets(1000, EventDescriptor.BucketCount);
        using var client = Client(user);

        _assembly.Driver<Action<ITelemetryClient>>("WatchlistAdd")(client);

        Assert.Empty(client.Events);
        Assert.False(client.IsEnabled(_assembly.Driver<Func<EventDescriptor>>("WatchlistAddDescriptor")()));
    }

    [Fact]
    public void Free_text_with_length_treatment_sends_only_its_length()
    {
        const string Note = "Call Jane Doe on +1 555 0100 or jane.doe@example.com about this breakout";
        using var client = Client(UserInBuckets(0, EventDescriptor.BucketCount));

        _assembly.Driver<Action<ITelemetryClient, string>>("BookmarkWithNote")(client, Note);

        var json = Assert.Single(client.Events);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(Note.Length, doc.RootElement.GetProperty("note_length").GetInt32());
        Assert.False(doc.RootElement.TryGetProperty("note", out _));
        Assert.DoesNotContain("Jane", json, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", json, StringComparison.Ordinal);
        Assert.DoesNotContain("555", json, StringComparison.Ordinal);
        AssertConforms(json, "replay.bookmark_create");
    }

    [Fact]
    public void Enums_durations_and_arrays_are_written_in_their_catalog_wire_form()
    {
        using var client = Client(UserInBuckets(0, EventDescriptor.BucketCount));

        _assembly.Driver<Action<ITelemetryClient>>("OcrExtraction")(client);
        _assembly.Driver<Action<ITelemetryClient>>("BulkRemove")(client);

        Assert.Equal(2, client.Events.Count);
        using var ocr = JsonDocument.Parse(client.Events[0]);
        Assert.Equal("4h", ocr.RootElement.GetProperty("detected_timeframe").GetString());
        Assert.Equal(1840.5, ocr.RootElement.GetProperty("duration").GetDouble());
        Assert.False(ocr.RootElement.TryGetProperty("detected_symbol", out _));
        using var bulk = JsonDocument.Parse(client.Events[1]);
        Assert.Equal(new[] { "BTC/USDT", "ETH/USDT" }, bulk.RootElement.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("select_all", bulk.RootElement.GetProperty("selection_mode").GetString());
        AssertConforms(client.Events[0], "analysis.ocr_extraction");
        AssertConforms(client.Events[1], "watchlist.bulk_remove");
    }

    [Fact]
    public void Crosshair_moves_are_aggregated_into_one_crosshair_agg_per_symbol()
    {
        // crosshair_move is local_only with a 1 % full stream: pick a user outside it, so only aggregates leave.
        using var client = Client(UserInBuckets(100, EventDescriptor.BucketCount));
        var move = _assembly.Driver<Action<ITelemetryClient, DateTimeOffset, double, int, int, string>>("CrosshairMove");
        var btc = new List<(DateTimeOffset Time, double Price, int X, int Y)>();
        for (var i = 0; i < 20; i++) btc.Add((Now.AddMinutes(i), 49000 + (i * 7 % 11), i * 97 % 1920, i * 53 % 1080));
        var eth = new List<(DateTimeOffset Time, double Price, int X, int Y)>();
        for (var i = 0; i < 10; i++) eth.Add((Now.AddHours(i), 3100.5 - i, 1919, 0));

        // Interleaved, so the aggregator's last-group fast path switches groups on most calls.
        for (var i = 0; i < 20; i++)
        {
            move(client, btc[i].Time, btc[i].Price, btc[i].X, btc[i].Y, "BTC/USDT");
            if (i < eth.Count) move(client, eth[i].Time, eth[i].Price, eth[i].X, eth[i].Y, "ETH/USDT");
        }

        Assert.Empty(client.Events);
        Assert.Equal(2, client.FlushAggregates());

        var aggregates = client.Events.Select(j => JsonDocument.Parse(j).RootElement.Clone()).ToList();
        Assert.All(aggregates, a => Assert.Equal("chart.crosshair_agg", a.GetProperty("event").GetString()));
        AssertAggregate(aggregates.Single(a => a.GetProperty("symbol").GetString() == "BTC/USDT"), btc);
        AssertAggregate(aggregates.Single(a => a.GetProperty("symbol").GetString() == "ETH/USDT"), eth);
        Assert.All(client.Events, json => AssertConforms(json, "chart.crosshair_agg"));

        // The window restarted empty: nothing more to flush.
        Assert.Equal(0, client.FlushAggregates());
    }

    [Fact]
    public void Full_stream_users_also_send_the_raw_high_frequency_events()
    {
        using var client = Client(UserInBuckets(0, 100));

        _assembly.Driver<Action<ITelemetryClient, DateTimeOffset, double, int, int, string>>("CrosshairMove")(client, Now, 49000, 10, 10, "BTC/USDT");
        client.FlushAggregates();

        Assert.Equal(new[] { "chart.crosshair_move", "chart.crosshair_agg" },
            client.Events.Select(j => JsonDocument.Parse(j).RootElement.GetProperty("event").GetString()));
        AssertConforms(client.Events[0], "chart.crosshair_move");
    }

    [Fact]
    public void Registry_lists_all_35_events_and_finds_them_by_name()
    {
        Assert.Equal(35, _assembly.Driver<Func<int>>("CatalogCount")());
        var find = _assembly.Driver<Func<string, EventDescriptor?>>("Find");

        var add = find("watchlist.add");
        Assert.NotNull(add);
        Assert.Equal(0.1, add!.Sampling);
        Assert.True(add.Idempotent);
        Assert.Equal(EventStatus.Planned, find("order.place_live")!.Status);
        Assert.Equal("chart.crosshair_move", find("chart.crosshair_agg")!.AggregatedFrom);
        Assert.Equal("trade.quick_open", find("trade.quick_open")!.Name);
        Assert.Null(find("watchlist.nope"));
    }

    [Fact]
    public void Metric_instruments_record_with_typed_tags()
    {
        var meter = _assembly.Driver<Func<Meter>>("HeuristicsMeter")();
        var seen = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        _assembly.Driver<Action<double>>("RecordHeuristic")(12.5);
        _assembly.Driver<Action>("AddBacktest")();

        Assert.Equal("Telemetry.Heuristics", meter.Name);
        var execution = Assert.Single(seen, s => s.Instrument == "heuristic.execution");
        Assert.Equal(12.5, execution.Value);
        Assert.Equal(new Dictionary<string, object?> { ["rule_id"] = "rule-7", ["rule_version"] = "v2", ["outcome"] = "miss" }, execution.Tags);
        var backtest = Assert.Single(seen, s => s.Instrument == "backtest.result");
        Assert.Equal(1, backtest.Value);
        Assert.Equal("profit", backtest.Tags["outcome"]);
        Assert.Equal("breakout", backtest.Tags["strategy"]);
    }

    private static void AssertAggregate(JsonElement agg, List<(DateTimeOffset Time, double Price, int X, int Y)> moves)
    {
        Assert.Equal(moves.Count, agg.GetProperty("count").GetInt64());
        Assert.Equal(5000, agg.GetProperty("window_ms").GetInt32());
        Assert.Equal(moves.Min(m => m.Price), agg.GetProperty("price_min").GetDouble());
        Assert.Equal(moves.Max(m => m.Price), agg.GetProperty("price_max").GetDouble());
        Assert.Equal(moves.Average(m => m.Price), agg.GetProperty("price_avg").GetDouble(), 9);
        Assert.Equal(moves[^1].Price, agg.GetProperty("last_price").GetDouble());
        Assert.Equal(moves[^1].Time, agg.GetProperty("last_time").GetDateTimeOffset());
        var heatmap = agg.GetProperty("heatmap").EnumerateArray().Select(c => c.GetInt32()).ToArray();
        Assert.Equal(16 * 9, heatmap.Length);
        Assert.Equal(moves.Count, heatmap.Sum());
        foreach (var cell in moves.GroupBy(m => (Math.Clamp(m.Y * 9 / 1080, 0, 8) * 16) + Math.Clamp(m.X * 16 / 1920, 0, 15)))
        {
            Assert.Equal(cell.Count(), heatmap[cell.Key]);
        }

        Assert.False(agg.TryGetProperty("screen_x", out _));
    }

    private void AssertConforms(string json, string eventName)
    {
        var descriptor = _assembly.Driver<Func<string, EventDescriptor?>>("Find")(eventName)!;
        var errors = EventSchemaValidator.Validate(json, descriptor.JsonSchema);
        Assert.True(errors.Count == 0, $"{eventName} does not match its JSON Schema:\n  {string.Join("\n  ", errors)}\n{json}");
    }

    private static InMemoryTelemetryClient Client(string user) => new(new TelemetryClientOptions
    {
        UserId = user,
        SessionId = Session,
        ClientVersion = "2.3.4",
        Time = new FakeTime(Now),
    });

    /// <summary>The first of user-0, user-1, ... whose FNV-1a bucket lies in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    internal static string UserInBuckets(int from, int to)
    {
        for (var i = 0; ; i++)
        {
            var id = "user-" + i;
            var bucket = Fnv1a32.Bucket(id);
            if (bucket >= from && bucket < to) return id;
        }
    }
}
