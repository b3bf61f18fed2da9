using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Telemetry.Catalog.Model;

namespace Telemetry.Generators;

/// <summary>
/// Writes the feature's Track extension methods: consent and sampling first, then the catalog constraints as plain
/// comparisons (thrown or reported by the constraint policy, or clamped), then the typed Track call.
/// </summary>
internal static class TrackEmitter
{
    private const string Rt = SpecBuilder.Rt;

    public static void Emit(SourceWriter w, TrackClassModel track, EquatableArray<EventModel> events)
    {
        w.Line($"/// <summary>{track.Summary}</summary>");

        // Other catalog files of the same feature add methods to this partial class; only one part carries the attribute.
        if (track.OwnsClass) w.Line(FileEmitter.GeneratedCode);
        w.Open($"public static partial class {track.ClassName}");
        var first = true;
        foreach (var e in events.Where(e => e.Trackable))
        {
            if (!first) w.Line();
            first = false;
            w.Doc("summary", $"Tracks '{e.Name}': {e.Summary}");
            if (e.Trigger is not null) w.Doc("remarks", "Trigger: " + e.Trigger);
            var ordered = e.Properties.OrderBy(p => p.Order).ToList();
            foreach (var p in ordered) w.Doc("param", p.ParameterDoc, $" name=\"{p.Parameter.TrimStart('@')}\"");
            FileEmitter.Lifecycle(w, e.Lifecycle);
            var ps = new[] { $"this {Rt}ITelemetryClient telemetry" }.Concat(EventEmitter.Parameters(e).Where(p => !p.StartsWith(Rt + "IPersonalDataProtector", System.StringComparison.Ordinal)));
            w.Open($"public static void {e.TrackMethod}({string.Join(", ", ps)})");
            if (e.RecordInto is not null)
            {
                w.Line("global::System.ArgumentNullException.ThrowIfNull(telemetry);");
                w.Line($"telemetry.Aggregator<{e.RecordInto}>().Record({string.Join(", ", e.Properties.Select(p => p.Parameter))});");
            }

            w.Line($"if (!{Rt}TrackGate.IsEnabled(telemetry, {e.TypeName}.Descriptor)) return;");
            foreach (var p in ordered) if (p.Constraints is { } c) Constraints(w, e, p, c, track.Policy);
            var args = (e.NeedsPrivacy ? new[] { "telemetry.Privacy" } : new string[0]).Concat(ordered.Select(p => p.Parameter));
            w.Line($"{Rt}TrackGate.Track(telemetry, new {e.TypeName}({string.Join(", ", args)}));");
            w.Close();
        }

        foreach (var e in events.Where(e => e.Trackable && !e.Patterns.IsEmpty))
        {
            w.Line();
            w.Line($"/// <summary>The catalog patterns of '{SourceWriter.Escape(e.Name)}', compiled once on first use.</summary>");
            w.Open($"private static class {e.PatternHolder}");
            foreach (var p in e.Patterns)
            {
                // Simple anchored patterns become plain character checks; the others a Regex compiled on first use.
                if (p.Body is { } body)
                {
                    w.Line($"/// <summary>True when <paramref name=\"value\"/> matches <c>{SourceWriter.Escape(p.Pattern)}</c> (or is null).</summary>");
                    w.Open($"internal static bool {p.Method}(string? value)");
                    foreach (var line in body.Split('\n')) if (line.Length > 0) w.Line(line);
                    w.Close();
                    continue;
                }

                w.Line($"private static readonly global::System.Text.RegularExpressions.Regex {p.Method}Regex = __C.Pattern({SourceWriter.Literal(p.Pattern)});");
                w.Line($"internal static bool {p.Method}(string? value) => __C.Matches({p.Method}Regex, value);");
            }

            w.Close();
        }

        w.Close();
        w.Line();
    }

    private static void Constraints(SourceWriter w, EventModel e, PropertyModel p, ConstraintModel c, ConstraintPolicy policy)
    {
        var param = p.Parameter;
        string Violate(string rule, string actual) => policy == ConstraintPolicy.Throw
            ? $"throw __C.Violation({SourceWriter.Literal(e.Name)}, {SourceWriter.Literal(p.Name)}, {SourceWriter.Literal(rule)}, nameof({param}), {actual});"
            : $"{{ __C.Dropped(telemetry, {e.TypeName}.Descriptor, {SourceWriter.Literal(p.Name)}, {SourceWriter.Literal(rule)}); return; }}";
        string Clamped(string rule) => $"__C.Clamped(telemetry, {e.TypeName}.Descriptor, {SourceWriter.Literal(p.Name)}, {SourceWriter.Literal(rule)});";

        if (c.Type == PropertyType.Array)
        {
            var list = "list" + Naming.Pascal(p.Name);
            w.Open($"if ({param} is {{ }} {list})");
            if (c.MinItems is { } minItems) w.Line($"if ({list}.Count < {minItems}) {Violate($"min_items {minItems}", list + ".Count")}");
            if (c.MaxItems is { } maxItems) w.Line($"if ({list}.Count > {maxItems}) {Violate($"max_items {maxItems}", list + ".Count")}");
            if (c.UniqueItems) w.Line($"if (__C.HasDuplicates({list})) {Violate("unique_items", "null")}");
            if (c.Min is not null || c.Max is not null || c.MaxLength is not null || c.Pattern is not null)
            {
                w.Open($"for (var i = 0; i < {list}.Count; i++)");
                w.Line($"var item = {list}[i];");
                ScalarRejects(w, c, c.ItemType, "item", "items ", Violate);
                w.Close();
            }

            w.Close();
            return;
        }

        if (c.Clamp)
        {
            Clamp(w, p, c, param, Violate, Clamped);
            return;
        }

        if (c.Type == PropertyType.String && c.MaxLength is { } maxLength && policy == ConstraintPolicy.Report)
        {
            // The common case in one call: the runtime checks, reports the drop and names the rule.
            w.Line($"if (__C.DropTooLong(telemetry, {e.TypeName}.Descriptor, {SourceWriter.Literal(p.Name)}, {param}, {maxLength})) return;");
            c = c with { MaxLength = null };
        }

        if (c.Type == PropertyType.String || p.Required)
        {
            ScalarRejects(w, c, c.Type, param, string.Empty, Violate);
            return;
        }

        var local = "value" + Naming.Pascal(p.Name);
        w.Open($"if ({param} is {{ }} {local})");
        ScalarRejects(w, c, c.Type, local, string.Empty, Violate);
        w.Close();
    }

    private static void ScalarRejects(SourceWriter w, ConstraintModel c, PropertyType type, string value, string rulePrefix, System.Func<string, string, string> violate)
    {
        if (type == PropertyType.String)
        {
            if (c.MaxLength is { } maxLength) w.Line($"if (__C.TooLong({value}, {maxLength})) {violate($"{rulePrefix}max_length {maxLength}", value)}");
            if (c.PatternCheck is not null) w.Line($"if (!{c.PatternCheck}({value})) {violate($"{rulePrefix}pattern {c.Pattern}", value)}");
            return;
        }

        var number = type == PropertyType.Duration ? value + ".TotalMilliseconds" : value;
        var literalType = type == PropertyType.Duration ? PropertyType.Double : type;
        if (c.Min is { } min) w.Line($"if (!({AtLeast(number, literalType, min)})) {violate($"{rulePrefix}min {SpecBuilder.Fmt(min)}", value)}");
        if (c.Max is { } max) w.Line($"if (!({AtMost(number, literalType, max)})) {violate($"{rulePrefix}max {SpecBuilder.Fmt(max)}", value)}");
    }

    // A decimal bound of zero (prices, quantities) is checked by the sign: no call into the decimal comparison on the
    // Track path (-0m has sign 0, so it passes as 0m does).
    private static string AtLeast(string number, PropertyType type, double min) =>
        type == PropertyType.Decimal && min == 0 ? $"decimal.Sign({number}) >= 0" : $"{number} >= {NumberLiteral(type, min)}";

    private static string AtMost(string number, PropertyType type, double max) =>
        type == PropertyType.Decimal && max == 0 ? $"decimal.Sign({number}) <= 0" : $"{number} <= {NumberLiteral(type, max)}";

    private static void Clamp(SourceWriter w, PropertyModel p, ConstraintModel c, string param, System.Func<string, string, string> violate, System.Func<string, string> clamped)
    {
        if (c.Type == PropertyType.String)
        {
            if (c.MaxLength is { } maxLength)
            {
                w.Open($"if (__C.TooLong({param}, {maxLength}))");
                w.Line($"{param} = __C.Truncate({param}!, {maxLength});");
                w.Line(clamped($"max_length {maxLength}"));
                w.Close();
            }

            if (c.PatternCheck is not null) w.Line($"if (!{c.PatternCheck}({param})) {violate($"pattern {c.Pattern}", param)}");
            return;
        }

        var local = "value" + Naming.Pascal(p.Name);
        if (p.Required) w.Line($"var {local} = {param};");
        else w.Open($"if ({param} is {{ }} {local})");
        var number = c.Type == PropertyType.Duration ? local + ".TotalMilliseconds" : local;
        var literalType = c.Type == PropertyType.Duration ? PropertyType.Double : c.Type;
        string Assign(double bound) => c.Type == PropertyType.Duration
            ? $"global::System.TimeSpan.FromMilliseconds({NumberLiteral(PropertyType.Double, bound)})"
            : NumberLiteral(c.Type, bound);
        if (c.Type is PropertyType.Double or PropertyType.Duration && (c.Min is not null || c.Max is not null))
        {
            w.Line($"if (double.IsNaN({number})) {violate("a number (NaN cannot be clamped)", local)}");
        }

        var first = true;
        if (c.Min is { } min)
        {
            w.Line($"if ({number} < {NumberLiteral(literalType, min)}) {{ {param} = {Assign(min)}; {clamped($"min {SpecBuilder.Fmt(min)}")} }}");
            first = false;
        }

        if (c.Max is { } max)
        {
            w.Line($"{(first ? string.Empty : "else ")}if ({number} > {NumberLiteral(literalType, max)}) {{ {param} = {Assign(max)}; {clamped($"max {SpecBuilder.Fmt(max)}")} }}");
        }

        if (!p.Required) w.Close();
    }

    private static string NumberLiteral(PropertyType type, double value) => type switch
    {
        PropertyType.Int32 => SourceWriter.Int((long)value),
        PropertyType.Int64 => SourceWriter.Int((long)value) + "L",
        PropertyType.Decimal => value.ToString("R", CultureInfo.InvariantCulture) + "m",
        _ => SourceWriter.Double(value),
    };
}
