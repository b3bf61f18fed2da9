using CatalogModel = Telemetry.Catalog.Model;
using RuntimeApi = Telemetry.Runtime;

namespace Telemetry.Ingest.Tests.Facts;

/// <summary>
/// The catalog library (netstandard2.0, read by the generator) and the runtime (net8.0+, which generated code compiles
/// against) each declare the catalog's enums; the generator writes a catalog value as the runtime member of the same
/// name. This project references both, so it holds the copies together: same names, same values, same order.
/// </summary>
public sealed class CatalogRuntimeCopiesTests
{
    public static TheoryData<Type, Type> EnumPairs => new()
    {
        { typeof(CatalogModel.EventTier), typeof(RuntimeApi.EventTier) },
        { typeof(CatalogModel.EventStatus), typeof(RuntimeApi.EventStatus) },
        { typeof(CatalogModel.Sensitivity), typeof(RuntimeApi.Sensitivity) },
        { typeof(CatalogModel.Frequency), typeof(RuntimeApi.EventFrequency) },
        { typeof(CatalogModel.PiiClass), typeof(RuntimeApi.PiiClass) },
        { typeof(CatalogModel.PiiTreatment), typeof(RuntimeApi.PiiTreatment) },
    };

    [Theory]
    [MemberData(nameof(EnumPairs))]
    public void A_catalog_enum_and_its_runtime_copy_have_the_same_members(Type catalog, Type runtime)
    {
        Assert.Equal(Members(catalog), Members(runtime));
        Assert.Equal(Enum.GetUnderlyingType(catalog), Enum.GetUnderlyingType(runtime));
    }

    [Fact]
    public void Every_public_runtime_enum_named_like_a_catalog_enum_is_compared()
    {
        var compared = EnumPairs.Select(row => (Type)row[0]).ToHashSet();
        var catalogEnums = typeof(CatalogModel.EventSpec).Assembly.GetExportedTypes().Where(t => t.IsEnum && t.Namespace == "Telemetry.Catalog.Model");
        var runtimeNames = typeof(RuntimeApi.EventDescriptor).Assembly.GetExportedTypes().Where(t => t.IsEnum).Select(t => t.Name).ToHashSet();
        foreach (var e in catalogEnums)
        {
            if (runtimeNames.Contains(e.Name) || runtimeNames.Contains("Event" + e.Name)) Assert.Contains(e, compared);
        }
    }

    private static (string Name, long Value)[] Members(Type enumType) =>
        Enum.GetValues(enumType).Cast<object>().Select(v => (Enum.GetName(enumType, v)!, Convert.ToInt64(v))).ToArray();
}
