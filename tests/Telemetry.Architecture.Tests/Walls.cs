namespace Telemetry.Architecture.Tests;

/// <summary>
/// The walls between the parts, as rules over a <see cref="ProjectGraph"/>. Each rule returns the violations it finds
/// (empty: the wall holds), so a test can show both the real graph and a graph with a forbidden reference.
/// </summary>
internal static class Walls
{
    public const string CatalogLibrary = "Telemetry.Catalog";
    public const string Runtime = "Telemetry.Runtime";
    public const string Generator = "Telemetry.Generators";
    public const string Analyzers = "Telemetry.Analyzers";
    public const string CodeFixes = "Telemetry.Analyzers.CodeFixes";
    public const string Package = "Telemetry.Generators.Package";
    public const string PackageId = "Telemetry.Generators";

    /// <summary>The compiler's API (Roslyn) as packages; analyzer-only packages such as Microsoft.CodeAnalysis.Analyzers or PublicApiAnalyzers are not it.</summary>
    public static bool IsRoslyn(string package) =>
        package is "Microsoft.CodeAnalysis" or "Microsoft.CodeAnalysis.Common" or "Microsoft.CodeAnalysis.CSharp" ||
        IsWorkspaces(package);

    /// <summary>Roslyn Workspaces (what the IDE provides; code fixes only).</summary>
    public static bool IsWorkspaces(string package) => package.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && package.Contains(".Workspaces", StringComparison.Ordinal);

    /// <summary>The catalog library references neither Roslyn nor the runtime.</summary>
    public static IEnumerable<string> CatalogLibraryIsPlain(ProjectGraph g)
    {
        var catalog = g.Named(CatalogLibrary);
        foreach (var (declarer, package) in g.PackagesInClosure(catalog).Where(x => IsRoslyn(x.Package)))
            yield return $"{CatalogLibrary} reaches Roslyn package {package} (declared by {declarer.Name})";
        foreach (var p in g.Closure(catalog).Where(p => p.Name.StartsWith(Runtime, StringComparison.Ordinal)))
            yield return $"{CatalogLibrary} references the runtime ({p.Name})";
    }

    /// <summary>The runtime (Telemetry.Runtime and its shipped Telemetry.Runtime.* packages) references neither Roslyn, YamlDotNet nor the catalog library.</summary>
    public static IEnumerable<string> RuntimeIsPlain(ProjectGraph g)
    {
        foreach (var runtime in g.Projects.Where(IsShipped).Where(p => p.Name == Runtime || p.Name.StartsWith(Runtime + ".", StringComparison.Ordinal)))
        {
            foreach (var (declarer, package) in g.PackagesInClosure(runtime).Where(x => IsRoslyn(x.Package) || x.Package == "YamlDotNet"))
                yield return $"{runtime.Name} reaches package {package} (declared by {declarer.Name})";
            foreach (var p in g.Closure(runtime).Where(p => p.Name == CatalogLibrary))
                yield return $"{runtime.Name} references the catalog library";
        }
    }

    /// <summary>Generator and analyzers both reference the catalog library and never each other (nor the code fixes).</summary>
    public static IEnumerable<string> GeneratorAndAnalyzersShareOnlyTheCatalog(ProjectGraph g)
    {
        var generator = g.Named(Generator);
        var analyzers = g.Named(Analyzers);
        var generatorClosure = g.Closure(generator).Select(p => p.Name).ToList();
        var analyzersClosure = g.Closure(analyzers).Select(p => p.Name).ToList();
        if (!generatorClosure.Contains(CatalogLibrary)) yield return $"{Generator} does not reference {CatalogLibrary}";
        if (!analyzersClosure.Contains(CatalogLibrary)) yield return $"{Analyzers} does not reference {CatalogLibrary}";
        foreach (var name in generatorClosure.Where(n => n is Analyzers or CodeFixes)) yield return $"{Generator} references {name}";
        foreach (var name in analyzersClosure.Where(n => n is Generator or CodeFixes)) yield return $"{Analyzers} references {name}";
    }

    /// <summary>Of the shipped projects (everything but tests, benchmarks and samples), only the code fixes reference Roslyn Workspaces.</summary>
    public static IEnumerable<string> OnlyCodeFixesUseWorkspaces(ProjectGraph g)
    {
        foreach (var p in g.Projects.Where(IsShipped).Where(p => p.Name != CodeFixes))
        {
            foreach (var package in p.Packages.Where(IsWorkspaces)) yield return $"{p.Name} references {package}";
        }
    }

    /// <summary>
    /// The Telemetry.Generators package is packed by the pack-only project alone: no code of its own, no build output in
    /// the package; the generator, analyzers, code fixes, catalog library and MSBuild task are not packages themselves.
    /// </summary>
    public static IEnumerable<string> PackagingIsInThePackOnlyProject(ProjectGraph g)
    {
        var packagers = g.Projects.Where(p => p.Property("PackageId") == PackageId).Select(p => p.Name).ToList();
        if (packagers.Count != 1 || packagers[0] != Package) yield return $"PackageId {PackageId} is set by [{string.Join(", ", packagers)}], not by {Package} alone";
        var package = g.Named(Package);
        if (package.HasSources) yield return $"{Package} has source files; it only packs";
        if (package.Property("IncludeBuildOutput") != "false") yield return $"{Package} does not set IncludeBuildOutput=false";
        if (package.Property("IsPackable") != "true") yield return $"{Package} is not packable";
        foreach (var name in new[] { Generator, Analyzers, CodeFixes, CatalogLibrary, "Telemetry.Generators.Tasks" })
        {
            var p = g.Named(name);
            if (p.Property("IsPackable") != "false") yield return $"{name} is packable; the package is {Package}'s job";
            if (p.Property("TargetsForTfmSpecificContentInPackage") is not null) yield return $"{name} adds package content";
        }

        var packed = g.Closure(package).Select(p => p.Name).ToList();
        foreach (var name in new[] { Generator, Analyzers, CodeFixes, CatalogLibrary, "Telemetry.Generators.Tasks" })
        {
            if (!packed.Contains(name)) yield return $"{Package} does not reference {name}, so it cannot pack it";
        }
    }

    private static bool IsShipped(ProjectFile p)
    {
        var path = p.Path.Replace('\\', '/');
        return !path.Contains("/tests/", StringComparison.Ordinal) && !path.Contains("/benchmarks/", StringComparison.Ordinal) &&
               !path.Contains("/samples/", StringComparison.Ordinal);
    }
}
