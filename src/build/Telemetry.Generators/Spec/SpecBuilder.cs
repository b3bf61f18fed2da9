using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Schema;

namespace Telemetry.Generators;

/// <summary>
/// Turns one parsed catalog file into its <see cref="FileSpec"/>: every name (from <see cref="GeneratedNames"/>), C# type,
/// doc text and descriptor argument is decided here, so the emitters only write.
/// </summary>
internal static class SpecBuilder
{
    internal const string Rt = "__Rt.";

    public static FileSpec Build(CatalogFile file, CatalogIndex index, GeneratorOptions options)
    {
        var prefix = file.FilePath + "|";
        var hint = index.HintNames.FirstOrDefault(h => h.StartsWith(prefix, StringComparison.Ordinal))?.Substring(prefix.Length) ?? "Catalog.g.cs";
        var skipped = new HashSet<string>(index.DuplicateOwners.Where(d => d.StartsWith(prefix, StringComparison.Ordinal)).Select(d => d.Substring(prefix.Length)));
        var ownsTelemetry = index.ClassOwners.Contains("Telemetry|" + file.FilePath);
        var ownsMetrics = index.ClassOwners.Contains("Metrics|" + file.FilePath);
        var fileName = Path.GetFileName(file.FilePath);
        var featurePrefix = GeneratedNames.FeaturePrefix(file.Feature, file.FilePath);

        var events = file.Events.Where(e => !skipped.Contains(e.Name)).ToList();
        var byName = events.ToDictionary(e => e.Name);

        var enums = new List<EnumModel>();
        foreach (var d in file.Definitions)
        {
            if (d.Type != PropertyType.Enum && d.ItemType != PropertyType.Enum) continue;
            enums.Add(Enum(GeneratedNames.DefinitionEnum(d.Name), d.EnumValues, d.Description ?? $"Values of the shared definition '{d.Name}'.", null));
        }

        foreach (var e in events)
        {
            foreach (var p in e.Properties)
            {
                if ((p.Type != PropertyType.Enum && p.ItemType != PropertyType.Enum) || p.Ref is not null) continue;
                enums.Add(Enum(GeneratedNames.PropertyEnum(e.Name, p), p.EnumValues, p.Description ?? $"Values of '{p.Name}'.", Lifecycle(e)));
            }
        }

        foreach (var m in file.Metrics)
        {
            foreach (var t in m.Tags)
            {
                if ((t.Type != PropertyType.Enum && t.ItemType != PropertyType.Enum) || t.Ref is not null) continue;
                enums.Add(Enum(GeneratedNames.PropertyEnum(m.Name, t), t.EnumValues, t.Description ?? $"Values of '{t.Name}'.", null));
            }
        }

        var eventModels = events.Select(e => Event(e, byName, options.ConstraintPolicy)).ToEquatableArray();
        var aggregators = new List<AggregatorModel>();
        foreach (var e in events)
        {
            if (e.Aggregate is { } agg && byName.TryGetValue(agg.Into, out var target)) aggregators.Add(Aggregator(e, agg, target));
        }

        TrackClassModel? track = null;
        if (events.Any(e => !e.IsAggregate))
        {
            track = new TrackClassModel(
                GeneratedNames.TelemetryClass(featurePrefix),
                $"Typed <c>Track</c> methods for the events of {SourceWriter.Escape(fileName)}{(file.Description is null ? string.Empty : ": " + SourceWriter.Escape(file.Description))}.",
                ownsTelemetry,
                options.ConstraintPolicy);
        }

        MetricsClassModel? metrics = null;
        if (!file.Metrics.IsEmpty)
        {
            var meter = GeneratedNames.MeterName(featurePrefix);
            metrics = new MetricsClassModel(
                GeneratedNames.MetricsClass(featurePrefix),
                $"Typed System.Diagnostics.Metrics instruments of {SourceWriter.Escape(fileName)}, tracked at 100 % (meter <c>{meter}</c>).",
                meter,
                FileEmitter.ToolVersion,
                ownsMetrics,
                file.Metrics.Select(Metric).ToEquatableArray());
        }

        return new FileSpec(hint, options.Namespace, fileName, enums.ToEquatableArray(), eventModels, aggregators.ToEquatableArray(), track, metrics,
            events.Count == 0 ? null : CompressSchemas(events));
    }

    // ---------------------------------------------------------------- enums

    private static EnumModel Enum(string name, EquatableArray<string> values, string summary, LifecycleModel? lifecycle) =>
        new(name, GeneratedNames.EnumHelpers(name), summary, values.Select(v => new EnumMemberModel(GeneratedNames.EnumMember(v), v)).ToEquatableArray(), lifecycle);

    private static LifecycleModel? Lifecycle(EventSpec e) =>
        e.Status is EventStatus.Planned or EventStatus.Deprecated ? new LifecycleModel(e.Status, e.Name) : null;

    // ---------------------------------------------------------------- events

    private static EventModel Event(EventSpec e, Dictionary<string, EventSpec> byName, ConstraintPolicy policy)
    {
        var type = GeneratedNames.EventType(e.Name);
        // The struct's remarks name only the facts that differ from the defaults (v1, tier B, sampling 1); empty when none do.
        var factList = new List<string>();
        if (e.Version != 1) factList.Add($"v{e.Version}");
        if (e.Tier != EventTier.B) factList.Add($"tier {e.Tier}");
        if (e.Sampling != 1) factList.Add($"sampling {Fmt(e.Sampling)}");
        if (e.Sensitivity != Sensitivity.None) factList.Add($"{e.Sensitivity.ToString().ToLowerInvariant()}-sensitive");
        if (e.Owner is not null) factList.Add($"owner {SourceWriter.Escape(e.Owner)}");
        var facts = factList.Count == 0 ? string.Empty : $"Catalog event <c>{SourceWriter.Escape(e.Name)}</c>: {string.Join(", ", factList)}.";

        // The attributes the analyzers read; arguments equal to the attribute's defaults (v1, tier B, sampling 1) are left out.
        var eventArguments = new List<string> { SourceWriter.Literal(e.Name) };
        if (e.Version != 1) eventArguments.Add($"Version = {e.Version}");
        if (e.Tier != EventTier.B) eventArguments.Add($"Tier = {Rt}EventTier.{e.Tier}");
        if (e.Idempotent) eventArguments.Add("Idempotent = true");
        var attributes = new List<string> { $"{Rt}TelemetryEvent({string.Join(", ", eventArguments)})" };
        if (e.Sampling != 1) attributes.Add($"{Rt}Sampling({SourceWriter.Double(e.Sampling)})");
        if (e.Sensitivity != Sensitivity.None) attributes.Add($"{Rt}Sensitivity({Rt}Sensitivity.{e.Sensitivity})");
        if (e.Frequency == Frequency.High)
        {
            var parts = new List<string>();
            if (e.Aggregate is not null) parts.Add($"AggregatedInto = {SourceWriter.Literal(e.Aggregate.Into)}");
            if (e.LocalOnly) parts.Add("LocalOnly = true");
            attributes.Add($"{Rt}HighFrequency{(parts.Count > 0 ? "(" + string.Join(", ", parts) + ")" : string.Empty)}");
        }

        var window = e.Aggregate?.WindowMs ?? (e.AggregatedFrom is not null && byName.TryGetValue(e.AggregatedFrom, out var source) ? source.Aggregate?.WindowMs ?? 0 : 0);
        if (e.AggregatedFrom is not null) attributes.Add($"{Rt}AggregateOf({SourceWriter.Literal(e.AggregatedFrom)}, {window})");

        var ordered = OrderedParameters(e).ToList();
        var props = e.Properties.Select(p => Property(e, p, ordered.IndexOf(p), p.IsSent ? WireIndexOf(e, p) : -1)).ToList();

        // Descriptor: name, version, tier, sampling and the compact property list; other facts only when not the default.
        var args = new List<string>
        {
            SourceWriter.Literal(e.Name),
            e.Version.ToString(CultureInfo.InvariantCulture),
            $"{Rt}EventTier.{e.Tier}",
            SourceWriter.Double(e.Sampling),
            SourceWriter.Literal(string.Join(";", e.Properties.Where(p => p.IsSent).Select(DescriptorEntry))),
            "CatalogSchemas.Table",
        };
        if (e.Status != EventStatus.Active) args.Add($"status: {Rt}EventStatus.{e.Status}");
        if (e.Idempotent) args.Add("idempotent: true");
        if (e.Sensitivity != Sensitivity.None) args.Add($"sensitivity: {Rt}Sensitivity.{e.Sensitivity}");
        if (e.Frequency != Frequency.Normal) args.Add($"frequency: {Rt}EventFrequency.{e.Frequency}");
        if (e.LocalOnly) args.Add("localOnly: true");
        if ((e.Aggregate?.FullStreamPercent ?? 0) != 0) args.Add($"fullStreamPercent: {SourceWriter.Double(e.Aggregate!.FullStreamPercent)}");
        if (e.AggregatedFrom is not null) args.Add($"aggregatedFrom: {SourceWriter.Literal(e.AggregatedFrom)}");
        if (window != 0) args.Add($"aggregateWindowMs: {window}");

        var patterns = new List<PatternModel>();
        foreach (var p in CheckedProperties(e).Where(p => p.Pattern is not null))
        {
            patterns.Add(new PatternModel(Naming.Pascal(p.Name), p.Pattern!, PatternMatcher.TryCompile(p.Pattern!)));
        }

        string? recordInto = e.Aggregate is { } agg && byName.TryGetValue(agg.Into, out var target) ? GeneratedNames.Aggregator(target.Name) : null;
        return new EventModel(
            e.Name,
            type,
            GeneratedNames.TrackMethod(e.Name),
            e.Description ?? $"Catalog event '{e.Name}'.",
            e.Trigger,
            facts,
            attributes.ToEquatableArray(),
            Lifecycle(e),
            e.Properties.Any(p => p.Pii is not null && p.Treatment == PiiTreatment.Hash),
            props.ToEquatableArray(),
            string.Join(", ", args),
            !e.IsAggregate,
            recordInto,
            GeneratedNames.PatternHolder(e.Name),
            patterns.ToEquatableArray());
    }

    private static int WireIndexOf(EventSpec e, PropertySpec p)
    {
        var i = 0;
        foreach (var q in e.Properties)
        {
            if (!q.IsSent) continue;
            if (ReferenceEquals(q, p)) return i;
            i++;
        }

        return -1;
    }

    private static PropertyModel Property(EventSpec e, PropertySpec p, int order, int wireIndex)
    {
        var param = SourceWriter.Identifier(GeneratedNames.Parameter(p));
        var member = GeneratedNames.Member(p);
        // The field's initializer from the primary constructor's parameter: PII treatments apply here.
        string? initializer = p.Pii is null || p.Treatment == PiiTreatment.None
            ? param
            : p.Treatment switch
            {
                PiiTreatment.Drop => null,
                PiiTreatment.Length => $"{Rt}PersonalData.Length({param})",
                PiiTreatment.Hash => $"{Rt}PersonalData.Hash(privacy, {param}, {Rt}PiiClass.{p.Pii}){(p.Required ? "!" : string.Empty)}",
                _ => $"{Rt}PersonalData.Redact({param}){(p.Required ? "!" : string.Empty)}",
            };

        var length = p.Pii is not null && p.Treatment == PiiTreatment.Length;
        var text = p.Pii is not null && p.Treatment is PiiTreatment.Hash or PiiTreatment.Redact;
        var storedType = length ? "int" : text ? (p.Required ? "string" : "string?") : ParamType(e, p);
        string? memberDoc = length ? $"Length of '{p.Name}' (the text itself never leaves the process)."
            : p.Pii is not null && p.Treatment == PiiTreatment.Hash ? $"Keyed HMAC-SHA256 of '{p.Name}'."
            : p.Pii is not null && p.Treatment == PiiTreatment.Redact ? $"Redaction marker for '{p.Name}'."
            : null;
        var write = length ? WriteKind.Number : text ? WriteKind.String : KindOf(p.Type == PropertyType.Array ? p.ItemType ?? PropertyType.String : p.Type);
        var model = new PropertyModel(
            p.Name,
            order,
            param,
            ParamDoc(p),
            ParamType(e, p),
            p.Required,
            p.IsSent,
            wireIndex,
            member,
            storedType,
            memberDoc,
            p.Pii is null ? null : $"{Rt}PersonalData({Rt}PiiClass.{p.Pii}, {Rt}PiiTreatment.{p.Treatment})",
            initializer,
            p.Type == PropertyType.Array && !length && !text,
            write,
            !(length || p.Required));
        if (write == WriteKind.Enum) model = model with { EnumHelpers = GeneratedNames.EnumHelpers(GeneratedNames.PropertyEnum(e.Name, p)) };

        if (p.HasCheckedConstraints && p.IsSent && (p.Pii is null || p.Treatment == PiiTreatment.None))
        {
            model = model with
            {
                Constraints = new ConstraintModel(p.Type, p.ItemType ?? PropertyType.String, p.MaxLength, p.Pattern,
                    p.Pattern is null ? null : GeneratedNames.PatternHolder(e.Name) + "." + Naming.Pascal(p.Name),
                    p.Min, p.Max, p.MinItems, p.MaxItems, p.UniqueItems, p.OnViolation == ConstraintAction.Clamp),
            };
        }

        return model;
    }

    private static WriteKind KindOf(PropertyType type) => type switch
    {
        PropertyType.String or PropertyType.Timestamp or PropertyType.Uuid => WriteKind.String,
        PropertyType.Boolean => WriteKind.Boolean,
        PropertyType.Int32 or PropertyType.Int64 or PropertyType.Double or PropertyType.Decimal => WriteKind.Number,
        PropertyType.Duration => WriteKind.Duration,
        PropertyType.Enum => WriteKind.Enum,
        _ => throw SourceWriter.Unreachable(type.ToString()),
    };

    /// <summary>The descriptor's compact entry: <c>name:type</c>, <c>?</c> when optional, <c>:Class/Treatment</c> for personal data.</summary>
    private static string DescriptorEntry(PropertySpec p)
    {
        var length = p.Pii is not null && p.Treatment == PiiTreatment.Length;
        var entry = p.WireName + ":" + (length ? "int32" : TypeWord(p.Type)) + (p.Required || length ? string.Empty : "?");
        return p.Pii is null ? entry : entry + ":" + p.Pii + "/" + p.Treatment;
    }

    internal static IEnumerable<PropertySpec> OrderedParameters(EventSpec e) =>
        e.Properties.Where(p => p.Required).Concat(e.Properties.Where(p => !p.Required));

    private static IEnumerable<PropertySpec> CheckedProperties(EventSpec e) =>
        OrderedParameters(e).Where(p => p.HasCheckedConstraints && p.IsSent && (p.Pii is null || p.Treatment == PiiTreatment.None));

    private static string ParamType(EventSpec e, PropertySpec p)
    {
        var t = ClrType(e.Name, p);
        return p.Required ? t : t + "?";
    }

    private static string ClrType(string owner, PropertySpec p) => p.Type switch
    {
        PropertyType.Array => $"global::System.Collections.Generic.IReadOnlyList<{Scalar(p.ItemType ?? PropertyType.String, GeneratedNames.PropertyEnum(owner, p))}>",
        _ => Scalar(p.Type, GeneratedNames.PropertyEnum(owner, p)),
    };

    private static string Scalar(PropertyType type, string enumName) => type switch
    {
        PropertyType.String => "string",
        PropertyType.Boolean => "bool",
        PropertyType.Int32 => "int",
        PropertyType.Int64 => "long",
        PropertyType.Double => "double",
        PropertyType.Decimal => "decimal",
        PropertyType.Timestamp => "global::System.DateTimeOffset",
        PropertyType.Duration => "global::System.TimeSpan",
        PropertyType.Uuid => "global::System.Guid",
        PropertyType.Enum => enumName,
        _ => throw SourceWriter.Unreachable(type.ToString()),
    };

    private static string TypeWord(PropertyType type) => type switch
    {
        PropertyType.Int32 => "int32",
        PropertyType.Int64 => "int64",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string ParamDoc(PropertySpec p)
    {
        var text = p.Description ?? $"Property '{p.Name}'.";
        if (p.Pii is not null)
        {
            text += p.Treatment switch
            {
                PiiTreatment.Drop => " Personal data: dropped, never leaves the process.",
                PiiTreatment.Length => $" Personal data: only its length is sent (as {p.WireName}).",
                PiiTreatment.Hash => " Personal data: sent as a keyed HMAC-SHA256.",
                PiiTreatment.Redact => " Personal data: sent as a redaction marker.",
                _ => " Personal data: sent raw (justified in the catalog).",
            };
        }

        if (p.Examples.Count > 0) text += " Example: " + p.Examples[0] + ".";
        return text;
    }

    internal static string Fmt(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- aggregators

    private static AggregatorModel Aggregator(EventSpec source, AggregateSpec agg, EventSpec target)
    {
        var props = source.Properties.ToDictionary(p => p.Name);
        var groups = agg.GroupBy.Select(g => props[g]).ToList();
        string P(PropertySpec p) => SourceWriter.Identifier(GeneratedNames.Parameter(p));
        var keyType = groups.Count == 0 ? "byte" : $"global::System.ValueTuple<{string.Join(", ", groups.Select(g => ParamType(source, g)))}>";
        var keyExpr = groups.Count == 0 ? "0" : $"new({string.Join(", ", groups.Select(P))})";

        var stats = new List<StatModel>();
        foreach (var stat in agg.Stats)
        {
            var p = props[stat.Property];
            var t = ParamType(source, p);
            var f = Naming.Pascal(stat.Property);
            var hasSum = false;
            foreach (var kind in stat.Kinds)
            {
                switch (kind)
                {
                    case AggregateStatKind.Min: stats.Add(new StatModel(f + "Min", t, kind, P(p), p.Required, null)); break;
                    case AggregateStatKind.Max: stats.Add(new StatModel(f + "Max", t, kind, P(p), p.Required, null)); break;
                    case AggregateStatKind.Avg or AggregateStatKind.Sum when !hasSum:
                        stats.Add(new StatModel(f + "Sum", "double", AggregateStatKind.Sum, P(p), p.Required, p.Required ? null : f + "Present"));
                        hasSum = true;
                        break;
                    case AggregateStatKind.First: stats.Add(new StatModel("First" + f, t, kind, P(p), p.Required, null)); break;
                    case AggregateStatKind.Last: stats.Add(new StatModel("Last" + f, t, kind, P(p), p.Required, null)); break;
                }
            }
        }

        HeatmapModel? heatmap = agg.Heatmap is { } hm
            ? new HeatmapModel(hm.Columns, hm.Rows, hm.Width, hm.Height, P(props[hm.X]), P(props[hm.Y]), props[hm.X].Required, props[hm.Y].Required)
            : null;

        var args = new List<string>();
        foreach (var tp in target.Properties)
        {
            var gi = groups.FindIndex(g => g.Name == tp.Name);
            string expr;
            if (gi >= 0) expr = $"key.Item{gi + 1}";
            else if (tp.Name == "window_ms") expr = "windowMs";
            else if (tp.Name == "count") expr = "s.Count";
            else if (tp.Name == "heatmap") expr = "(int[])s.Heatmap.Clone()";
            else expr = StatExpression(agg, props, tp.Name);

            // Enums are generated per event, so a grouped or first/last enum value of the source event has the source's
            // enum type; both enums come from the same catalog values in the same order, so a cast maps them.
            if (tp.Type == PropertyType.Enum) expr = $"({ParamType(target, tp)}){expr}";
            args.Add($"{SourceWriter.Identifier(GeneratedNames.Parameter(tp))}: {expr}");
        }

        return new AggregatorModel(
            GeneratedNames.Aggregator(target.Name),
            $"Window aggregator of <c>{SourceWriter.Escape(source.Name)}</c> into <c>{SourceWriter.Escape(target.Name)}</c>: one event per {agg.WindowMs} ms window{(groups.Count > 0 ? " per " + string.Join(", ", agg.GroupBy) : string.Empty)}.",
            source.Name,
            GeneratedNames.EventType(target.Name),
            agg.WindowMs,
            keyType,
            keyExpr,
            source.Properties.Select(p => $"{ParamType(source, p)} {P(p)}").ToEquatableArray(),
            stats.ToEquatableArray(),
            heatmap,
            args.ToEquatableArray(),
            Lifecycle(source));
    }

    private static string StatExpression(AggregateSpec agg, Dictionary<string, PropertySpec> props, string derived)
    {
        foreach (var stat in agg.Stats)
        {
            var f = Naming.Pascal(stat.Property);
            foreach (var kind in stat.Kinds)
            {
                if (stat.DerivedName(kind) != derived) continue;
                return kind switch
                {
                    AggregateStatKind.Min => $"s.{f}Min",
                    AggregateStatKind.Max => $"s.{f}Max",
                    AggregateStatKind.Avg when !props[stat.Property].Required => $"s.{f}Present == 0 ? (double?)null : s.{f}Sum / s.{f}Present",
                    AggregateStatKind.Avg => $"s.{f}Sum / s.Count",
                    AggregateStatKind.Sum => $"s.{f}Sum",
                    AggregateStatKind.First => $"s.First{f}",
                    AggregateStatKind.Last => $"s.Last{f}",
                    _ => "s.Count",
                };
            }
        }

        throw SourceWriter.Unreachable(derived);
    }

    // ---------------------------------------------------------------- metrics

    private static MetricModel Metric(MetricSpec m)
    {
        var (instrument, create) = m.Kind switch
        {
            MetricKind.Counter => ("Counter<long>", "CreateCounter<long>"),
            MetricKind.UpDownCounter => ("UpDownCounter<long>", "CreateUpDownCounter<long>"),
            _ => ("Histogram<double>", "CreateHistogram<double>"),
        };
        var verb = m.Kind == MetricKind.Histogram ? "Record" : "Add";
        var valueName = m.Kind == MetricKind.Histogram ? "value" : m.Kind == MetricKind.Counter ? "increment" : "delta";
        var valueType = m.Kind == MetricKind.Histogram ? "double" : "long";
        var tags = m.Tags.Select(t =>
        {
            var name = Naming.Camel(t.Name);
            var param = name == valueName ? name + "Tag" : name;
            var type = t.Type switch
            {
                PropertyType.String => "string",
                PropertyType.Boolean => "bool",
                PropertyType.Int32 => "int",
                PropertyType.Int64 => "long",
                PropertyType.Enum => GeneratedNames.PropertyEnum(m.Name, t),
                _ => throw SourceWriter.Unreachable(t.Type.ToString()),
            };
            return new TagModel(t.Name, param, type, t.Type == PropertyType.Enum, t.Description ?? $"Tag '{t.Name}'.");
        }).ToEquatableArray();
        var valueDoc = m.Kind == MetricKind.Histogram
            ? $"The measured value{(m.Unit is null ? string.Empty : " in " + SourceWriter.Escape(m.Unit))}."
            : "The amount to add.";
        return new MetricModel(m.Name, "s_" + Naming.Camel(m.Name), instrument, create, GeneratedNames.MetricMethod(m), verb, valueName, valueType,
            m.Unit, m.Description, (m.Description ?? $"Metric '{m.Name}'.") + (m.Unit is null ? string.Empty : $" Unit: {m.Unit}."), valueDoc,
            m.Kind != MetricKind.Counter, tags);
    }

    // ---------------------------------------------------------------- schemas

    /// <summary>The file's event schemas (<see cref="EventJsonSchema"/>) as one block: lines <c>name TAB schema</c>, deflated, base64.</summary>
    private static string CompressSchemas(IEnumerable<EventSpec> events)
    {
        var text = new StringBuilder();
        foreach (var e in events) text.Append(e.Name).Append('\t').Append(EventJsonSchema.Write(e)).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(bytes, 0, bytes.Length);
        }

        return Convert.ToBase64String(output.ToArray());
    }
}
