using System.Globalization;
using System.Text.Json.Nodes;
using Telemetry.Catalog;
using Telemetry.Catalog.Model;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>The shipped catalog, and valid wire objects built from each event's own spec.</summary>
internal static class CatalogEvents
{
    private static readonly Lazy<CatalogSet> CatalogValue = new(() => CatalogSet.Parse(
        Directory.GetFiles(Repo.Catalog, "*.yaml").Select(f => new KeyValuePair<string, string>(Path.GetFileName(f), File.ReadAllText(f)))));

    private static readonly Lazy<CatalogValidator> ValidatorValue = new(() => new CatalogValidator(CatalogValue.Value));

    public static CatalogSet Catalog => CatalogValue.Value;

    public static CatalogValidator Validator => ValidatorValue.Value;

    public static IReadOnlyList<EventSpec> Specs => Catalog.Events.ToList();

    /// <summary>A valid wire object of <paramref name="spec"/> with every sent property (required and optional) set to an example value.</summary>
    public static JsonObject Valid(EventSpec spec, string userId = "user-1", DateTimeOffset? timestamp = null)
    {
        var evt = Events.Envelope(spec.Name, userId, timestamp: timestamp);
        evt["schema_version"] = spec.Version;
        foreach (var p in spec.Properties.Where(p => p.IsSent)) evt[p.WireName] = ExampleValue(p);
        return evt;
    }

    /// <summary>An example value of a property that passes its schema.</summary>
    public static JsonNode? ExampleValue(PropertySpec p)
    {
        if (p.Pii is not null && p.Treatment == PiiTreatment.Length) return 3;
        if (p.Pii is not null && p.Treatment == PiiTreatment.Hash) return new string('a', 64);
        if (p.Pii is not null && p.Treatment == PiiTreatment.Redact) return "[redacted]";
        var example = p.Examples.IsEmpty ? null : p.Examples[0];
        switch (p.Type)
        {
            case PropertyType.Array:
                return new JsonArray();
            case PropertyType.Boolean:
                return example is null ? true : bool.Parse(example);
            case PropertyType.Int32:
            case PropertyType.Int64:
                return example is null ? (long)(p.Min ?? 0) : long.Parse(example, CultureInfo.InvariantCulture);
            case PropertyType.Double:
            case PropertyType.Decimal:
            case PropertyType.Duration:
                return example is null ? p.Min ?? 0 : double.Parse(example, CultureInfo.InvariantCulture);
            case PropertyType.Enum:
                return example ?? p.EnumValues[0];
            case PropertyType.Uuid:
                return example ?? Guid.NewGuid().ToString();
            case PropertyType.Timestamp:
                return example ?? "2025-11-10T12:00:00Z";
            default:
                return example ?? "x";
        }
    }

    /// <summary>Every number-valued wire property of the catalog (envelope integers included), with its C# type.</summary>
    public static IEnumerable<(EventSpec Spec, string WireName, PropertySpec? Property, NumberKind Kind)> NumberProperties()
    {
        foreach (var spec in Specs)
        {
            yield return (spec, "user_bucket", null, NumberKind.Int32);
            yield return (spec, "schema_version", null, NumberKind.Int32);
            yield return (spec, "sampling_rate", null, NumberKind.Double);
            foreach (var p in spec.Properties.Where(p => p.IsSent && p.Type != PropertyType.Array))
            {
                var kind = p.Pii is not null
                    ? (p.Treatment == PiiTreatment.Length ? NumberKind.Int32 : NumberKind.None)
                    : p.Type switch
                    {
                        PropertyType.Int32 => NumberKind.Int32,
                        PropertyType.Int64 => NumberKind.Int64,
                        PropertyType.Double or PropertyType.Duration => NumberKind.Double,
                        PropertyType.Decimal => NumberKind.Decimal,
                        _ => NumberKind.None,
                    };
                if (kind != NumberKind.None) yield return (spec, p.WireName, p, kind);
            }
        }
    }
}
