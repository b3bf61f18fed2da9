using System.Collections.Generic;
using System.IO;

namespace Telemetry.Catalog.Model;

/// <summary>
/// The one owner of every C# name the generator writes: types, members, classes and the helpers next to them. The
/// generator's spec builder asks it for names, and the catalog's name-collision rule (TEL0xxx invalid name) asks it which
/// types a file would generate, so the two can never disagree.
/// </summary>
public static class GeneratedNames
{
    /// <summary>The registry class listing every event.</summary>
    public const string Registry = "TelemetryCatalog";

    /// <summary>The struct of an event: <c>watchlist.add</c> -> <c>WatchlistAdd</c>.</summary>
    public static string EventType(string eventName) => Naming.TypeName(eventName);

    /// <summary>The Track method of an event: <c>watchlist.add</c> -> <c>TrackWatchlistAdd</c>.</summary>
    public static string TrackMethod(string eventName) => Naming.TrackMethod(eventName);

    /// <summary>The window aggregator that emits the aggregate event <paramref name="targetEventName"/>.</summary>
    public static string Aggregator(string targetEventName) => EventType(targetEventName) + "Aggregator";

    /// <summary>The enum of a shared definition.</summary>
    public static string DefinitionEnum(string definitionName) => Naming.Pascal(definitionName);

    /// <summary>The enum of an enum property (or its items): the shared definition's when it refs one, else the owner's name + the property's.</summary>
    public static string PropertyEnum(string ownerName, PropertySpec p) =>
        p.Ref is not null ? DefinitionEnum(p.Ref) : Naming.TypeName(ownerName) + Naming.Pascal(p.Name);

    /// <summary>The static class with an enum's catalog-string helpers (<c>ToCatalogString</c> and the <c>Values</c> table).</summary>
    public static string EnumHelpers(string enumType) => enumType + "Extensions";

    /// <summary>The C# member of an enum value: <c>1h</c> -> <c>_1h</c>.</summary>
    public static string EnumMember(string value) => Naming.EnumMember(value);

    /// <summary>The prefix of a file's feature classes: its <c>feature:</c>, else its file name.</summary>
    public static string FeaturePrefix(string? feature, string filePath) => Naming.Pascal(feature ?? Path.GetFileNameWithoutExtension(filePath));

    /// <summary>The partial class holding a feature's Track methods.</summary>
    public static string TelemetryClass(string featurePrefix) => featurePrefix + "Telemetry";

    /// <summary>The class holding a feature's metric instruments.</summary>
    public static string MetricsClass(string featurePrefix) => featurePrefix + "Metrics";

    /// <summary>The meter of a feature's metrics.</summary>
    public static string MeterName(string featurePrefix) => "Telemetry." + featurePrefix;

    /// <summary>The nested class holding an event's compiled patterns.</summary>
    public static string PatternHolder(string eventName) => EventType(eventName) + "Patterns";

    /// <summary>A constructor or Track parameter: <c>rule_version</c> -> <c>ruleVersion</c> (not yet escaped for keywords).</summary>
    public static string Parameter(PropertySpec p) => Naming.Camel(p.Name);

    /// <summary>The event struct's property of a catalog property (named after what goes on the wire).</summary>
    public static string Member(PropertySpec p) => Naming.Pascal(p.WireName);

    /// <summary>A metric's Record/Add method: <c>Record</c> + the metric's type name.</summary>
    public static string MetricMethod(MetricSpec m) => (m.Kind == MetricKind.Histogram ? "Record" : "Add") + Naming.TypeName(m.Name);

    /// <summary>
    /// The types the generator writes for one file, each with what it is, in declaration order, for the collision rule:
    /// (type name, description, index of the event in <paramref name="events"/> or -1, index of the metric or -1).
    /// </summary>
    public static IEnumerable<(string Name, string What, int Event, int Metric)> TypesOf(
        string? feature, IReadOnlyList<EventSpec> events, IReadOnlyList<MetricSpec> metrics, IEnumerable<PropertySpec> definitions)
    {
        foreach (var d in definitions)
        {
            if (d.Type != PropertyType.Enum && d.ItemType != PropertyType.Enum) continue;
            yield return (DefinitionEnum(d.Name), $"the enum of definition '{d.Name}'", -1, -1);
            yield return (EnumHelpers(DefinitionEnum(d.Name)), $"the enum helpers of definition '{d.Name}'", -1, -1);
        }

        if (feature is not null)
        {
            yield return (TelemetryClass(Naming.Pascal(feature)), $"the Track class of feature '{feature}'", -1, -1);
            yield return (MetricsClass(Naming.Pascal(feature)), $"the metrics class of feature '{feature}'", -1, -1);
        }

        yield return (Registry, "the catalog registry", -1, -1);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            yield return (EventType(e.Name), $"event '{e.Name}'", i, -1);
            if (e.IsAggregate) yield return (Aggregator(e.Name), $"the aggregator of '{e.Name}'", i, -1);
            foreach (var p in e.Properties)
            {
                if ((p.Type != PropertyType.Enum && p.ItemType != PropertyType.Enum) || p.Ref is not null) continue;
                var enumName = PropertyEnum(e.Name, p);
                yield return (enumName, $"the enum of '{e.Name}.{p.Name}'", i, -1);
                yield return (EnumHelpers(enumName), $"the enum helpers of '{e.Name}.{p.Name}'", i, -1);
            }
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            foreach (var t in m.Tags)
            {
                if (t.Type != PropertyType.Enum) continue;
                yield return (Naming.TypeName(m.Name) + Naming.Pascal(t.Name), $"the enum of metric tag '{m.Name}.{t.Name}'", -1, i);
            }
        }
    }
}
