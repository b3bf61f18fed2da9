using Telemetry.Catalog.Model;

namespace Telemetry.Generators;

/// <summary>
/// Writes a window aggregator as a typed shell over the runtime's <c>WindowAggregator</c>: the typed <c>Record</c> that
/// folds one interaction into its group's state, the state's fields, and how a group becomes the aggregate event.
/// </summary>
internal static class AggregatorEmitter
{
    public static void Emit(SourceWriter w, AggregatorModel a)
    {
        w.Line($"/// <summary>{a.Summary} Recording allocates nothing after a group's first sample.</summary>");
        w.Line(FileEmitter.GeneratedCode);
        FileEmitter.Lifecycle(w, a.Lifecycle);
        w.Open($"public sealed partial class {a.TypeName} : __Rt.WindowAggregator<{a.KeyType}, {a.TypeName}.State, {a.TargetType}>");
        if (a.Heatmap is { } hm)
        {
            w.Line("/// <summary>Heatmap columns.</summary>");
            w.Line($"public const int HeatmapColumns = {hm.Columns};");
            w.Line("/// <summary>Heatmap rows.</summary>");
            w.Line($"public const int HeatmapRows = {hm.Rows};");
            w.Line("/// <summary>Screen width in px the heatmap spans.</summary>");
            w.Line($"public const int HeatmapWidth = {hm.Width};");
            w.Line("/// <summary>Screen height in px the heatmap spans.</summary>");
            w.Line($"public const int HeatmapHeight = {hm.Height};");
            w.Line();
        }

        w.Line("/// <summary>Creates the aggregator with the catalog's window.</summary>");
        w.Line($"public {a.TypeName}() : base({a.WindowMs}) {{ }}");
        w.Line();
        w.Line($"/// <summary>Records one <c>{SourceWriter.Escape(a.SourceName)}</c> interaction into the current window.</summary>");
        w.Open($"public void Record({string.Join(", ", a.RecordParameters)})");
        w.Open("lock (Gate)");
        w.Line($"var state__ = Enter({a.KeyExpression});");
        w.Line("var first__ = state__.Count == 1;");
        foreach (var s in a.Stats) w.Line(Fold(s));
        if (a.Heatmap is { } heat)
        {
            // An interaction without a position (optional x or y absent) is counted but not placed on the heatmap.
            var optional = new System.Collections.Generic.List<string>();
            if (!heat.XRequired) optional.Add(heat.X + " is not null");
            if (!heat.YRequired && heat.Y != heat.X) optional.Add(heat.Y + " is not null");
            var x = heat.XRequired ? heat.X : heat.X + ".Value";
            var y = heat.YRequired ? heat.Y : heat.Y + ".Value";
            var cell = $"state__.Heatmap[__Rt.AggregateHeatmap.Cell((long){x}, (long){y}, HeatmapColumns, HeatmapRows, HeatmapWidth, HeatmapHeight)]++;";
            w.Line(optional.Count > 0 ? $"if ({string.Join(" && ", optional)}) {cell}" : cell);
        }

        w.Close();
        w.Close();
        w.Line();
        w.Line($"protected override {a.TargetType} Create({a.KeyType} key, State s, int windowMs) => new({string.Join(", ", a.CreateArguments)});");
        w.Line();
        w.Open("public sealed class State : __Rt.AggregateState");
        foreach (var s in a.Stats)
        {
            w.Line($"public {s.FieldType} {s.Field}{(s.FieldType == "string" ? " = string.Empty" : string.Empty)};");
            if (s.PresentField is not null) w.Line($"public long {s.PresentField};");
        }

        if (a.Heatmap is not null) w.Line("public readonly int[] Heatmap = new int[HeatmapColumns * HeatmapRows];");
        w.Line();
        w.Open("public override void Reset()");
        w.Line("base.Reset();");
        foreach (var s in a.Stats)
        {
            if (s.Kind == AggregateStatKind.Sum) w.Line($"{s.Field} = 0;");
            if (s.PresentField is not null) w.Line($"{s.PresentField} = 0;");
            if (!s.Required && s.Kind is AggregateStatKind.Min or AggregateStatKind.Max) w.Line($"{s.Field} = null;");
        }

        if (a.Heatmap is not null) w.Line("global::System.Array.Clear(Heatmap, 0, Heatmap.Length);");
        w.Close();
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>
    /// One statistic's fold. An optional value that is absent counts toward count, first and last only: min, max, sum and
    /// avg cover the values present (their state fields are nullable and start each window at null).
    /// </summary>
    private static string Fold(StatModel s)
    {
        var v = s.Value;
        var f = "state__." + s.Field;
        return s.Kind switch
        {
            AggregateStatKind.Min when !s.Required => $"if ({v} is not null && ({f} is null || {v} < {f})) {f} = {v};",
            AggregateStatKind.Max when !s.Required => $"if ({v} is not null && ({f} is null || {v} > {f})) {f} = {v};",
            AggregateStatKind.Min => $"if (first__ || {v} < {f}) {f} = {v};",
            AggregateStatKind.Max => $"if (first__ || {v} > {f}) {f} = {v};",
            AggregateStatKind.Sum when s.Required => $"{f} += (double){v};",
            AggregateStatKind.Sum => $"if ({v} is not null) {{ {f} += (double){v}.Value; state__.{s.PresentField}++; }}",
            AggregateStatKind.First => $"if (first__) {f} = {v};",
            _ => $"{f} = {v};",
        };
    }
}
