using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tests.Parsing;

/// <summary>What a valid catalog turns into: the model with defaults applied, derived aggregates, metrics, positions.</summary>
public sealed class CatalogParserTests
{
    internal const string Watchlist = """
        # yaml-language-server: $schema=catalog.schema.json
        feature: watchlist
        description: Watchlist management
        owner: growth-team
        defaults:
          sampling: 0.1
          tier: A
        events:
          add:
            description: User adds a token to the watchlist.
            trigger: Click on "Add to watchlist" or keyboard shortcut A.
            idempotent: true
            properties:
              symbol: { type: string, max_length: 32, pattern: "^[A-Z]+/[A-Z]+$", example: "BTC/USDT", description: Token pair }
              source: { type: enum, values: [search, chart, trending] }
              price: { type: decimal, required: false, min: 0, max: 1000000 }
              tags: { type: array, items: string, max_items: 5, examples: [hot, new] }
              timeframes: { type: array, items: { type: enum, values: [1m, 4h, 1d] } }
          remove:
            tier: B
            sampling: 1.0
            status: deprecated
            version: 2
            owner: core-team
            properties:
              symbol: string
              held: duration
          trade.quick_open:
            sensitivity: financial
            sampling: 1.0
            status: planned
            tier: C
            properties:
              quantity: { type: decimal }
          bookmark_note:
            properties:
              note: { type: string, pii: free_text, treatment: length }
              email: { type: string, pii: email, treatment: hash }
              ip: { type: string, pii: ip_address, treatment: drop }
              user_ref: { type: string, pii: user_id, treatment: none, justification: Needed to join support tickets. }
        metrics:
          heuristic.execution: { kind: histogram, unit: ms, tags: { rule_id: string, rule_version: string, outcome: { type: enum, values: [hit, miss, error] } } }
          backtest.result: { kind: counter, tags: { strategy: string, profitable: boolean } }
        """;

    internal const string Chart = """
        feature: chart
        events:
          crosshair_move:
            description: The crosshair moved over the chart.
            frequency: high
            local_only: true
            properties:
              time:     { type: timestamp }
              price:    { type: double, description: Price under the crosshair. }
              screen_x: { type: int32 }
              screen_y: { type: int32 }
              symbol:   { type: string }
            aggregate:
              into: crosshair_agg
              window_ms: 5000
              group_by: [symbol]
              stats:
                price: [count, min, max, avg, last]
                time:  [last]
              heatmap: { x: screen_x, y: screen_y, columns: 16, rows: 9 }
              full_stream_percent: 1
          zoom:
            properties:
              level: int32
        """;

    [Fact]
    public void ValidCatalogParsesWithoutDiagnostics()
    {
        var file = CatalogText.Parse(Watchlist);

        Assert.True(file.Diagnostics.IsEmpty, CatalogText.Describe(file.Diagnostics));
        Assert.False(file.HasErrors);
        Assert.Equal("watchlist", file.Feature);
        Assert.Equal("Watchlist management", file.Description);
        Assert.Equal("growth-team", file.Owner);
        Assert.Equal(CatalogText.FilePath, file.FilePath);
    }

    [Fact]
    public void EventsKeepCatalogOrderAndActionKeysGetTheFeaturePrefix()
    {
        var file = CatalogText.Parse(Watchlist);

        Assert.Equal(new[] { "watchlist.add", "watchlist.remove", "trade.quick_open", "watchlist.bookmark_note" }, file.Events.Select(e => e.Name));
    }

    [Fact]
    public void KeyWithADotIsTheFullEventName()
    {
        var quickOpen = CatalogText.Parse(Watchlist).Event("trade.quick_open");

        Assert.Equal(Sensitivity.Financial, quickOpen.Sensitivity);
        Assert.Equal(EventStatus.Planned, quickOpen.Status);
        Assert.Equal(EventTier.C, quickOpen.Tier);
        Assert.Equal(1.0, quickOpen.Sampling);
        Assert.Equal("TrackTradeQuickOpen", Naming.TrackMethod(quickOpen.Name));
    }

    [Fact]
    public void DefaultsApplyToEventsThatDoNotOverrideThem()
    {
        var file = CatalogText.Parse(Watchlist);

        var add = file.Event("watchlist.add");
        Assert.Equal(0.1, add.Sampling);
        Assert.Equal(EventTier.A, add.Tier);

        var note = file.Event("watchlist.bookmark_note");
        Assert.Equal(0.1, note.Sampling);
        Assert.Equal(EventTier.A, note.Tier);
    }

    [Fact]
    public void EventValuesOverrideDefaults()
    {
        var remove = CatalogText.Parse(Watchlist).Event("watchlist.remove");

        Assert.Equal(1.0, remove.Sampling);
        Assert.Equal(EventTier.B, remove.Tier);
        Assert.Equal(EventStatus.Deprecated, remove.Status);
        Assert.Equal(2, remove.Version);
        Assert.Equal("core-team", remove.Owner);
    }

    [Fact]
    public void UnsetEventFactsTakeTheDocumentedDefaults()
    {
        var zoom = CatalogText.Parse(Chart).Event("chart.zoom");

        Assert.Equal(EventTier.B, zoom.Tier);
        Assert.Equal(EventStatus.Active, zoom.Status);
        Assert.Equal(1.0, zoom.Sampling);
        Assert.False(zoom.Idempotent);
        Assert.Equal(Sensitivity.None, zoom.Sensitivity);
        Assert.Equal(1, zoom.Version);
        Assert.Equal(Frequency.Normal, zoom.Frequency);
        Assert.False(zoom.LocalOnly);
        Assert.Null(zoom.Owner);
        Assert.Null(zoom.Description);
        Assert.Null(zoom.Aggregate);
        Assert.False(zoom.IsAggregate);
    }

    [Fact]
    public void EventCarriesItsDescriptionTriggerIdempotencyAndTheFileOwner()
    {
        var add = CatalogText.Parse(Watchlist).Event("watchlist.add");

        Assert.Equal("User adds a token to the watchlist.", add.Description);
        Assert.Equal("Click on \"Add to watchlist\" or keyboard shortcut A.", add.Trigger);
        Assert.True(add.Idempotent);
        Assert.Equal("growth-team", add.Owner);
    }

    [Fact]
    public void PropertiesKeepCatalogOrderWithTypesAndConstraints()
    {
        var add = CatalogText.Parse(Watchlist).Event("watchlist.add");

        Assert.Equal(new[] { "symbol", "source", "price", "tags", "timeframes" }, add.Properties.Select(p => p.Name));

        var symbol = add.Property("symbol");
        Assert.Equal(PropertyType.String, symbol.Type);
        Assert.True(symbol.Required);
        Assert.Equal(32, symbol.MaxLength);
        Assert.Equal("^[A-Z]+/[A-Z]+$", symbol.Pattern);
        Assert.Equal(new[] { "BTC/USDT" }, symbol.Examples);
        Assert.Equal("Token pair", symbol.Description);
        Assert.Null(symbol.Pii);
        Assert.Equal(PiiTreatment.None, symbol.Treatment);
        Assert.Equal("symbol", symbol.WireName);

        var price = add.Property("price");
        Assert.Equal(PropertyType.Decimal, price.Type);
        Assert.False(price.Required);
        Assert.Equal(0, price.Min);
        Assert.Equal(1000000, price.Max);
    }

    [Fact]
    public void EnumPropertyListsItsValuesInOrder()
    {
        var source = CatalogText.Parse(Watchlist).Event("watchlist.add").Property("source");

        Assert.Equal(PropertyType.Enum, source.Type);
        Assert.Null(source.ItemType);
        Assert.Equal(new[] { "search", "chart", "trending" }, source.EnumValues);
    }

    [Fact]
    public void ArrayPropertyHasItsItemTypeAndMaxItems()
    {
        var add = CatalogText.Parse(Watchlist).Event("watchlist.add");

        var tags = add.Property("tags");
        Assert.Equal(PropertyType.Array, tags.Type);
        Assert.Equal(PropertyType.String, tags.ItemType);
        Assert.Equal(5, tags.MaxItems);
        Assert.Equal(new[] { "hot", "new" }, tags.Examples);

        var timeframes = add.Property("timeframes");
        Assert.Equal(PropertyType.Array, timeframes.Type);
        Assert.Equal(PropertyType.Enum, timeframes.ItemType);
        Assert.Equal(new[] { "1m", "4h", "1d" }, timeframes.EnumValues);
    }

    [Fact]
    public void ShortFormPropertyIsARequiredPropertyOfThatType()
    {
        var remove = CatalogText.Parse(Watchlist).Event("watchlist.remove");

        Assert.Equal(PropertyType.String, remove.Property("symbol").Type);
        Assert.True(remove.Property("symbol").Required);
        Assert.Equal(PropertyType.Duration, remove.Property("held").Type);
    }

    [Fact]
    public void PiiPropertiesCarryClassTreatmentAndWireName()
    {
        var note = CatalogText.Parse(Watchlist).Event("watchlist.bookmark_note");

        var text = note.Property("note");
        Assert.Equal(PiiClass.FreeText, text.Pii);
        Assert.Equal(PiiTreatment.Length, text.Treatment);
        Assert.True(text.IsPersonalData);
        Assert.True(text.IsSent);
        Assert.Equal("note_length", text.WireName);

        var email = note.Property("email");
        Assert.Equal(PiiClass.Email, email.Pii);
        Assert.Equal(PiiTreatment.Hash, email.Treatment);
        Assert.Equal("email", email.WireName);

        var ip = note.Property("ip");
        Assert.Equal(PiiClass.IpAddress, ip.Pii);
        Assert.Equal(PiiTreatment.Drop, ip.Treatment);
        Assert.False(ip.IsSent);

        var userRef = note.Property("user_ref");
        Assert.Equal(PiiClass.UserId, userRef.Pii);
        Assert.Equal(PiiTreatment.None, userRef.Treatment);
        Assert.Equal("Needed to join support tickets.", userRef.Justification);
    }

    [Fact]
    public void MetricsHaveKindUnitAndTypedTags()
    {
        var file = CatalogText.Parse(Watchlist);

        Assert.Equal(new[] { "heuristic.execution", "backtest.result" }, file.Metrics.Select(m => m.Name));

        var execution = file.Metrics[0];
        Assert.Equal(MetricKind.Histogram, execution.Kind);
        Assert.Equal("ms", execution.Unit);
        Assert.Equal(new[] { "rule_id", "rule_version", "outcome" }, execution.Tags.Select(t => t.Name));
        Assert.Equal(PropertyType.String, execution.Tags[0].Type);
        Assert.Equal(PropertyType.Enum, execution.Tags[2].Type);
        Assert.Equal(new[] { "hit", "miss", "error" }, execution.Tags[2].EnumValues);

        var backtest = file.Metrics[1];
        Assert.Equal(MetricKind.Counter, backtest.Kind);
        Assert.Null(backtest.Unit);
        Assert.Equal(new[] { PropertyType.String, PropertyType.Boolean }, backtest.Tags.Select(t => t.Type));
    }

    [Fact]
    public void AggregateBlockIsParsedOntoTheSourceEvent()
    {
        var file = CatalogText.Parse(Chart);
        Assert.True(file.Diagnostics.IsEmpty, CatalogText.Describe(file.Diagnostics));

        var move = file.Event("chart.crosshair_move");
        Assert.Equal(Frequency.High, move.Frequency);
        Assert.True(move.LocalOnly);
        var aggregate = Assert.IsType<AggregateSpec>(move.Aggregate);
        Assert.Equal("chart.crosshair_agg", aggregate.Into);
        Assert.Equal(5000, aggregate.WindowMs);
        Assert.Equal(new[] { "symbol" }, aggregate.GroupBy);
        Assert.Equal(new[] { "price", "time" }, aggregate.Stats.Select(s => s.Property));
        Assert.Equal(
            new[] { AggregateStatKind.Count, AggregateStatKind.Min, AggregateStatKind.Max, AggregateStatKind.Avg, AggregateStatKind.Last },
            aggregate.Stats[0].Kinds);
        Assert.Equal(new HeatmapSpec("screen_x", "screen_y", 16, 9, 1920, 1080), aggregate.Heatmap);
        Assert.Equal(1, aggregate.FullStreamPercent);
    }

    [Fact]
    public void DerivedAggregateEventFollowsItsSource()
    {
        var file = CatalogText.Parse(Chart);

        Assert.Equal(new[] { "chart.crosshair_move", "chart.crosshair_agg", "chart.zoom" }, file.Events.Select(e => e.Name));
        var agg = file.Event("chart.crosshair_agg");
        Assert.True(agg.IsAggregate);
        Assert.Equal("chart.crosshair_move", agg.AggregatedFrom);
        Assert.Null(agg.Aggregate);
        Assert.Equal(1.0, agg.Sampling);
        Assert.Equal(Frequency.Normal, agg.Frequency);
        Assert.False(agg.LocalOnly);
    }

    [Fact]
    public void DerivedAggregateEventHasExactlyTheDocumentedPropertiesInOrder()
    {
        var agg = CatalogText.Parse(Chart).Event("chart.crosshair_agg");

        Assert.Equal(
            new[] { "symbol", "window_ms", "count", "price_min", "price_max", "price_avg", "last_price", "last_time", "heatmap" },
            agg.Properties.Select(p => p.Name));
    }

    [Fact]
    public void DerivedAggregatePropertiesHaveTheDocumentedTypes()
    {
        var agg = CatalogText.Parse(Chart).Event("chart.crosshair_agg");

        Assert.Equal(PropertyType.String, agg.Property("symbol").Type);
        Assert.Equal(PropertyType.Int32, agg.Property("window_ms").Type);
        Assert.Equal(PropertyType.Int64, agg.Property("count").Type);
        Assert.Equal(PropertyType.Double, agg.Property("price_min").Type);
        Assert.Equal(PropertyType.Double, agg.Property("price_max").Type);
        Assert.Equal(PropertyType.Double, agg.Property("price_avg").Type);
        Assert.Equal(PropertyType.Double, agg.Property("last_price").Type);
        Assert.Equal(PropertyType.Timestamp, agg.Property("last_time").Type);

        var heatmap = agg.Property("heatmap");
        Assert.Equal(PropertyType.Array, heatmap.Type);
        Assert.Equal(PropertyType.Int32, heatmap.ItemType);
        Assert.False(heatmap.Required);
        Assert.Equal(16 * 9, heatmap.MaxItems);
    }

    [Fact]
    public void DerivedAverageOfAnIntegerIsADouble()
    {
        const string yaml = """
            feature: chart
            events:
              pan:
                frequency: high
                local_only: true
                properties:
                  bars: int32
                aggregate:
                  into: pan_agg
                  stats:
                    bars: [sum, avg, first, min]
            """;

        var file = CatalogText.Parse(yaml);
        Assert.True(file.Diagnostics.IsEmpty, CatalogText.Describe(file.Diagnostics));
        var agg = file.Event("chart.pan_agg");
        Assert.Equal(new[] { "window_ms", "count", "bars_sum", "bars_avg", "first_bars", "bars_min" }, agg.Properties.Select(p => p.Name));
        Assert.Equal(PropertyType.Double, agg.Property("bars_sum").Type);
        Assert.Equal(PropertyType.Double, agg.Property("bars_avg").Type);
        Assert.Equal(PropertyType.Int32, agg.Property("first_bars").Type);
        Assert.Equal(PropertyType.Int32, agg.Property("bars_min").Type);
        Assert.Equal(5000, file.Event("chart.pan").Aggregate!.WindowMs);
    }

    [Fact]
    public void ParsingTheSameTextTwiceGivesEqualModels()
    {
        var first = CatalogText.Parse(Watchlist);
        var second = CatalogText.Parse(Watchlist);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.Events.GetHashCode(), second.Events.GetHashCode());
    }

    [Fact]
    public void ParsingTheSameAggregateCatalogTwiceGivesEqualModels()
    {
        var first = CatalogText.Parse(Chart);
        var second = CatalogText.Parse(Chart);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(first.Event("chart.crosshair_agg"), second.Event("chart.crosshair_agg"));
    }

    [Fact]
    public void ChangedDescriptionGivesUnequalModels()
    {
        var first = CatalogText.Parse(Watchlist);
        var second = CatalogText.Parse(Watchlist.Replace("User adds a token to the watchlist.", "User adds a asset to the watchlist.", StringComparison.Ordinal));

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Event("watchlist.add"), second.Event("watchlist.add"));
        Assert.NotEqual(first.ContentHash, second.ContentHash);
        // Same length, so every other event (positions included) stays equal: caches keyed on them still hit.
        Assert.Equal(first.Event("watchlist.remove"), second.Event("watchlist.remove"));
    }

    [Fact]
    public void ContentHashIsStableForTheSameText()
    {
        Assert.Equal(CatalogText.Parse(Watchlist).ContentHash, CatalogText.Parse(Watchlist).ContentHash);
        Assert.Equal(ContentHash.Of(Watchlist), CatalogText.Parse(Watchlist).ContentHash);
        Assert.Matches("^[0-9a-f]{16}$", ContentHash.Of(Watchlist));
    }

    [Theory]
    [InlineData("watchlist.add", "  add:")]
    [InlineData("watchlist.remove", "  remove:")]
    [InlineData("trade.quick_open", "  trade.quick_open:")]
    [InlineData("watchlist.bookmark_note", "  bookmark_note:")]
    public void EventLocationIsWhereItsKeyStands(string eventName, string keyText)
    {
        var spec = CatalogText.Parse(Watchlist).Event(eventName);
        var (line, column) = CatalogText.PositionOf(Watchlist, keyText);

        Assert.Equal(CatalogText.FilePath, spec.Location.FilePath);
        Assert.Equal(line, spec.Location.Line);
        Assert.Equal(column + 2, spec.Location.Column);
    }

    [Fact]
    public void PropertyAndMetricLocationsAreWhereTheirKeysStand()
    {
        var file = CatalogText.Parse(Watchlist);

        var (line, column) = CatalogText.PositionOf(Watchlist, "price: { type: decimal");
        var price = file.Event("watchlist.add").Property("price");
        Assert.Equal((line, column), (price.Location.Line, price.Location.Column));

        (line, column) = CatalogText.PositionOf(Watchlist, "backtest.result:");
        Assert.Equal((line, column), (file.Metrics[1].Location.Line, file.Metrics[1].Location.Column));
    }

    [Fact]
    public void LocationOffsetsPointAtTheKeyText()
    {
        var spec = CatalogText.Parse(Watchlist).Event("watchlist.remove");

        Assert.Equal("remove", Watchlist.Substring(spec.Location.Start, spec.Location.End - spec.Location.Start));
    }

    [Fact]
    public void WindowsLineEndingsGiveTheSameModelAndLines()
    {
        var unix = CatalogText.Parse(Watchlist);
        var windows = CatalogText.Parse(Watchlist.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.True(windows.Diagnostics.IsEmpty, CatalogText.Describe(windows.Diagnostics));
        Assert.Equal(unix.Events.Select(e => e.Name), windows.Events.Select(e => e.Name));
        Assert.Equal(unix.Events.Select(e => (e.Location.Line, e.Location.Column)), windows.Events.Select(e => (e.Location.Line, e.Location.Column)));
        Assert.Equal(unix.Event("watchlist.add").Properties.Select(p => p with { Location = null! }),
            windows.Event("watchlist.add").Properties.Select(p => p with { Location = null! }));
    }
}
