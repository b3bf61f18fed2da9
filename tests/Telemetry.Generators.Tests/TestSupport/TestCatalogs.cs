namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>
/// Small, representative catalogs: each exercises one part of the format so its snapshot stays readable.
/// All of them are valid (no catalog errors), so the generator must produce code that compiles warning-free.
/// </summary>
internal static class TestCatalogs
{
    /// <summary>One event with every scalar type, required and optional, plus event facts (version, idempotent, sampling).</summary>
    public const string PlainEvent = """
        feature: settings
        description: Application settings.
        owner: platform-team
        events:
          theme_change:
            description: The user switched the colour theme.
            trigger: Choosing a theme in Settings > Appearance.
            tier: B
            status: active
            sampling: 0.25
            idempotent: true
            version: 2
            properties:
              theme: { type: string, max_length: 32, description: Theme now active., example: dark }
              high_contrast: { type: boolean, description: True when high contrast is on. }
              font_scale: { type: double, min: 0.5, max: 3, required: false }
              reload_count: { type: int32, min: 0 }
              bytes_cached: { type: int64, required: false }
              fee_shown: { type: decimal, required: false }
              changed_at: { type: timestamp }
              dwell: { type: duration, description: Time the settings page was open. }
              request_id: { type: uuid, required: false }
        """;

    /// <summary>Enums: values that start with a digit, snake case values, an optional enum, the same values in two events.</summary>
    public const string EnumEvent = """
        feature: layout
        description: Window layout.
        events:
          panel_resize:
            description: A panel was resized.
            properties:
              panel: { type: enum, values: [left, right, bottom_dock], description: Which panel. }
              timeframe: { type: enum, values: [1m, 5m, 1h], required: false }
              input: { type: enum, values: [drag, double_click, keyboard] }
          panel_close:
            description: A panel was closed.
            properties:
              panel: { type: enum, values: [left, right, bottom_dock] }
        """;

    /// <summary>Arrays of strings, enums and numbers; required and optional.</summary>
    public const string ArrayEvent = """
        feature: filter
        events:
          apply:
            description: Filters were applied to the token list.
            properties:
              symbols: { type: array, items: string, max_items: 50, description: Pairs matched. }
              kinds: { type: array, items: { type: enum, values: [spot, perp, option] } }
              thresholds: { type: array, items: double, required: false }
              counts: { type: array, items: int32 }
        """;

    /// <summary>Every PII treatment: length, hash, drop, redact, and none with a justification.</summary>
    public const string PiiEvent = """
        feature: support
        description: Support tickets.
        events:
          ticket_submit:
            description: A support ticket was submitted.
            properties:
              category: { type: enum, values: [billing, bug, other] }
              message: { type: string, pii: free_text, treatment: length, description: Ticket text. }
              contact_email: { type: string, pii: email, treatment: hash }
              phone_number: { type: string, pii: phone, treatment: drop, required: false }
              customer_name: { type: string, pii: person_name, treatment: redact, required: false }
              account_ref: { type: string, pii: user_id, treatment: none, justification: Support staff join tickets to accounts., required: false }
              backup_email: { type: string, pii: email, treatment: hash, required: false }
        """;

    /// <summary>A crosshair-like high-frequency event aggregated per (symbol, layer) with every statistic and a heatmap.</summary>
    public const string AggregatedEvent = """
        feature: canvas
        description: Drawing canvas.
        owner: chart-team
        events:
          pointer_move:
            description: The pointer moved over the canvas.
            trigger: Pointer move events.
            frequency: high
            local_only: true
            properties:
              time: { type: timestamp }
              price: { type: double, min: 0 }
              volume: { type: decimal, min: 0 }
              screen_x: { type: int32, min: 0 }
              screen_y: { type: int32, min: 0 }
              symbol: { type: string, max_length: 32 }
              layer: { type: enum, values: [main, overlay] }
            aggregate:
              into: pointer_agg
              window_ms: 10000
              group_by: [symbol, layer]
              stats:
                price: [count, min, max, avg, sum, first, last]
                volume: [sum, max]
                time: [min, last]
              heatmap: { x: screen_x, y: screen_y, columns: 4, rows: 3, width: 800, height: 600 }
              full_stream_percent: 5
        """;

    /// <summary>Metrics of every kind with string, boolean, integer and enum tags.</summary>
    public const string Metrics = """
        feature: engine
        description: Engine metrics.
        metrics:
          rule.execution:
            kind: histogram
            unit: ms
            description: Duration of one rule execution.
            tags:
              rule_id: string
              cached: boolean
              outcome: { type: enum, values: [hit, miss, error] }
          job.completed:
            kind: counter
            unit: "{job}"
            tags:
              queue: string
              attempt: int32
          queue.depth:
            kind: up_down_counter
            tags:
              queue: string
        """;

    /// <summary>A planned event ([Experimental]) and a deprecated one ([Obsolete]) next to an active one.</summary>
    public const string Lifecycle = """
        feature: alerts
        events:
          price_set:
            description: A price alert was set.
            properties:
              symbol: { type: string }
              direction: { type: enum, values: [above, below] }
          smart_suggest:
            description: Planned - alerts suggested by the assistant.
            tier: C
            status: planned
            properties:
              suggestion_count: { type: int32, min: 0 }
              source: { type: enum, values: [assistant, trending] }
          legacy_create:
            description: The old alert dialog created an alert.
            status: deprecated
            version: 3
            properties:
              symbol: { type: string }
              kind: { type: enum, values: [price, volume] }
        """;

    /// <summary>The snapshot cases: name (folder under Snapshots/) and the catalog file.</summary>
    /// <summary>
    /// Shared definitions: one enum definition used by two events (one C# enum), refs with overridden description,
    /// required and example and narrowed ranges, array item constraints and counts, and a clamped property.
    /// </summary>
    public const string SharedDefinitions = """
        feature: chart
        description: Chart interactions.
        definitions:
          timeframe: { type: enum, values: [1m, 5m, 1h, 1d], description: Candle timeframe. }
          symbol: { type: string, max_length: 32, pattern: "^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$", description: Token pair., example: "BTC/USDT" }
          bars: { type: int32, min: 1, max: 5000, description: Number of candles. }
          asset: { type: string, max_length: 16 }
        events:
          zoom:
            description: The chart was zoomed.
            properties:
              timeframe: { ref: timeframe }
              symbol: { ref: symbol, description: Token pair shown., required: false }
              visible_bars: { ref: bars, min: 10, max: 1000 }
              level: { type: double, min: 0, max: 1, on_violation: clamp }
              note: { type: string, max_length: 8, on_violation: clamp, required: false }
          compare:
            description: Pairs were compared.
            properties:
              timeframe: { ref: timeframe, required: false }
              frames: { type: array, items: { ref: timeframe }, max_items: 3, unique_items: true }
              assets: { type: array, items: { ref: asset, max_length: 12 }, min_items: 1, max_items: 4 }
              weights: { type: array, items: { type: double, min: 0, max: 1 }, required: false }
        """;

    public static IReadOnlyDictionary<string, CatalogInput> SnapshotCases { get; } = new SortedDictionary<string, CatalogInput>(StringComparer.Ordinal)
    {
        ["PlainEvent"] = CatalogInput.File("settings.yaml", PlainEvent),
        ["EnumEvent"] = CatalogInput.File("layout.yaml", EnumEvent),
        ["ArrayEvent"] = CatalogInput.File("filter.yaml", ArrayEvent),
        ["PiiEvent"] = CatalogInput.File("support.yaml", PiiEvent),
        ["AggregatedEvent"] = CatalogInput.File("canvas.yaml", AggregatedEvent),
        ["Metrics"] = CatalogInput.File("engine.yaml", Metrics),
        ["Lifecycle"] = CatalogInput.File("alerts.yaml", Lifecycle),
        ["SharedDefinitions"] = CatalogInput.File("chart.yaml", SharedDefinitions),
    };
}
