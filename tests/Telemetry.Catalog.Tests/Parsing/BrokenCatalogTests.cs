using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog.Tests.Parsing;

/// <summary>
/// Broken catalogs: each must yield one specific diagnostic at the line (and column) of the offending key
/// or value, and never an exception.
/// </summary>
public sealed class BrokenCatalogTests
{
    /// <summary>A broken catalog and the diagnostic it must produce. Column 0: the column is not asserted.</summary>
    public sealed record BrokenCatalog(string Yaml, string Id, int Line, int Column, CatalogSeverity Severity = CatalogSeverity.Error);

    private static readonly Dictionary<string, BrokenCatalog> Cases = new(StringComparer.Ordinal)
    {
        // ---- TEL0001: YAML that does not parse ----
        ["unclosed double quote"] = new("""
            feature: watchlist
            events:
              add:
                description: "never closed
                properties:
                  symbol: string
            """, DiagnosticIds.InvalidYaml, 4, 18),
        ["unclosed single quote"] = new("""
            feature: watchlist
            events:
              add:
                trigger: 'never closed
            """, DiagnosticIds.InvalidYaml, 4, 14),
        ["bad indentation"] = new("""
            feature: watchlist
            events:
              add:
                description: Adds a token.
               trigger: Click.
            """, DiagnosticIds.InvalidYaml, 5, 4),
        ["tab indentation"] = new("feature: watchlist\nevents:\n\tadd:\n\t\tdescription: x\n", DiagnosticIds.InvalidYaml, 3, 1),
        ["tab indentation further down"] = new("feature: watchlist\nevents:\n  add:\n    description: x\n\tremove: {}\n", DiagnosticIds.InvalidYaml, 5, 0),
        ["control character in a value"] = new("feature: watchlist\nevents:\n  add: {}\n  remove: \u0007{}\n", DiagnosticIds.InvalidYaml, 4, 11),
        ["unclosed flow mapping"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol: { type: string, max_length: 32
            """, DiagnosticIds.InvalidYaml, 5, 15),
        ["unclosed flow mapping followed by more lines"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol: { type: string, max_length: 32
                  price: { type: double }
              remove: {}
            """, DiagnosticIds.InvalidYaml, 5, 15),
        ["unclosed flow sequence"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  source: { type: enum, values: [a, b }
            """, DiagnosticIds.InvalidYaml, 5, 43),
        ["stray closing bracket"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  source: { type: enum, values: [a, b]] }
            """, DiagnosticIds.InvalidYaml, 5, 43),
        ["stray closing bracket on its own line"] = new("""
            feature: watchlist
            events:
            ]
            """, DiagnosticIds.InvalidYaml, 3, 1),
        ["alias to an unknown anchor"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol: *missing
            """, DiagnosticIds.InvalidYaml, 5, 15),
        ["two documents in one file"] = new("""
            feature: watchlist
            events: {}
            ---
            feature: chart
            """, DiagnosticIds.InvalidYaml, 3, 1),
        ["nesting deeper than any catalog"] = new(
            "feature: watchlist\nevents: " + new string('[', 200) + new string(']', 200) + "\n", DiagnosticIds.InvalidYaml, 2, 0),

        // ---- TEL0002: structure ----
        ["empty file"] = new("", DiagnosticIds.InvalidStructure, 1, 1),
        ["file with only comments"] = new("# nothing here yet\n", DiagnosticIds.InvalidStructure, 1, 1),
        ["top-level list"] = new("""
            - feature: watchlist
            - events: {}
            """, DiagnosticIds.InvalidStructure, 1, 1),
        ["top-level scalar"] = new("just some words\n", DiagnosticIds.InvalidStructure, 1, 1),
        ["unknown top-level key"] = new("""
            feature: watchlist
            colour: red
            events:
              add:
                description: x
            """, DiagnosticIds.InvalidStructure, 2, 1),
        ["unknown event key"] = new("""
            feature: watchlist
            events:
              add:
                descripton: typo
            """, DiagnosticIds.InvalidStructure, 4, 5),
        ["unknown property key"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol:
                    type: string
                    maxlength: 32
            """, DiagnosticIds.InvalidStructure, 7, 9),
        ["unknown defaults key"] = new("""
            feature: watchlist
            defaults:
              sampling: 0.5
              properties: {}
            events:
              add:
                description: x
            """, DiagnosticIds.InvalidStructure, 4, 3),
        ["sampling quoted text"] = new("""
            feature: watchlist
            events:
              add:
                sampling: "high"
            """, DiagnosticIds.InvalidStructure, 4, 15),
        ["sampling plain word"] = new("""
            feature: watchlist
            events:
              add:
                sampling: high
            """, DiagnosticIds.InvalidStructure, 4, 15),
        ["idempotent maybe"] = new("""
            feature: watchlist
            events:
              add:
                idempotent: maybe
            """, DiagnosticIds.InvalidStructure, 4, 17),
        ["version 1.5"] = new("""
            feature: watchlist
            events:
              add:
                version: 1.5
            """, DiagnosticIds.InvalidStructure, 4, 14),
        ["tier D"] = new("""
            feature: watchlist
            events:
              add:
                tier: D
            """, DiagnosticIds.InvalidStructure, 4, 11),
        ["status retired"] = new("""
            feature: watchlist
            events:
              add:
                status: retired
            """, DiagnosticIds.InvalidStructure, 4, 13),
        ["sensitivity secret"] = new("""
            feature: watchlist
            events:
              add:
                sensitivity: secret
            """, DiagnosticIds.InvalidStructure, 4, 18),
        ["frequency sometimes"] = new("""
            feature: watchlist
            events:
              add:
                frequency: sometimes
            """, DiagnosticIds.InvalidStructure, 4, 16),
        ["required yes"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  price: { type: double, required: yes }
            """, DiagnosticIds.InvalidStructure, 5, 40),
        ["wrong tier in defaults"] = new("""
            feature: watchlist
            defaults:
              tier: D
            events:
              add:
                description: x
            """, DiagnosticIds.InvalidStructure, 3, 9),
        ["missing feature"] = new("""
            description: no feature here
            events:
              watchlist.add:
                description: x
            """, DiagnosticIds.InvalidStructure, 1, 1),
        ["neither events nor metrics"] = new("""
            feature: watchlist
            description: nothing to track
            """, DiagnosticIds.InvalidStructure, 1, 1),
        ["events written as a list"] = new("""
            feature: watchlist
            events:
              - add
              - remove
            """, DiagnosticIds.InvalidStructure, 3, 3),
        ["event without definition"] = new("""
            feature: watchlist
            events:
              add:
              remove:
                description: x
            """, DiagnosticIds.InvalidStructure, 3, 3),
        ["properties written as a list"] = new("""
            feature: watchlist
            events:
              add:
                properties: [symbol, price]
            """, DiagnosticIds.InvalidStructure, 4, 17),
        ["missing type"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol:
                    description: Token pair.
            """, DiagnosticIds.InvalidStructure, 5, 7),
        ["property without any definition"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol:
            """, DiagnosticIds.InvalidStructure, 5, 7),
        ["duplicate property key"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol: string
                  symbol: string
            """, DiagnosticIds.InvalidStructure, 6, 7),
        ["duplicate event facet key"] = new("""
            feature: watchlist
            events:
              add:
                tier: A
                tier: B
            """, DiagnosticIds.InvalidStructure, 5, 5),
        ["example written as a mapping"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  symbol:
                    type: string
                    example: { a: b }
            """, DiagnosticIds.InvalidStructure, 7, 18),
        ["pii without treatment"] = new("""
            feature: replay
            events:
              bookmark_create:
                properties:
                  note: { type: string, pii: free_text }
            """, DiagnosticIds.InvalidStructure, 5, 29),
        ["treatment without pii"] = new("""
            feature: replay
            events:
              bookmark_create:
                properties:
                  label: { type: string, treatment: hash }
            """, DiagnosticIds.InvalidStructure, 5, 30),
        ["unknown pii class"] = new("""
            feature: replay
            events:
              bookmark_create:
                properties:
                  note: { type: string, pii: diary, treatment: drop }
            """, DiagnosticIds.InvalidStructure, 5, 34),
        ["stats not written as a list"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: crosshair_agg
                  stats:
                    price: avg
            """, DiagnosticIds.InvalidStructure, 11, 16),
        ["unknown statistic"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: crosshair_agg
                  stats:
                    price: [median]
            """, DiagnosticIds.InvalidStructure, 11, 17),
        ["aggregate without into"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  stats:
                    price: [avg]
            """, DiagnosticIds.InvalidStructure, 9, 0),
        ["metric without kind"] = new("""
            feature: heuristics
            metrics:
              heuristic.execution:
                unit: ms
            """, DiagnosticIds.InvalidStructure, 3, 3),
        ["metric kind gauge"] = new("""
            feature: heuristics
            metrics:
              heuristic.execution:
                kind: gauge
            """, DiagnosticIds.InvalidStructure, 4, 11),

        // ---- TEL0003: naming ----
        ["event name Watchlist.Add"] = new("""
            feature: watchlist
            events:
              Watchlist.Add:
                description: x
            """, DiagnosticIds.InvalidName, 3, 3),
        ["event name add-item"] = new("""
            feature: watchlist
            events:
              add-item:
                description: x
            """, DiagnosticIds.InvalidName, 3, 3),
        ["event name 9lives"] = new("""
            feature: watchlist
            events:
              9lives:
                description: x
            """, DiagnosticIds.InvalidName, 3, 3),
        ["full event name without action"] = new("""
            feature: watchlist
            events:
              watchlist.:
                description: x
            """, DiagnosticIds.InvalidName, 3, 3),
        ["feature name with a dash"] = new("""
            feature: watch-list
            events:
              add:
                description: x
            """, DiagnosticIds.InvalidName, 1, 10),
        ["property name camelCase"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  tokenSymbol: string
            """, DiagnosticIds.InvalidName, 5, 7),
        ["property name with leading digit"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  1st_price: double
            """, DiagnosticIds.InvalidName, 5, 7),
        ["enum value Buy"] = new("""
            feature: order
            events:
              place_sim:
                sensitivity: financial
                properties:
                  side: { type: enum, values: [Buy, sell] }
            """, DiagnosticIds.InvalidName, 6, 36),
        ["property named event_id clashes with the envelope"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  event_id: uuid
            """, DiagnosticIds.InvalidName, 5, 7),
        ["property named timestamp clashes with the envelope"] = new("""
            feature: watchlist
            events:
              add:
                properties:
                  timestamp: timestamp
            """, DiagnosticIds.InvalidName, 5, 7),
        ["length treatment clashes with an existing property"] = new("""
            feature: replay
            events:
              bookmark_create:
                properties:
                  note: { type: string, pii: free_text, treatment: length }
                  note_length: int32
            """, DiagnosticIds.InvalidName, 6, 7),
        ["two events with the same C# name"] = new("""
            feature: watchlist
            events:
              bulk_remove:
                description: x
              bulk__remove:
                description: y
            """, DiagnosticIds.InvalidName, 5, 3),
        ["aggregate into itself"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: crosshair_move
                  stats:
                    price: [avg]
            """, DiagnosticIds.InvalidName, 9, 13),
        ["metric name without a dot"] = new("""
            feature: heuristics
            metrics:
              latency:
                kind: histogram
            """, DiagnosticIds.InvalidName, 3, 3),

        // ---- TEL0004: duplicates ----
        ["duplicate event key"] = new("""
            feature: watchlist
            events:
              add:
                description: first
              add:
                description: second
            """, DiagnosticIds.DuplicateEvent, 5, 3),
        ["event defined by action key and by full name"] = new("""
            feature: watchlist
            events:
              add:
                description: first
              watchlist.add:
                description: second
            """, DiagnosticIds.DuplicateEvent, 5, 3),
        ["aggregate into an existing event"] = new("""
            feature: chart
            events:
              zoom:
                description: Zoom.
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: zoom
                  stats:
                    price: [min]
            """, DiagnosticIds.DuplicateEvent, 11, 0),
        ["duplicate metric key"] = new("""
            feature: heuristics
            metrics:
              backtest.result:
                kind: counter
              backtest.result:
                kind: counter
            """, DiagnosticIds.DuplicateEvent, 5, 3),
        ["metric named like an event"] = new("""
            feature: watchlist
            events:
              add:
                description: x
            metrics:
              watchlist.add:
                kind: counter
            """, DiagnosticIds.DuplicateEvent, 6, 3),

        // ---- TEL0005: types and constraints ----
        ["enum without values"] = new("""
            feature: order
            events:
              place_sim:
                sensitivity: financial
                properties:
                  side: { type: enum }
            """, DiagnosticIds.InvalidType, 6, 7),
        ["enum with an empty values list"] = new("""
            feature: order
            events:
              place_sim:
                sensitivity: financial
                properties:
                  side: { type: enum, values: [] }
            """, DiagnosticIds.InvalidType, 6, 27),
        ["enum short form"] = new("""
            feature: order
            events:
              place_sim:
                properties:
                  side: enum
            """, DiagnosticIds.InvalidType, 5, 13),
        ["enum value listed twice"] = new("""
            feature: order
            events:
              place_sim:
                properties:
                  side: { type: enum, values: [buy, sell, buy] }
            """, DiagnosticIds.InvalidType, 5, 47),
        ["values on a string"] = new("""
            feature: order
            events:
              place_sim:
                properties:
                  side: { type: string, values: [buy, sell] }
            """, DiagnosticIds.InvalidType, 5, 29),
        ["unknown type float"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  level: { type: float }
            """, DiagnosticIds.InvalidType, 5, 22),
        ["unknown short-form type"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  level: integer
            """, DiagnosticIds.InvalidType, 5, 14),
        ["min above max"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  level:
                    type: int32
                    min: 10
                    max: 1
            """, DiagnosticIds.InvalidType, 7, 9),
        ["min on a string"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  label:
                    type: string
                    min: 1
            """, DiagnosticIds.InvalidType, 7, 9),
        ["fractional bound on an integer"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  level:
                    type: int32
                    max: 2.5
            """, DiagnosticIds.InvalidType, 7, 9),
        ["max_length 0"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  label:
                    type: string
                    max_length: 0
            """, DiagnosticIds.InvalidType, 7, 9),
        ["max_length on an int"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  level:
                    type: int32
                    max_length: 3
            """, DiagnosticIds.InvalidType, 7, 9),
        ["max_items on a string"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  label:
                    type: string
                    max_items: 3
            """, DiagnosticIds.InvalidType, 7, 9),
        ["invalid regex pattern"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  symbol:
                    type: string
                    pattern: "[A-Z"
            """, DiagnosticIds.InvalidType, 7, 18),
        ["pattern on a number"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  level:
                    type: double
                    pattern: "^1$"
            """, DiagnosticIds.InvalidType, 7, 9),
        ["example not an int32"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  level:
                    type: int32
                    example: many
            """, DiagnosticIds.InvalidType, 7, 9),
        ["example not a uuid"] = new("""
            feature: order
            events:
              place_sim:
                properties:
                  order_id:
                    type: uuid
                    examples: ["0193a5c1-3a07-7e52-b6d9-0f4e8c2b7a15", "order-17"]
            """, DiagnosticIds.InvalidType, 7, 9),
        ["example not among enum values"] = new("""
            feature: chart
            events:
              zoom:
                properties:
                  direction:
                    type: enum
                    values: [in, out]
                    example: sideways
            """, DiagnosticIds.InvalidType, 8, 9),
        ["array without items"] = new("""
            feature: watchlist
            events:
              bulk_remove:
                properties:
                  symbols:
                    type: array
            """, DiagnosticIds.InvalidType, 5, 7),
        ["array of arrays"] = new("""
            feature: watchlist
            events:
              bulk_remove:
                properties:
                  symbols: { type: array, items: array }
            """, DiagnosticIds.InvalidType, 5, 38),
        ["items on a string"] = new("""
            feature: watchlist
            events:
              bulk_remove:
                properties:
                  symbols: { type: string, items: string }
            """, DiagnosticIds.InvalidType, 5, 32),
        ["sampling above 1"] = new("""
            feature: watchlist
            events:
              add:
                sampling: 1.5
            """, DiagnosticIds.InvalidType, 4, 15),
        ["version 0"] = new("""
            feature: watchlist
            events:
              add:
                version: 0
            """, DiagnosticIds.InvalidType, 4, 14),
        ["window_ms 500"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: crosshair_agg
                  window_ms: 500
                  stats:
                    price: [avg]
            """, DiagnosticIds.InvalidType, 10, 18),
        ["full_stream_percent above 100"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: crosshair_agg
                  full_stream_percent: 150
            """, DiagnosticIds.InvalidType, 10, 28),
        ["heatmap on a non-int property"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                  screen_y: int32
                aggregate:
                  into: crosshair_agg
                  heatmap: { x: price, y: screen_y }
            """, DiagnosticIds.InvalidType, 11, 21),
        ["heatmap with 100 columns"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  screen_x: int32
                  screen_y: int32
                aggregate:
                  into: crosshair_agg
                  heatmap: { x: screen_x, y: screen_y, columns: 100 }
            """, DiagnosticIds.InvalidType, 11, 16),
        ["stats naming an unknown property"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: crosshair_agg
                  stats:
                    volume: [sum]
            """, DiagnosticIds.InvalidType, 11, 9),
        ["avg on a string"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  symbol: string
                aggregate:
                  into: crosshair_agg
                  stats:
                    symbol: [avg]
            """, DiagnosticIds.InvalidType, 11, 18),
        ["group_by naming an unknown property"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: crosshair_agg
                  group_by: [ticker]
            """, DiagnosticIds.InvalidType, 10, 18),
        ["metric tag of type double"] = new("""
            feature: heuristics
            metrics:
              heuristic.execution:
                kind: histogram
                tags:
                  score: double
            """, DiagnosticIds.InvalidType, 6, 14),

        // ---- TEL1001: looks like PII (warning) ----
        ["email without pii"] = new("""
            feature: account
            events:
              signup:
                properties:
                  email: string
            """, DiagnosticIds.UnclassifiedPii, 5, 7, CatalogSeverity.Warning),
        ["user_phone without pii"] = new("""
            feature: account
            events:
              signup:
                properties:
                  user_phone: { type: string }
            """, DiagnosticIds.UnclassifiedPii, 5, 7, CatalogSeverity.Warning),
        ["free-text description without pii"] = new("""
            feature: replay
            events:
              bookmark_create:
                properties:
                  body: { type: string, description: Free text typed by the user. }
            """, DiagnosticIds.UnclassifiedPii, 5, 7, CatalogSeverity.Warning),
        ["e-mail example without pii"] = new("""
            feature: account
            events:
              invite:
                properties:
                  recipient: { type: string, example: "jane@example.com" }
            """, DiagnosticIds.UnclassifiedPii, 5, 7, CatalogSeverity.Warning),
        ["card number example without pii"] = new("""
            feature: order
            events:
              deposit:
                sensitivity: financial
                properties:
                  reference: { type: string, example: "4111 1111 1111 1111" }
            """, DiagnosticIds.UnclassifiedPii, 6, 7, CatalogSeverity.Warning),
        ["array of e-mails without pii"] = new("""
            feature: account
            events:
              invite:
                properties:
                  recipients: { type: array, items: string, examples: ["jane@example.com"] }
            """, DiagnosticIds.UnclassifiedPii, 5, 7, CatalogSeverity.Warning),

        // ---- TEL1002: raw PII without justification ----
        ["treatment none without justification"] = new("""
            feature: account
            events:
              signup:
                properties:
                  email: { type: string, pii: email, treatment: none }
            """, DiagnosticIds.RawPiiWithoutJustification, 5, 7),
        ["treatment none with blank justification"] = new("""
            feature: account
            events:
              signup:
                properties:
                  email: { type: string, pii: email, treatment: none, justification: "  " }
            """, DiagnosticIds.RawPiiWithoutJustification, 5, 7),

        // ---- TEL1003: sensitive events sampled ----
        ["financial event sampled 0.5"] = new("""
            feature: order
            events:
              place_sim:
                sensitivity: financial
                sampling: 0.5
            """, DiagnosticIds.SensitiveEventSampled, 5, 15),
        ["session event sampled 0.1"] = new("""
            feature: replay
            events:
              session_load:
                sensitivity: session
                sampling: 0.1
            """, DiagnosticIds.SensitiveEventSampled, 5, 15),
        ["financial event sampled through defaults"] = new("""
            feature: order
            defaults:
              sensitivity: financial
              sampling: 0.5
            events:
              place_sim:
                description: x
            """, DiagnosticIds.SensitiveEventSampled, 4, 13),

        // ---- TEL2001: high-frequency events ----
        ["high-frequency event sampled 0.5"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                sampling: 0.5
            """, DiagnosticIds.UnsampledHighFrequency, 3, 3),
        ["high-frequency event at the default sampling"] = new("""
            feature: chart
            events:
              crosshair_move:
                frequency: high
                properties:
                  price: double
            """, DiagnosticIds.UnsampledHighFrequency, 3, 3),
        ["high-frequency event sampled 0.02"] = new("""
            feature: replay
            events:
              seek:
                frequency: high
                sampling: 0.02
            """, DiagnosticIds.UnsampledHighFrequency, 3, 3),

        // ---- TEL2002: sampled metric ----
        ["metric with sampling"] = new("""
            feature: heuristics
            metrics:
              heuristic.execution:
                kind: histogram
                sampling: 0.5
            """, DiagnosticIds.SampledMetric, 5, 5),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    [Fact]
    public void ThereAreAtLeast35BrokenCatalogs() => Assert.True(Cases.Count >= 35, $"only {Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BrokenCatalogReportsTheExpectedDiagnosticAtItsPosition(string name)
    {
        var c = Cases[name];

        var file = CatalogText.Parse(c.Yaml);

        var all = CatalogText.Describe(file.Diagnostics);
        var withId = file.Diagnostics.Where(d => d.Id == c.Id).ToList();
        Assert.True(withId.Count > 0, $"expected {c.Id} at line {c.Line}; got:\n{all}");
        var atLine = withId.Where(d => d.Location.Line == c.Line).ToList();
        Assert.True(atLine.Count > 0, $"expected {c.Id} at line {c.Line}; got:\n{all}");
        if (c.Column > 0)
        {
            Assert.True(atLine.Any(d => d.Location.Column == c.Column), $"expected {c.Id} at ({c.Line},{c.Column}); got:\n{all}");
        }

        var diagnostic = atLine.First(d => c.Column == 0 || d.Location.Column == c.Column);
        Assert.Equal(c.Severity, diagnostic.Severity);
        Assert.Equal(CatalogText.FilePath, diagnostic.Location.FilePath);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        if (c.Severity == CatalogSeverity.Error) Assert.True(file.HasErrors);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BrokenCatalogNeverReportsADiagnosticOutsideTheText(string name)
    {
        var c = Cases[name];
        var lines = c.Yaml.Split('\n').Length;

        var file = CatalogText.Parse(c.Yaml);

        Assert.All(file.Diagnostics, d =>
        {
            Assert.InRange(d.Location.Line, 1, lines + 1);
            Assert.InRange(d.Location.Column, 1, int.MaxValue);
            Assert.InRange(d.Location.Start, 0, c.Yaml.Length);
        });
    }

    [Fact]
    public void RandomBinaryBytesGiveInvalidYamlWithoutThrowing()
    {
        var random = new Random(20251110);
        for (var i = 0; i < 50; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            bytes[0] = 0; // a NUL byte is never valid YAML, so every sample must be reported

            foreach (var text in new[] { System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.Latin1.GetString(bytes) })
            {
                var file = CatalogText.Parse(text);

                Assert.True(file.HasErrors);
                var invalid = Assert.Single(file.Diagnostics, d => d.Id == DiagnosticIds.InvalidYaml);
                Assert.Equal((1, 1), (invalid.Location.Line, invalid.Location.Column));
                Assert.True(file.Events.IsEmpty);
            }
        }
    }

    [Theory]
    [InlineData("feature: watchlist\nevents:\n  add: {}\n  remove: \0{}\n", 4, 11)]
    [InlineData("\0feature: watchlist\nevents: {}\n", 1, 1)]
    [InlineData("feature: watchlist\nevents:\n  add: {}\n\0\n  remove: {}\n", 4, 1)]
    // NEL (U+0085) is a line break for YamlDotNet and Roslyn alike, so the disallowed U+0086 stands at 5:1.
    [InlineData("feature: watchlist\r\nevents:\r\n  add: {}\r\n  remove: \u0085\u0086\r\n", 5, 1)]
    public void NulAndOtherControlCharactersAreReportedWhereTheyStandInsteadOfEndingTheFile(string text, int line, int column)
    {
        var file = CatalogText.Parse(text);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticIds.InvalidYaml, diagnostic.Id);
        Assert.Equal((line, column), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("U+", diagnostic.Message, StringComparison.Ordinal);
        Assert.True(file.Events.IsEmpty);
    }

    [Fact]
    public void LoneSurrogateIsReportedWhereItStands()
    {
        // Built at run time: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
        var text = "feature: watchlist\nevents:\n  add: { description: \"" + (char)0xD800 + "\" }\n";

        var diagnostic = Assert.Single(CatalogText.Parse(text).Diagnostics);
        Assert.Equal(DiagnosticIds.InvalidYaml, diagnostic.Id);
        Assert.Equal((3, 24), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void UnclosedFlowMappingMessageSaysWhereTheParserStopped()
    {
        var file = CatalogText.Parse(Cases["unclosed flow mapping followed by more lines"].Yaml);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("'{'", diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("current state of the object", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArbitraryPrintableGarbageNeverThrows()
    {
        var random = new Random(42);
        const string alphabet = "abcXYZ019 :-[]{}?!&*#|>'\"%@`,.\t\n\r\\";
        for (var i = 0; i < 500; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            var text = "feature: x\nevents:\n  " + new string(chars);

            var file = CatalogText.Parse(text);

            Assert.NotNull(file);
            Assert.All(file.Diagnostics, d => Assert.InRange(d.Location.Line, 1, text.Length + 1));
        }
    }

    [Fact]
    public void NullTextIsReportedNotThrown()
    {
        var file = CatalogParser.Parse(CatalogText.FilePath, null!);

        Assert.True(file.HasErrors);
    }

    [Fact]
    public void OversizedFileIsRejectedBeforeParsing()
    {
        var file = CatalogText.Parse("feature: x\n# " + new string('a', CatalogParser.MaxFileLength));

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticIds.InvalidYaml, diagnostic.Id);
    }

    [Fact]
    public void DuplicateEventKeyMessageNamesTheEventAndItsFirstDefinition()
    {
        var file = CatalogText.Parse(Cases["duplicate event key"].Yaml);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticIds.DuplicateEvent, diagnostic.Id);
        Assert.Contains("watchlist.add", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("catalog/test.yaml(3,3)", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("first", Assert.Single(file.Events).Description);
    }

    [Fact]
    public void WrongDefaultIsReportedOnceNotOncePerEvent()
    {
        const string yaml = """
            feature: watchlist
            defaults:
              tier: D
              sampling: 7
            events:
              add:
                description: x
              remove:
                description: y
              open_chart:
                description: z
            """;

        var file = CatalogText.Parse(yaml);

        Assert.Single(file.Diagnostics, d => d.Location.Line == 3);
        Assert.Single(file.Diagnostics, d => d.Location.Line == 4);
        Assert.Equal(3, file.Events.Count);
    }

    [Fact]
    public void UnknownKeyMessageNamesTheKeyAndTheKnownKeys()
    {
        var file = CatalogText.Parse(Cases["unknown event key"].Yaml);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("'descripton'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("description", diagnostic.Message.Replace("'descripton'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("watchlist.add", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongValueMessageNamesTheAllowedWords()
    {
        var file = CatalogText.Parse(Cases["tier D"].Yaml);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Contains("A, B, C", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("'D'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadEventNameIsReportedAndTheEventIsNotGenerated()
    {
        var file = CatalogText.Parse(Cases["event name Watchlist.Add"].Yaml);

        Assert.Contains("Watchlist.Add", Assert.Single(file.Diagnostics).Message, StringComparison.Ordinal);
        Assert.True(file.Events.IsEmpty);
    }

    [Fact]
    public void UnknownPiiClassIsReportedOnceWithoutFollowUpDiagnostics()
    {
        var file = CatalogText.Parse(Cases["unknown pii class"].Yaml);

        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticIds.InvalidStructure, diagnostic.Id);
        Assert.Contains("'diary'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PiiWarningAloneDoesNotMakeTheFileFail()
    {
        var file = CatalogText.Parse(Cases["email without pii"].Yaml);

        var warning = Assert.Single(file.Diagnostics);
        Assert.Equal(CatalogSeverity.Warning, warning.Severity);
        Assert.Contains("'email'", warning.Message, StringComparison.Ordinal);
        Assert.False(file.HasErrors);
        Assert.Single(file.Events);
    }
}
