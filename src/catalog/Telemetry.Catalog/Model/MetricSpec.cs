namespace Telemetry.Catalog.Model;

/// <summary>A 100 %-tracked metric, generated as a typed System.Diagnostics.Metrics instrument.</summary>
/// <param name="Name">Dotted name (e.g. <c>heuristic.execution</c>), also the instrument name.</param>
/// <param name="Kind">Instrument kind.</param>
/// <param name="Unit">UCUM-style unit (<c>ms</c>, <c>{run}</c>).</param>
/// <param name="Description">What it measures.</param>
/// <param name="Tags">Typed tags (string, boolean, int32, int64, enum).</param>
/// <param name="Location">Where the metric key stands.</param>
public sealed record MetricSpec(
    string Name,
    MetricKind Kind,
    string? Unit,
    string? Description,
    EquatableArray<PropertySpec> Tags,
    SourceSpan Location);
