using System.Xml.Linq;

namespace Telemetry.Architecture.Tests;

/// <summary>
/// Each wall fails when broken: a copy of the repository's project files gets one forbidden reference or setting, and
/// the rule that guards it reports exactly that breach (while the untouched copy passes every rule).
/// </summary>
public sealed class WallBreachTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "telemetry-walls-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _solution;

    public WallBreachTests()
    {
        var source = RepositoryRoot.Solution;
        var sourceDir = Path.GetDirectoryName(source)!;
        _solution = Path.Combine(_root, Path.GetFileName(source));
        Directory.CreateDirectory(_root);
        File.Copy(source, _solution);
        foreach (var project in ProjectGraph.FromSolution(source).Projects)
        {
            var target = Path.Combine(_root, Path.GetRelativePath(sourceDir, project.Path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(project.Path, target);
            foreach (var baseline in Directory.EnumerateFiles(Path.GetDirectoryName(project.Path)!, "PublicAPI.*.txt"))
                File.Copy(baseline, Path.Combine(Path.GetDirectoryName(target)!, Path.GetFileName(baseline)));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder does not change the result.
        }
    }

    public static TheoryData<string, string, string, string> Breaches() => new()
    {
        // rule, project, breach ("package:X", "reference:Y", "property:Name=Value", "move:folder", "delete:file beside the
        // project", "stray:path of a project file the solution does not list"), expected words in the violation
        { nameof(Walls.CatalogLibraryIsPlain), Walls.CatalogLibrary, "package:Microsoft.CodeAnalysis.CSharp", "Roslyn package Microsoft.CodeAnalysis.CSharp" },
        { nameof(Walls.CatalogLibraryIsPlain), Walls.CatalogLibrary, "reference:" + Walls.Runtime, "references the runtime" },
        { nameof(Walls.RuntimeIsPlain), Walls.Runtime, "package:YamlDotNet", "package YamlDotNet" },
        { nameof(Walls.RuntimeIsPlain), Walls.Runtime, "package:Microsoft.CodeAnalysis.Common", "package Microsoft.CodeAnalysis.Common" },
        { nameof(Walls.RuntimeIsPlain), Walls.Runtime, "reference:" + Walls.CatalogLibrary, "references the catalog library" },
        { nameof(Walls.GeneratorAndAnalyzersShareOnlyTheCatalog), Walls.Generator, "reference:" + Walls.Analyzers, "Telemetry.Generators references Telemetry.Analyzers" },
        { nameof(Walls.GeneratorAndAnalyzersShareOnlyTheCatalog), Walls.Generator, "reference:" + Walls.CodeFixes, "Telemetry.Generators references Telemetry.Analyzers.CodeFixes" },
        { nameof(Walls.GeneratorAndAnalyzersShareOnlyTheCatalog), Walls.Analyzers, "reference:" + Walls.Generator, "Telemetry.Analyzers references Telemetry.Generators" },
        { nameof(Walls.OnlyCodeFixesUseWorkspaces), Walls.Analyzers, "package:Microsoft.CodeAnalysis.CSharp.Workspaces", "Telemetry.Analyzers references Microsoft.CodeAnalysis.CSharp.Workspaces" },
        { nameof(Walls.PackagingIsInThePackOnlyProject), Walls.Generator, "property:PackageId=Telemetry.Generators", "not by Telemetry.Generators.Package alone" },
        { nameof(Walls.PackagingIsInThePackOnlyProject), Walls.Generator, "property:IsPackable=true", "Telemetry.Generators is packable" },
        { nameof(Walls.PackagingIsInThePackOnlyProject), Walls.Package, "property:IncludeBuildOutput=true", "IncludeBuildOutput=false" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "Telemetry.Runtime.Browser", "move:src/ingest/Telemetry.Runtime.Browser", "Telemetry.Runtime.Browser is in src/ingest/Telemetry.Runtime.Browser/Telemetry.Runtime.Browser.csproj; its part's folder is src/runtime" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "Telemetry.Catalog.Tool", "move:src/build/Telemetry.Catalog.Tool", "its part's folder is src/tools" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), Walls.Runtime, "move:src/runtime/Runtime", "its folder is not named like the project" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), Walls.Runtime, "move:src/Telemetry.Runtime", "its part's folder is src/runtime" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "Telemetry.Runtime.Tests", "move:src/runtime/Telemetry.Runtime.Tests", "test project Telemetry.Runtime.Tests is in src/runtime/" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "Telemetry.Runtime.Tests", "move:samples/Telemetry.Runtime.Tests", "test project Telemetry.Runtime.Tests is in samples/" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "Telemetry.Benchmarks", "move:samples/Telemetry.Benchmarks", "benchmark Telemetry.Benchmarks is in samples/" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "ChartApp", "move:tests/ChartApp", "ChartApp is under tests/ but is not named *.Tests" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "ChartApp", "move:src/runtime/ChartApp", "its name names no part" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "ChartApp", "move:ChartApp", "outside src/, tests/, benchmarks/ and samples/" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), "ChartApp", "property:IsPackable=true", "ChartApp is packable but lives in samples/" },
        { nameof(Walls.ProjectsLiveInTheirPartsFolder), Walls.Runtime, "stray:src/runtime/Telemetry.Runtime.Extra/Telemetry.Runtime.Extra.csproj", "src/runtime/Telemetry.Runtime.Extra/Telemetry.Runtime.Extra.csproj is not in the solution" },
        { nameof(Walls.PublicLibrariesHaveApiBaselines), "Telemetry.Ingest.Prometheus", "delete:PublicAPI.Unshipped.txt", "Telemetry.Ingest.Prometheus has no PublicAPI.Unshipped.txt" },
        { nameof(Walls.PublicLibrariesHaveApiBaselines), "Telemetry.Runtime.Browser", "property:TelemetryPublicApi=false", "Telemetry.Runtime.Browser is a public library but does not set TelemetryPublicApi=true" },
        { nameof(Walls.PublicLibrariesHaveApiBaselines), Walls.CatalogLibrary, "property:IsPackable=true", "Telemetry.Catalog is a public library but does not set TelemetryPublicApi=true" },
    };

    [Fact]
    public void The_untouched_copy_passes_every_rule()
    {
        var graph = ProjectGraph.FromSolution(_solution);
        foreach (var rule in Rules.Values) Assert.Empty(rule(graph));
    }

    [Theory]
    [MemberData(nameof(Breaches))]
    public void A_forbidden_reference_breaks_its_wall(string rule, string project, string breach, string expected)
    {
        var graph = ProjectGraph.FromSolution(_solution);
        Breach(graph.Named(project), graph, breach, _solution);

        var violations = Rules[rule](ProjectGraph.FromSolution(_solution)).ToList();

        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    private static readonly Dictionary<string, Func<ProjectGraph, IEnumerable<string>>> Rules = new()
    {
        [nameof(Walls.CatalogLibraryIsPlain)] = Walls.CatalogLibraryIsPlain,
        [nameof(Walls.RuntimeIsPlain)] = Walls.RuntimeIsPlain,
        [nameof(Walls.GeneratorAndAnalyzersShareOnlyTheCatalog)] = Walls.GeneratorAndAnalyzersShareOnlyTheCatalog,
        [nameof(Walls.OnlyCodeFixesUseWorkspaces)] = Walls.OnlyCodeFixesUseWorkspaces,
        [nameof(Walls.PackagingIsInThePackOnlyProject)] = Walls.PackagingIsInThePackOnlyProject,
        [nameof(Walls.ProjectsLiveInTheirPartsFolder)] = Walls.ProjectsLiveInTheirPartsFolder,
        [nameof(Walls.PublicLibrariesHaveApiBaselines)] = Walls.PublicLibrariesHaveApiBaselines,
    };

    private static void Breach(ProjectFile project, ProjectGraph graph, string breach, string solution)
    {
        var kind = breach[..breach.IndexOf(':')];
        var value = breach[(breach.IndexOf(':') + 1)..];
        switch (kind)
        {
            case "move":
                // The project file moves to another folder; the solution lists it there.
                var moved = Path.Combine(graph.Root, value, Path.GetFileName(project.Path));
                Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
                File.Move(project.Path, moved);
                var from = Path.GetRelativePath(graph.Root, project.Path).Replace('/', '\\');
                var to = Path.GetRelativePath(graph.Root, moved).Replace('/', '\\');
                File.WriteAllText(solution, File.ReadAllText(solution).Replace("\"" + from + "\"", "\"" + to + "\"", StringComparison.Ordinal));
                return;
            case "delete":
                File.Delete(Path.Combine(Path.GetDirectoryName(project.Path)!, value));
                return;
            case "stray":
                var stray = Path.Combine(graph.Root, value);
                Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
                File.WriteAllText(stray, "<Project Sdk=\"Microsoft.NET.Sdk\" />");
                return;
        }

        var xml = XDocument.Load(project.Path);
        var root = xml.Root!;
        switch (kind)
        {
            case "package":
                root.Add(new XElement("ItemGroup", new XElement("PackageReference", new XAttribute("Include", value))));
                break;
            case "reference":
                var target = Path.GetRelativePath(Path.GetDirectoryName(project.Path)!, graph.Named(value).Path).Replace('\\', '/');
                root.Add(new XElement("ItemGroup", new XElement("ProjectReference", new XAttribute("Include", target))));
                break;
            default:
                var (name, setting) = (value[..value.IndexOf('=')], value[(value.IndexOf('=') + 1)..]);
                root.Add(new XElement("PropertyGroup", new XElement(name, setting)));
                break;
        }

        xml.Save(project.Path);
    }
}
