using System;
using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Derivation;

/// <summary>
/// Derives the aggregate event an <c>aggregate:</c> block declares (<c>into:</c>): its group-by properties, window
/// length, count, one property per statistic and the heatmap, from the source event and its validated aggregate.
/// </summary>
internal static class AggregateDerivation
{
    /// <summary>The event <paramref name="aggregate"/> sends for <paramref name="source"/>.</summary>
    public static EventSpec Derive(EventSpec source, AggregateSpec aggregate)
    {
        var props = new List<PropertySpec>();
        var byName = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        foreach (var p in source.Properties) byName[p.Name] = p;
        var at = aggregate.Location;
        foreach (var g in aggregate.GroupBy)
        {
            props.Add(byName[g]);
        }

        props.Add(Derived("window_ms", PropertyType.Int32, "Length of the aggregation window in milliseconds.", at, min: 1000, max: 60000));
        props.Add(Derived("count", PropertyType.Int64, $"Number of '{source.Name}' interactions in the window.", at, min: 0));
        var seen = new HashSet<string>(StringComparer.Ordinal) { "window_ms", "count" };
        foreach (var g in aggregate.GroupBy) seen.Add(g);
        foreach (var stat in aggregate.Stats)
        {
            var src = byName[stat.Property];
            foreach (var kind in stat.Kinds)
            {
                var name = stat.DerivedName(kind);
                if (!seen.Add(name)) continue;
                var type = kind is AggregateStatKind.Avg or AggregateStatKind.Sum ? PropertyType.Double : src.Type;
                var what = kind switch
                {
                    AggregateStatKind.Min => "Smallest",
                    AggregateStatKind.Max => "Largest",
                    AggregateStatKind.Avg => "Mean",
                    AggregateStatKind.Sum => "Sum of",
                    AggregateStatKind.First => "First",
                    _ => "Last",
                };
                props.Add(src with
                {
                    Name = name,
                    Type = type,
                    Required = src.Required,
                    Description = $"{what} '{src.Name}' in the window." + (src.Description is null ? string.Empty : " " + src.Description),
                    Min = null,
                    Max = null,
                    Location = at,
                });
            }
        }

        if (aggregate.Heatmap is { } heat)
        {
            props.Add(new PropertySpec("heatmap", PropertyType.Array, PropertyType.Int32, false, EquatableArray<string>.Empty, 0, null,
                null, null,
                $"Interaction counts per screen cell, row-major, {heat.Columns} columns x {heat.Rows} rows over {heat.Width}x{heat.Height} px.",
                EquatableArray<string>.Empty, null, PiiTreatment.None, null, at) { MaxItems = heat.Columns * heat.Rows });
        }

        return new EventSpec(aggregate.Into,
            $"Aggregate of '{source.Name}' over {aggregate.WindowMs} ms windows" + (aggregate.GroupBy.IsEmpty ? "." : $", one per {string.Join(", ", aggregate.GroupBy)}."),
            source.Trigger, source.Tier, source.Status, 1.0, source.Idempotent, source.Sensitivity, source.Version, Frequency.Normal, false,
            source.Owner, props.ToEquatableArray(), null, source.Name, at);
    }

    private static PropertySpec Derived(string name, PropertyType type, string description, SourceSpan at, double? min = null, double? max = null) =>
        new(name, type, null, true, EquatableArray<string>.Empty, min, max, null, null, description, EquatableArray<string>.Empty, null,
            PiiTreatment.None, null, at);
}
