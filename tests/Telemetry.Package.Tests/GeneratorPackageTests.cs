using Telemetry.Package.Tests.TestSupport;

namespace Telemetry.Package.Tests;

/// <summary>The layout of Telemetry.Generators.nupkg: everything the compiler loads in one analyzers folder, nothing else.</summary>
[Collection(PackagesCollection.Name)]
[Trait("Category", "Package")]
public sealed class GeneratorPackageTests
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";
    private readonly Nupkg _package;

    public GeneratorPackageTests(PackedPackages packages) => _package = Nupkg.Open(packages.GeneratorPackage);

    [Fact]
    public void AnalyzerFolder_HoldsGeneratorAnalyzersCatalogAndYamlDotNet()
    {
        Assert.Equal(
            new[] { "Telemetry.Analyzers.dll", "Telemetry.Catalog.dll", "Telemetry.Generators.dll", "YamlDotNet.dll" },
            _package.FileNamesIn(AnalyzerFolder).OrderBy(f => f, StringComparer.Ordinal));
    }

    [Fact]
    public void YamlDotNet_IsShippedOnce()
    {
        var copies = _package.Files.Where(f => f.EndsWith("/YamlDotNet.dll", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(copies.Count == 1, "Expected one YamlDotNet.dll, found: " + string.Join(", ", copies));
    }

    [Theory]
    [InlineData("Telemetry.Generators.dll")]
    [InlineData("Telemetry.Analyzers.dll")]
    [InlineData("Telemetry.Catalog.dll")]
    [InlineData("YamlDotNet.dll")]
    public void EveryAnalyzerAssembly_IsTheNetStandard20Build(string file)
    {
        Assert.Equal(".NETStandard,Version=v2.0", _package.TargetFrameworkOf(AnalyzerFolder + file));
    }

    [Fact]
    public void Package_HasNoLibOrRefFolder()
    {
        Assert.DoesNotContain(_package.Files, f => f.StartsWith("lib/", StringComparison.Ordinal) || f.StartsWith("ref/", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_ShipsPropsAndTargetsInBuildAndBuildTransitive()
    {
        Assert.Contains("buildTransitive/Telemetry.Generators.props", _package.Files);
        Assert.Contains("buildTransitive/Telemetry.Generators.targets", _package.Files);
        Assert.Contains("build/Telemetry.Generators.props", _package.Files);
        Assert.Contains("build/Telemetry.Generators.targets", _package.Files);
    }

    [Fact]
    public void Package_IsADevelopmentDependencyWithoutNuGetDependencies()
    {
        Assert.Equal("true", _package.Metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "developmentDependency")?.Value);
        Assert.Empty(_package.Metadata.Elements().Where(e => e.Name.LocalName == "dependencies").SelectMany(d => d.Descendants()));
    }
}
