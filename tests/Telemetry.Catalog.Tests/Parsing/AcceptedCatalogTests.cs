using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tests.Parsing;

/// <summary>
/// Catalogs that look unusual but are valid: each must parse with no diagnostic at all,
/// in particular none of the rule the case sits next to (TEL2001 for high-frequency events).
/// </summary>
public sealed class AcceptedCatalogTests
{
    private static readonly Dictionary<string, (string Yaml, string[] Events)> Cases = new(StringComparer.Ordinal)
    {
        ["high-frequency event sampled at 0.01"] = ("""
            feature: replay
            events:
              seek:
                frequency: high
                sampling: 0.01
                properties:
                  position_ms: int64
            """, new[] { "replay.seek" }),
        ["high-frequency event sampled below 0.01"] = ("""
            feature: replay
            events:
              seek:
                frequency: high
                sampling: 0.001
            """, new[] { "replay.seek" }),
        ["high-frequency event that is local_only"] = ("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
            """, new[] { "chart.crosshair_move" }),
        ["high-frequency event that is aggregated"] = ("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                properties:
                  price: double
                aggregate:
                  into: crosshair_agg
                  stats:
                    price: [avg]
            """, new[] { "chart.crosshair_move", "chart.crosshair_agg" }),
        ["high-frequency defaults with local_only events"] = ("""
            feature: chart
            defaults:
              frequency: high
              local_only: true
            events:
              pointer_move:
                description: x
              scroll:
                description: y
            """, new[] { "chart.pointer_move", "chart.scroll" }),
        ["byte order mark at the start"] = ("\uFEFFfeature: watchlist\nevents:\n  add:\n    properties:\n      symbol: string\n", new[] { "watchlist.add" }),
        ["anchors and aliases"] = ("""
            feature: order
            defaults: &financial
              sensitivity: financial
              sampling: 1.0
            events:
              place_sim:
                properties:
                  symbol: &symbol { type: string, max_length: 32, example: "BTC/USDT" }
                  side: &side { type: enum, values: [buy, sell] }
              place_live:
                status: planned
                properties:
                  symbol: *symbol
                  side: *side
            """, new[] { "order.place_sim", "order.place_live" }),
        ["merge-free alias of a whole event"] = ("""
            feature: watchlist
            events:
              add: &pair_event
                properties:
                  symbol: string
              remove: *pair_event
            """, new[] { "watchlist.add", "watchlist.remove" }),
        ["financial event at sampling 1.0"] = ("""
            feature: order
            events:
              place_sim:
                sensitivity: financial
                sampling: 1.0
            """, new[] { "order.place_sim" }),
        ["session event at the default sampling"] = ("""
            feature: replay
            events:
              session_load:
                sensitivity: session
            """, new[] { "replay.session_load" }),
        ["metric without sampling"] = ("""
            feature: heuristics
            metrics:
              heuristic.execution:
                kind: histogram
                unit: ms
            """, Array.Empty<string>()),
        ["explicit document markers and comments"] = ("""
            %YAML 1.2
            ---
            # leading comment
            feature: watchlist   # trailing comment
            events:
              add: {}            # an event with nothing but its name
            ...
            """, new[] { "watchlist.add" }),
        ["enum values that start with a digit"] = ("""
            feature: chart
            events:
              timeframe_change:
                properties:
                  timeframe: { type: enum, values: [1m, 5m, 1h, 4h, 1d] }
            """, new[] { "chart.timeframe_change" }),
        ["pii property raw with a justification"] = ("""
            feature: support
            events:
              ticket_open:
                properties:
                  user_ref: { type: string, pii: user_id, treatment: none, justification: Support needs to reach the user. }
            """, new[] { "support.ticket_open" }),
        ["benign names and examples"] = ("""
            feature: chart
            events:
              indicator_add:
                properties:
                  symbol: { type: string, example: "BTC/USDT" }
                  price: { type: decimal, example: 49000.5 }
                  timeframe: { type: string, example: "4h" }
                  indicator_id: { type: string, example: "rsi-14" }
                  zoom_level: { type: double, example: 1.5 }
                  order_type: { type: string, example: limit }
                  token_count: { type: int32, example: 12 }
                  opened_at: { type: timestamp, example: "2025-11-10T12:00:00Z" }
            """, new[] { "chart.indicator_add" }),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ValidCatalogParsesWithoutAnyDiagnostic(string name)
    {
        var (yaml, events) = Cases[name];

        var file = CatalogText.Parse(yaml);

        Assert.True(file.Diagnostics.IsEmpty, CatalogText.Describe(file.Diagnostics));
        Assert.Equal(events, file.Events.Select(e => e.Name));
    }

    [Fact]
    public void ByteOrderMarkDoesNotShiftColumnsOnTheFirstLine()
    {
        var file = CatalogText.Parse("\uFEFFfeature: Watch-List\nevents: {}\n");

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticIds.InvalidName, diagnostic.Id);
        Assert.Equal((1, 10), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void AliasedPropertyIsTheSameAsTheAnchoredOne()
    {
        var file = CatalogText.Parse(Cases["anchors and aliases"].Yaml);

        var sim = file.Event("order.place_sim");
        var live = file.Event("order.place_live");
        Assert.Equal(sim.Property("side") with { Location = live.Property("side").Location }, live.Property("side"));
        Assert.Equal(new[] { "buy", "sell" }, live.Property("side").EnumValues);
        Assert.Equal(Sensitivity.Financial, live.Sensitivity);
        Assert.Equal(EventStatus.Planned, live.Status);
    }

    [Fact]
    public void AliasedEventGetsItsOwnNameAndLocation()
    {
        var file = CatalogText.Parse(Cases["merge-free alias of a whole event"].Yaml);

        var add = file.Event("watchlist.add");
        var remove = file.Event("watchlist.remove");
        Assert.Equal(add.Properties, remove.Properties);
        Assert.Equal(3, add.Location.Line);
        Assert.Equal(6, remove.Location.Line);
    }
}
