using Xunit.Abstractions;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>
/// The base of a test class that consumes the packed packages (<see cref="PackagesCollection"/>'s one
/// <see cref="PackedPackages"/>) and reports the processes it runs to the test output. A test class still carries
/// <c>[Collection(PackagesCollection.Name)]</c> itself: xUnit reads the collection from the class it runs.
/// </summary>
public abstract class PackedPackagesTest
{
    protected PackedPackagesTest(PackedPackages packages, ITestOutputHelper output)
    {
        Packages = packages;
        Output = output;
    }

    /// <summary>The packages in their local feed.</summary>
    protected PackedPackages Packages { get; }

    /// <summary>Where the test writes what its processes printed.</summary>
    protected ITestOutputHelper Output { get; }
}
