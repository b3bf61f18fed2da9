using System;
using System.Collections.Generic;
using Telemetry.Catalog.Model;
using static Telemetry.Catalog.Parsing.NamePatterns;
using static Telemetry.Catalog.Parsing.NumberText;

namespace Telemetry.Catalog.Parsing;

/// <summary>Reads and checks an event's <c>aggregate:</c> block (window, into, group_by, stats, heatmap).</summary>
internal sealed class AggregateReader
{
    private readonly FileDiagnostics _file;

    public AggregateReader(FileDiagnostics file) => _file = file;

    /// <summary>The aggregate of <paramref name="sourceName"/>, or null (reported) when it cannot hold.</summary>
    public AggregateSpec? Read(string sourceName, string? feature, YamlNode node, List<PropertySpec> properties)
    {
        var reader = new MappingReader(node, $"aggregate of '{sourceName}'", _file.List);
        var into = reader.String("into", required: true);
        var window = reader.Integer("window_ms") ?? 5000;
        var fullStream = reader.Number("full_stream_percent") ?? 0;
        var byName = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        foreach (var p in properties) byName[p.Name] = p;
        var ok = true;
        if (window < 1000 || window > 60000)
        {
            Report(DiagnosticIds.InvalidType, reader.Node("window_ms")!.Span,
                $"aggregate of '{sourceName}': window_ms {window} cannot hold: it must be 1000..60000");
            ok = false;
        }

        if (fullStream < 0 || fullStream > 100)
        {
            Report(DiagnosticIds.InvalidType, reader.Node("full_stream_percent")!.Span,
                $"aggregate of '{sourceName}': full_stream_percent {Format(fullStream)} cannot hold: it must be 0..100");
            ok = false;
        }

        string? intoName = null;
        if (into is not null)
        {
            intoName = into.IndexOf('.') >= 0 ? into : feature is null ? null : feature + "." + into;
            if (intoName is null || !EventNamePattern.IsMatch(intoName))
            {
                Report(DiagnosticIds.InvalidName, reader.Node("into")!.Span,
                    $"aggregate of '{sourceName}': event name '{intoName ?? into}' breaks the naming rule");
                ok = false;
            }
            else if (intoName == sourceName)
            {
                Report(DiagnosticIds.InvalidName, reader.Node("into")!.Span,
                    $"aggregate of '{sourceName}' cannot aggregate into itself");
                ok = false;
            }
        }
        else
        {
            ok = false;
        }

        var groupBy = new List<string>();
        foreach (var item in reader.List("group_by") ?? new List<YamlNode>())
        {
            if (item.Kind != YamlNodeKind.Scalar || item.IsNull || !byName.TryGetValue(item.Value!, out var prop))
            {
                Report(DiagnosticIds.InvalidType, item.Span,
                    $"aggregate of '{sourceName}': group_by names {item.Describe()}, which is not a property of the event");
                ok = false;
                continue;
            }

            if (prop.Type is PropertyType.Array || prop.Pii is not null)
            {
                Report(DiagnosticIds.InvalidType, item.Span,
                    $"aggregate of '{sourceName}': cannot group by '{prop.Name}' ({(prop.Pii is not null ? "personal data" : "an array")})");
                ok = false;
                continue;
            }

            groupBy.Add(prop.Name);
        }

        var stats = new List<AggregateStatSpec>();
        var statsNode = reader.Mapping("stats");
        if (statsNode is not null)
        {
            foreach (var entry in new MappingReader(statsNode, $"stats of '{sourceName}'", _file.List).Entries)
            {
                var propName = entry.Key.Value!;
                if (!byName.TryGetValue(propName, out var prop))
                {
                    Report(DiagnosticIds.InvalidType, entry.Key.Span,
                        $"stats of '{sourceName}' names '{propName}', which is not a property of the event");
                    ok = false;
                    continue;
                }

                if (entry.Value.Kind != YamlNodeKind.Sequence)
                {
                    Report(DiagnosticIds.InvalidStructure, entry.Value.Span,
                        $"stats of '{sourceName}': '{propName}' must list statistics (count, min, max, avg, sum, first, last)");
                    ok = false;
                    continue;
                }

                var kinds = new List<AggregateStatKind>();
                foreach (var k in entry.Value.Items)
                {
                    if (k.Kind != YamlNodeKind.Scalar || k.IsNull || !Vocabulary.Stats.TryGetValue(k.Value!, out var kind))
                    {
                        Report(DiagnosticIds.InvalidStructure, k.Span,
                            $"stats of '{sourceName}': {k.Describe()} is not a statistic (count, min, max, avg, sum, first, last)");
                        ok = false;
                        continue;
                    }

                    if (!StatApplies(kind, prop))
                    {
                        Report(DiagnosticIds.InvalidType, k.Span,
                            $"stats of '{sourceName}': '{k.Value}' cannot apply to '{propName}' ({Vocabulary.Name(prop.Type)})");
                        ok = false;
                        continue;
                    }

                    if (!kinds.Contains(kind)) kinds.Add(kind);
                }

                stats.Add(new AggregateStatSpec(propName, kinds.ToEquatableArray()));
            }
        }

        HeatmapSpec? heatmap = null;
        var heatNode = reader.Mapping("heatmap");
        if (heatNode is not null)
        {
            var h = new MappingReader(heatNode, $"heatmap of '{sourceName}'", _file.List);
            var x = h.String("x", required: true);
            var y = h.String("y", required: true);
            var columns = h.Integer("columns") ?? 16;
            var rows = h.Integer("rows") ?? 9;
            var width = h.Integer("width") ?? 1920;
            var height = h.Integer("height") ?? 1080;
            h.ReportUnknownKeys();
            foreach (var (axis, prop) in new[] { ("x", x), ("y", y) })
            {
                if (prop is not null && (!byName.TryGetValue(prop, out var p) || p.Type != PropertyType.Int32))
                {
                    Report(DiagnosticIds.InvalidType, h.Node(axis)!.Span,
                        $"heatmap of '{sourceName}': {axis} must name an int32 property of the event, not '{prop}'");
                    ok = false;
                }
            }

            if (columns < 1 || columns > 64 || rows < 1 || rows > 64 || width < 1 || height < 1)
            {
                Report(DiagnosticIds.InvalidType, heatNode.Span,
                    $"heatmap of '{sourceName}': columns and rows must be 1..64 and width/height positive");
                ok = false;
            }

            if (x is null || y is null) ok = false;
            if (ok) heatmap = new HeatmapSpec(x!, y!, columns, rows, width, height);
        }

        reader.ReportUnknownKeys();
        return ok ? new AggregateSpec(intoName!, window, groupBy.ToEquatableArray(), stats.ToEquatableArray(), heatmap, fullStream, node.Span) : null;
    }

    private static bool StatApplies(AggregateStatKind kind, PropertySpec prop)
    {
        if (prop.Type == PropertyType.Array || prop.Pii is not null) return kind == AggregateStatKind.Count;
        var numeric = prop.Type is PropertyType.Int32 or PropertyType.Int64 or PropertyType.Double or PropertyType.Decimal or PropertyType.Duration;
        return kind switch
        {
            AggregateStatKind.Count or AggregateStatKind.First or AggregateStatKind.Last => true,
            AggregateStatKind.Min or AggregateStatKind.Max => numeric || prop.Type == PropertyType.Timestamp,
            _ => numeric && prop.Type != PropertyType.Duration,
        };
    }

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);
}
