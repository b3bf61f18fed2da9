using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>The closed word sets of the catalog format, in the order they are documented.</summary>
internal static class Vocabulary
{
    public static readonly IReadOnlyDictionary<string, PropertyType> Types = Ordered(
        ("string", PropertyType.String), ("boolean", PropertyType.Boolean), ("int32", PropertyType.Int32),
        ("int64", PropertyType.Int64), ("double", PropertyType.Double), ("decimal", PropertyType.Decimal),
        ("timestamp", PropertyType.Timestamp), ("duration", PropertyType.Duration), ("uuid", PropertyType.Uuid),
        ("enum", PropertyType.Enum), ("array", PropertyType.Array));

    public static readonly IReadOnlyDictionary<string, PropertyType> TagTypes = Ordered(
        ("string", PropertyType.String), ("boolean", PropertyType.Boolean), ("int32", PropertyType.Int32),
        ("int64", PropertyType.Int64), ("enum", PropertyType.Enum));

    public static readonly IReadOnlyDictionary<string, EventTier> Tiers = Ordered(("A", EventTier.A), ("B", EventTier.B), ("C", EventTier.C));

    public static readonly IReadOnlyDictionary<string, EventStatus> Statuses = Ordered(
        ("active", EventStatus.Active), ("planned", EventStatus.Planned), ("deprecated", EventStatus.Deprecated));

    public static readonly IReadOnlyDictionary<string, Sensitivity> Sensitivities = Ordered(
        ("none", Sensitivity.None), ("session", Sensitivity.Session), ("financial", Sensitivity.Financial));

    public static readonly IReadOnlyDictionary<string, Frequency> Frequencies = Ordered(("normal", Frequency.Normal), ("high", Frequency.High));

    public static readonly IReadOnlyDictionary<string, PiiClass> PiiClasses = Ordered(
        ("email", PiiClass.Email), ("phone", PiiClass.Phone), ("ip_address", PiiClass.IpAddress),
        ("person_name", PiiClass.PersonName), ("postal_address", PiiClass.PostalAddress), ("free_text", PiiClass.FreeText),
        ("user_id", PiiClass.UserId), ("payment", PiiClass.Payment), ("other", PiiClass.Other));

    public static readonly IReadOnlyDictionary<string, PiiTreatment> Treatments = Ordered(
        ("drop", PiiTreatment.Drop), ("redact", PiiTreatment.Redact), ("hash", PiiTreatment.Hash),
        ("length", PiiTreatment.Length), ("none", PiiTreatment.None));

    public static readonly IReadOnlyDictionary<string, AggregateStatKind> Stats = Ordered(
        ("count", AggregateStatKind.Count), ("min", AggregateStatKind.Min), ("max", AggregateStatKind.Max),
        ("avg", AggregateStatKind.Avg), ("sum", AggregateStatKind.Sum), ("first", AggregateStatKind.First),
        ("last", AggregateStatKind.Last));

    public static readonly IReadOnlyDictionary<string, MetricKind> MetricKinds = Ordered(
        ("counter", MetricKind.Counter), ("up_down_counter", MetricKind.UpDownCounter), ("histogram", MetricKind.Histogram));

    public static readonly IReadOnlyDictionary<string, ConstraintAction> ConstraintActions = Ordered(
        ("reject", ConstraintAction.Reject), ("clamp", ConstraintAction.Clamp));

    /// <summary>Event-level keys that <c>defaults:</c> may set.</summary>
    public static readonly string[] DefaultableEventKeys =
    {
        "tier", "status", "sampling", "idempotent", "sensitivity", "version", "frequency", "local_only", "owner",
    };

    public static string Name(PropertyType type)
    {
        foreach (var pair in Types)
        {
            if (pair.Value == type) return pair.Key;
        }

        return type.ToString().ToLowerInvariant();
    }

    public static string Name<T>(IReadOnlyDictionary<string, T> words, T value)
    {
        foreach (var pair in words)
        {
            if (EqualityComparer<T>.Default.Equals(pair.Value, value)) return pair.Key;
        }

        return value?.ToString() ?? string.Empty;
    }

    private static IReadOnlyDictionary<string, T> Ordered<T>(params (string Key, T Value)[] pairs)
    {
        // Dictionary preserves insertion order as long as nothing is removed; messages list words in documented order.
        var dict = new Dictionary<string, T>(System.StringComparer.Ordinal);
        foreach (var (k, v) in pairs) dict.Add(k, v);
        return dict;
    }
}
