using System.Globalization;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog.Tool.Shared;

/// <summary>Catalog values as the catalog writes them (the parser's own vocabulary), and numbers as people read them.</summary>
internal static class CatalogWords
{
    public static string Type(PropertyType type) => Vocabulary.Name(type);

    /// <summary><c>string</c>, <c>array of string</c>, <c>duration (ms)</c>.</summary>
    public static string TypeOf(PropertySpec p)
    {
        if (p.Type == PropertyType.Array) return "array of " + Type(p.ItemType ?? PropertyType.String);
        return p.Type == PropertyType.Duration ? "duration (ms)" : Type(p.Type);
    }

    public static string Status(EventStatus status) => Vocabulary.Name(Vocabulary.Statuses, status);

    public static string Sensitivity(Sensitivity sensitivity) => Vocabulary.Name(Vocabulary.Sensitivities, sensitivity);

    public static string Frequency(Frequency frequency) => Vocabulary.Name(Vocabulary.Frequencies, frequency);

    public static string PiiClass(PiiClass pii) => Vocabulary.Name(Vocabulary.PiiClasses, pii);

    public static string Treatment(PiiTreatment treatment) => Vocabulary.Name(Vocabulary.Treatments, treatment);

    public static string Stat(AggregateStatKind kind) => Vocabulary.Name(Vocabulary.Stats, kind);

    public static string MetricKind(MetricKind kind) => Vocabulary.Name(Vocabulary.MetricKinds, kind);

    public static string Tier(EventTier tier) => Vocabulary.Name(Vocabulary.Tiers, tier);

    /// <summary>A number the way the catalog writes it: <c>0.25</c>, <c>16384</c>.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A fraction 0..1 as a percentage: <c>0.1</c> -> <c>10 %</c>, <c>0.005</c> -> <c>0.5 %</c>.</summary>
    public static string Percent(double fraction) => PercentOf(fraction * 100);

    /// <summary>A percentage 0..100: <c>1</c> -> <c>1 %</c>.</summary>
    public static string PercentOf(double percent) => percent.ToString("0.###", CultureInfo.InvariantCulture) + " %";

    /// <summary>Milliseconds as a short duration: <c>5000</c> -> <c>5 s</c>, <c>1500</c> -> <c>1.5 s</c>.</summary>
    public static string Window(int ms) => (ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
