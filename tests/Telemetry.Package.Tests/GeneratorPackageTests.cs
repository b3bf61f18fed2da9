namespace Telemetry.Package.Tests;

/// <summary>The layout of Telemetry.Generators.nupkg: everything the compiler loads in one analyzers folder, no lib/, no dependencies.</summary>
public sealed class GeneratorPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";
    private readonly Nupkg _package = Nupkg.Open(packages.GeneratorPackage);

    [Theory]
    [InlineData("Telemetry.Generators.dll")]
    [InlineData("Telemetry.Analyzers.dll")]
    [InlineData("Telemetry.Catalog.dll")]
    [InlineData("YamlDotNet.dll")]
    public void AnalyzerFolder_HoldsTheGeneratorAndEverythingItLoads(string file)
    {
        Assert.Contains(file, _package.FileNamesIn(AnalyzerFolder));
    }

    [Fact]
    public void AnalyzerFolders_HoldOneYamlDotNet()
    {
        // A second copy next to the analyzers is loaded by the compiler too (microsoft/CsWin32#221).
        // The MSBuild task folder (tasks/) has its own copy: MSBuild, not the compiler, loads it.
        var copies = _package.Files.Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal) && f.EndsWith("/YamlDotNet.dll", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(copies.Count == 1, "Expected one YamlDotNet.dll under analyzers/, found: " + string.Join(", ", copies));
    }

    [Fact]
    public void AnalyzerFolders_HoldOnlyNetStandard20AssembliesForCSharp()
    {
        var analyzerFiles = _package.Files.Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal)).ToList();
        Assert.All(analyzerFiles, f => Assert.StartsWith(AnalyzerFolder, f, StringComparison.Ordinal));
        Assert.All(analyzerFiles, f => Assert.EndsWith(".dll", f, StringComparison.Ordinal));
        Assert.All(analyzerFiles, f => Assert.True(_package.TargetFrameworkOf(f) == ".NETStandard,Version=v2.0", $"{f} targets {_package.TargetFrameworkOf(f) ?? "(unknown)"}"));
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
