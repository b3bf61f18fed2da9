using System.Xml.Linq;

namespace Telemetry.Package.Tests;

/// <summary>
/// What every package's NuGet page and a release pipeline rely on: a readme, licence, repository and project links,
/// tags, symbols, no stable package depending on a prerelease, and dependency floors that follow the target framework.
/// </summary>
public sealed class PackageMetadataTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    public static TheoryData<string> Ids => new(PackedPackages.Ids);

    [Fact]
    public void Every_test_class_is_a_packed_packages_test_so_it_shares_the_feed_and_has_the_Package_category()
    {
        var classes = typeof(PackageMetadataTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
            .ToList();
        Assert.NotEmpty(classes);
        Assert.All(classes, t => Assert.True(t.IsSubclassOf(typeof(PackedPackagesTest)), t.Name));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Package_HasReadmeLicenceRepositoryProjectUrlAndTags(string id)
    {
        var package = Nupkg.Open(Packages.PackageFile(id));
        var readme = Element(package, "readme");
        Assert.False(string.IsNullOrEmpty(readme), $"{id}: no <readme>");
        Assert.Contains(readme, package.Files);
        Assert.Equal("MIT", Element(package, "license"));
        Assert.StartsWith("https://github.com/", Element(package, "projectUrl"), StringComparison.Ordinal);
        var repository = package.Metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.StartsWith("https://github.com/", repository.Attribute("url")?.Value, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
        Assert.False(string.IsNullOrWhiteSpace(Element(package, "tags")), $"{id}: no tags");
        Assert.False(string.IsNullOrWhiteSpace(Element(package, "description")), $"{id}: no description");
    }

    [Theory]
    [InlineData("Telemetry.Runtime")]
    [InlineData("Telemetry.Ingest")]
    [InlineData("Telemetry.Ingest.Prometheus")]
    [InlineData("Telemetry.Catalog.Tool")]
    public void LibraryAndToolPackages_HaveASymbolsPackageWithAPdbPerAssembly(string id)
    {
        Assert.True(File.Exists(Packages.SymbolsFile(id)), $"{Packages.SymbolsFile(id)} is missing");
        var symbols = Nupkg.Open(Packages.SymbolsFile(id));
        var package = Nupkg.Open(Packages.PackageFile(id));
        var own = package.Files.Where(f => f.EndsWith("/" + id + ".dll", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, dll => Assert.Contains(dll[..^4] + ".pdb", symbols.Files));
    }

    [Fact]
    public void GeneratorPackage_EmbedsThePdbsOfEveryAssemblyTheCompilerLoads()
    {
        // No lib/ means no .snupkg; the PDBs (with SourceLink) travel inside the DLLs instead.
        var package = Nupkg.Open(Packages.GeneratorPackage);
        foreach (var dll in package.Files.Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal) && !f.EndsWith("/YamlDotNet.dll", StringComparison.Ordinal)))
        {
            Assert.True(package.HasEmbeddedPdb(dll), $"{dll} has no embedded PDB");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void StablePackages_DependOnNoPrerelease(string id)
    {
        var package = Nupkg.Open(Packages.PackageFile(id));
        var version = Element(package, "version")!;
        if (IsPrerelease(version)) return; // a prerelease (this run's test version, or Telemetry.Ingest.Prometheus) may
        var prerelease = Dependencies(package)
            .Where(d => IsPrerelease(MinVersion(d.Version)))
            .Select(d => $"{d.Framework}: {d.Id} {d.Version}")
            .ToList();
        Assert.True(prerelease.Count == 0, $"{id} {version} depends on prereleases: {string.Join("; ", prerelease)}");
    }

    [Fact]
    public void CoreIngestPackage_DoesNotDependOnTheOpenTelemetryPrometheusExporter()
    {
        var package = Nupkg.Open(Packages.PackageFile("Telemetry.Ingest"));
        Assert.DoesNotContain(Dependencies(package), d => d.Id.StartsWith("OpenTelemetry", StringComparison.Ordinal));
        Assert.Contains(Dependencies(Nupkg.Open(Packages.PackageFile("Telemetry.Ingest.Prometheus"))), d => d.Id == "OpenTelemetry.Exporter.Prometheus.AspNetCore");
    }

    [Theory]
    [InlineData("Telemetry.Runtime")]
    [InlineData("Telemetry.Ingest")]
    public void Net80DependencyGroup_KeepsMicrosoftPackagesOnThe80Line(string id)
    {
        // A net8.0 app (an EF Core 8 app, say) must not be lifted to a newer major of Microsoft.Data.Sqlite or Microsoft.Extensions.*.
        var package = Nupkg.Open(Packages.PackageFile(id));
        var lifted = Dependencies(package)
            .Where(d => d.Framework == "net8.0" && (d.Id.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || d.Id.StartsWith("Microsoft.Data.", StringComparison.Ordinal)))
            .Where(d => int.Parse(MinVersion(d.Version).Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) > 8)
            .Select(d => $"{d.Id} {d.Version}")
            .ToList();
        Assert.True(lifted.Count == 0, $"{id}'s net8.0 group asks for: {string.Join(", ", lifted)}");
        Assert.Contains(Dependencies(package), d => d.Framework == "net8.0" && d.Id == "Microsoft.Data.Sqlite");
    }

    [Fact]
    public void IngestPackage_CarriesTheCatalogLibraryItValidatesWith()
    {
        var package = Nupkg.Open(Packages.PackageFile("Telemetry.Ingest"));
        Assert.Contains("lib/net8.0/Telemetry.Catalog.dll", package.Files);
        Assert.Contains("lib/net10.0/Telemetry.Catalog.dll", package.Files);
        Assert.DoesNotContain(Dependencies(package), d => d.Id == "Telemetry.Catalog");
    }

    /// <summary>The lower bound of a NuGet version range such as <c>8.0.2</c> or <c>[8.0.2, )</c>.</summary>
    private static string MinVersion(string range) => range.Trim('[', '(', ' ').Split(',')[0].Trim();

    private static bool IsPrerelease(string version) => version.Contains('-', StringComparison.Ordinal);

    private static string? Element(Nupkg package, string name) =>
        package.Metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    private static IEnumerable<(string Framework, string Id, string Version)> Dependencies(Nupkg package) =>
        package.Metadata.Elements().Where(e => e.Name.LocalName == "dependencies")
            .Elements().Where(g => g.Name.LocalName == "group")
            .SelectMany(g => g.Elements().Where(d => d.Name.LocalName == "dependency")
                .Select(d => (Framework: g.Attribute("targetFramework")?.Value ?? "", Id: d.Attribute("id")!.Value, Version: d.Attribute("version")!.Value)));
}
