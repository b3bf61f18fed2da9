namespace Telemetry.Package.Tests;

/// <summary>The layout of Telemetry.Runtime.nupkg: a plain library for net8.0 and net10.0.</summary>
public sealed class RuntimePackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    private readonly Nupkg _package = Nupkg.Open(packages.RuntimePackage);

    [Theory]
    [InlineData("net8.0", ".NETCoreApp,Version=v8.0")]
    [InlineData("net10.0", ".NETCoreApp,Version=v10.0")]
    public void Lib_HoldsTheRuntimeBuiltForEachTargetFramework(string folder, string framework)
    {
        var file = $"lib/{folder}/Telemetry.Runtime.dll";
        Assert.Contains(file, _package.Files);
        Assert.Equal(framework, _package.TargetFrameworkOf(file));
    }

    [Fact]
    public void Package_ShipsNoAnalyzers()
    {
        Assert.DoesNotContain(_package.Files, f => f.StartsWith("analyzers/", StringComparison.Ordinal));
    }
}
