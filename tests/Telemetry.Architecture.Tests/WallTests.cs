namespace Telemetry.Architecture.Tests;

/// <summary>The walls hold in the repository's project files (docs/architecture.md).</summary>
public sealed class WallTests
{
    private static readonly Lazy<ProjectGraph> Repository = new(() => ProjectGraph.FromSolution(RepositoryRoot.Solution));

    [Fact]
    public void The_catalog_library_references_neither_Roslyn_nor_the_runtime() =>
        AssertHolds(Walls.CatalogLibraryIsPlain(Repository.Value));

    [Fact]
    public void The_runtime_references_neither_Roslyn_YamlDotNet_nor_the_catalog_library() =>
        AssertHolds(Walls.RuntimeIsPlain(Repository.Value));

    [Fact]
    public void Generator_and_analyzers_share_the_catalog_library_and_never_reference_each_other() =>
        AssertHolds(Walls.GeneratorAndAnalyzersShareOnlyTheCatalog(Repository.Value));

    [Fact]
    public void Only_the_code_fixes_reference_Roslyn_Workspaces() =>
        AssertHolds(Walls.OnlyCodeFixesUseWorkspaces(Repository.Value));

    [Fact]
    public void Packaging_lives_in_the_pack_only_project() =>
        AssertHolds(Walls.PackagingIsInThePackOnlyProject(Repository.Value));

    [Fact]
    public void Every_project_sits_in_its_parts_folder_and_every_project_file_is_in_the_solution() =>
        AssertHolds(Walls.ProjectsLiveInTheirPartsFolder(Repository.Value));

    [Fact]
    public void The_public_libraries_keep_public_API_baselines() =>
        AssertHolds(Walls.PublicLibrariesHaveApiBaselines(Repository.Value));

    [Fact]
    public void The_public_libraries_are_the_runtime_and_ingest_packages()
    {
        var names = Repository.Value.Projects.Where(Walls.IsPublicLibrary).Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["Telemetry.Ingest", "Telemetry.Ingest.Prometheus", Walls.Runtime, "Telemetry.Runtime.Browser"], names);
    }

    [Fact]
    public void The_solution_lists_the_projects_the_walls_name()
    {
        var names = Repository.Value.Projects.Select(p => p.Name).ToHashSet();
        foreach (var name in new[] { Walls.CatalogLibrary, Walls.Runtime, Walls.Generator, Walls.Analyzers, Walls.CodeFixes, Walls.Package })
        {
            Assert.Contains(name, names);
        }
    }

    private static void AssertHolds(IEnumerable<string> violations)
    {
        var list = violations.ToList();
        Assert.True(list.Count == 0, "Wall broken:\n  " + string.Join("\n  ", list));
    }
}
