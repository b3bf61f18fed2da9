using System.Linq;

namespace Telemetry.Generators;

/// <summary>Writes a feature's typed System.Diagnostics.Metrics instruments and their Record/Add methods.</summary>
internal static class MetricsEmitter
{
    public static void Emit(SourceWriter w, MetricsClassModel model)
    {
        w.Line($"/// <summary>{model.Summary}</summary>");

        // Other catalog files of the same feature add instruments to this partial class and its meter; only one part declares them.
        if (model.OwnsClass) w.Line(FileEmitter.GeneratedCode);
        w.Open($"public static partial class {model.ClassName}");
        if (model.OwnsClass)
        {
            w.Line("/// <summary>Name of the meter; subscribe to it with OpenTelemetry's <c>AddMeter</c>.</summary>");
            w.Line($"public const string MeterName = {SourceWriter.Literal(model.MeterName)};");
            w.Line();
            w.Line("/// <summary>The meter all instruments of this feature's catalog files belong to.</summary>");
            w.Line("public static global::System.Diagnostics.Metrics.Meter Meter => MeterInstance.Value;");
            w.Line();

            // A nested holder, because static initializers of different partial parts run in no defined order, and
            // instrument fields in another file's part must never see the meter still null.
            w.Open("private static class MeterInstance");
            w.Line($"internal static readonly global::System.Diagnostics.Metrics.Meter Value = new global::System.Diagnostics.Metrics.Meter(MeterName, {SourceWriter.Literal(model.MeterVersion)});");
            w.Close();
            w.Line();
        }

        foreach (var m in model.Metrics)
        {
            w.Line($"private static readonly global::System.Diagnostics.Metrics.{m.Instrument} {m.Field} = Meter.{m.Create}({SourceWriter.Literal(m.Name)}, {SourceWriter.Literal(m.Unit)}, {SourceWriter.Literal(m.Description)});");
        }

        foreach (var m in model.Metrics)
        {
            var tagParams = m.Tags.Select(t => $"{t.Type} {SourceWriter.Identifier(t.Parameter)}").ToList();
            var all = m.ValueFirst
                ? new[] { $"{m.ValueType} {m.ValueName}" }.Concat(tagParams)
                : tagParams.Concat(new[] { $"{m.ValueType} {m.ValueName} = 1" });
            w.Line();
            w.Doc("summary", m.Summary);
            w.Line($"/// <param name=\"{m.ValueName}\">{m.ValueDoc}</param>");
            foreach (var t in m.Tags) w.Doc("param", t.Doc, $" name=\"{t.Parameter}\"");
            w.Open($"public static void {m.Method}({string.Join(", ", all)})");
            w.Line($"if (!{m.Field}.Enabled) return;");
            // The local ends in "__", which no catalog name turns into, so a tag named "tags" cannot clash with it.
            w.Line("var tags__ = new global::System.Diagnostics.TagList();");
            foreach (var t in m.Tags)
            {
                var v = SourceWriter.Identifier(t.Parameter);
                w.Line($"tags__.Add({SourceWriter.Literal(t.Name)}, {(t.IsEnum ? v + ".ToCatalogString()" : v)});");
            }

            w.Line($"{m.Field}.{m.Verb}({m.ValueName}, in tags__);");
            w.Close();
        }

        w.Close();
        w.Line();
    }
}
