namespace Telemetry.Catalog.Model;

/// <summary>Window aggregation of a high-frequency event into a derived aggregate event.</summary>
/// <param name="Into">Full name of the aggregate event (e.g. <c>chart.crosshair_agg</c>).</param>
/// <param name="WindowMs">Window length in milliseconds (1000..60000).</param>
/// <param name="GroupBy">Source properties that key one aggregate per distinct value set.</param>
/// <param name="Stats">Statistics per source property.</param>
/// <param name="Heatmap">Optional screen heatmap.</param>
/// <param name="FullStreamPercent">Share of users (0..100) who also send the raw stream.</param>
/// <param name="Location">Where the <c>aggregate</c> key stands.</param>
public sealed record AggregateSpec(
    string Into,
    int WindowMs,
    EquatableArray<string> GroupBy,
    EquatableArray<AggregateStatSpec> Stats,
    HeatmapSpec? Heatmap,
    double FullStreamPercent,
    SourceSpan Location);

/// <summary>The statistics computed for one source property.</summary>
public sealed record AggregateStatSpec(string Property, EquatableArray<AggregateStatKind> Kinds)
{
    /// <summary>Name of the derived property for <paramref name="kind"/>.</summary>
    public string DerivedName(AggregateStatKind kind) => AggregateNaming.DerivedName(Property, kind);
}

/// <summary>Screen heatmap: counts per cell of a columns x rows grid over the x/y source properties.</summary>
public sealed record HeatmapSpec(string X, string Y, int Columns, int Rows, int Width, int Height);

/// <summary>Names of derived aggregate properties (<c>last_price</c>, <c>price_min</c>: see docs/catalog-format.md).</summary>
public static class AggregateNaming
{
    /// <summary>The derived property name of a statistic.</summary>
    public static string DerivedName(string property, AggregateStatKind kind) => kind switch
    {
        AggregateStatKind.Count => "count",
        AggregateStatKind.First => "first_" + property,
        AggregateStatKind.Last => "last_" + property,
        AggregateStatKind.Min => property + "_min",
        AggregateStatKind.Max => property + "_max",
        AggregateStatKind.Avg => property + "_avg",
        AggregateStatKind.Sum => property + "_sum",
        _ => property + "_" + kind.ToString().ToLowerInvariant(),
    };
}
