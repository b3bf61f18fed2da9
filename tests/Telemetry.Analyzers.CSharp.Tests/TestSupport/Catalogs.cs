namespace Telemetry.Analyzers.CSharp.Tests.TestSupport;

/// <summary>Small valid catalogs (the generator skips files with errors) shared by the analyzer tests.</summary>
internal static class Catalogs
{
    /// <summary>
    /// watchlist.add (sampling 0.1, enum, optional decimal), watchlist.remove (sampling 1), watchlist.note_add
    /// (note: free_text with treatment length, symbol unclassified, email hashed, phone dropped) and a planned event.
    /// </summary>
    public const string Watchlist = """
        feature: watchlist
        description: Watchlist management.
        events:
          add:
            description: A pair was added to the watchlist.
            sampling: 0.1
            properties:
              symbol: { type: string, max_length: 32 }
              source: { type: enum, values: [search, chart, trending] }
              price: { type: decimal, required: false }
          remove:
            description: A pair was removed from the watchlist.
            properties:
              symbol: { type: string }
              screen_x: { type: int32, required: false }
          note_add:
            description: The user attached a note to a pair.
            properties:
              symbol: { type: string }
              note: { type: string, pii: free_text, treatment: length }
              contact_email: { type: string, pii: email, treatment: hash, required: false }
              phone_number: { type: string, pii: phone, treatment: drop, required: false }
          suggest:
            description: Planned - pairs suggested from the watchlist.
            status: planned
            properties:
              symbol: { type: string }
        """;

    /// <summary>
    /// chart.crosshair_move (high frequency, aggregated into chart.crosshair_agg, local only), chart.zoom
    /// (sampling 1, not aggregated) and chart.hover_sample (high frequency, sampled at 0.01).
    /// </summary>
    public const string Chart = """
        feature: chart
        description: Chart interactions.
        events:
          crosshair_move:
            description: The crosshair moved.
            frequency: high
            local_only: true
            properties:
              price: { type: double }
              symbol: { type: string }
            aggregate:
              into: crosshair_agg
              window_ms: 5000
              group_by: [symbol]
              stats:
                price: [count, min, max]
          zoom:
            description: The chart zoomed.
            properties:
              level: { type: int32 }
          hover_sample:
            description: A sampled hover position.
            frequency: high
            sampling: 0.01
            properties:
              x: { type: int32 }
        """;

    /// <summary>A project with both catalogs.</summary>
    public static TelemetryProject Both() => new TelemetryProject().Catalog("watchlist.yaml", Watchlist).Catalog("chart.yaml", Chart);
}
