namespace Telemetry.Package.Tests.TestSupport;

/// <summary>The tests that share one <see cref="PackedPackages"/> (packing is the slow part), run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packed packages";
}
