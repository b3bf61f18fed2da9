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

    /// <summary>The folder of each part below <c>src/</c> (docs/architecture.md, "The parts").</summary>
    public static readonly IReadOnlyList<string> PartFolders = ["src/catalog", "src/build", "src/runtime", "src/ingest", "src/tools"];

    /// <summary>The part a product project belongs to, by its name; null when its name names no part.</summary>
    public static string? PartOf(string name) => name switch
    {
        CatalogLibrary => "src/catalog",
        _ when name.EndsWith(".Tool", StringComparison.Ordinal) => "src/tools",
        _ when name == Generator || name.StartsWith(Generator + ".", StringComparison.Ordinal) ||
               name == Analyzers || name.StartsWith(Analyzers + ".", StringComparison.Ordinal) => "src/build",
        _ when name == Runtime || name.StartsWith(Runtime + ".", StringComparison.Ordinal) => "src/runtime",
        _ when name == "Telemetry.Ingest" || name.StartsWith("Telemetry.Ingest.", StringComparison.Ordinal) => "src/ingest",
        _ => null,
    };

    /// <summary>
    /// The layout shows the architecture: a product project sits in its part's folder (<c>src/&lt;part&gt;/&lt;Name&gt;/</c>,
    /// the part read from its name), a test project (named <c>*.Tests</c>) in <c>tests/</c>, a benchmark (BenchmarkDotNet)
    /// in <c>benchmarks/</c>, anything else in <c>samples/</c>; each in a folder named like the project; only product
    /// projects are packable; and every project file below the root is in the solution, so none escapes these rules.
    /// </summary>
    public static IEnumerable<string> ProjectsLiveInTheirPartsFolder(ProjectGraph g)
    {
        foreach (var p in g.Projects.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var path = g.RelativePath(p);
            var segments = path.Split('/');
            var top = segments[0];
            var folder = segments.Length > 1 ? segments[^2] : "";
            if (folder != p.Name) yield return $"{p.Name} is in {path}: its folder is not named like the project";
            var isTest = p.Name.EndsWith(".Tests", StringComparison.Ordinal);
            var isBenchmark = p.Packages.Contains("BenchmarkDotNet");
            switch (top)
            {
                case "src":
                    var part = PartOf(p.Name);
                    var partFolder = segments.Length == 4 ? segments[0] + "/" + segments[1] : null;
                    if (part is null) yield return $"{p.Name} is in {path}, but its name names no part (src/ holds product projects only)";
                    else if (partFolder != part) yield return $"{p.Name} is in {path}; its part's folder is {part}";
                    if (isTest) yield return $"test project {p.Name} is in {path}, not under tests/";
                    if (isBenchmark) yield return $"benchmark {p.Name} is in {path}, not under benchmarks/";
                    break;
                case "tests" or "benchmarks" or "samples":
                    if (segments.Length != 3) yield return $"{p.Name} is in {path}, not directly below {top}/";
                    if (isTest != (top == "tests")) yield return isTest ? $"test project {p.Name} is in {path}, not under tests/" : $"{p.Name} is under tests/ but is not named *.Tests";
                    if (isBenchmark && top != "benchmarks") yield return $"benchmark {p.Name} is in {path}, not under benchmarks/";
                    if (p.Property("IsPackable") == "true") yield return $"{p.Name} is packable but lives in {top}/; packages come from src/<part>";
                    break;
                default:
                    yield return $"{p.Name} is in {path}, outside src/, tests/, benchmarks/ and samples/";
                    break;
            }
        }

        var listed = g.Projects.Select(p => System.IO.Path.GetFullPath(p.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in ProjectFilesBelow(g.Root).Where(f => !listed.Contains(f)))
            yield return $"{System.IO.Path.GetRelativePath(g.Root, file).Replace('\\', '/')} is not in the solution";
    }

    /// <summary>
    /// The libraries users compile against (packable, with build output, not a tool) keep a public API baseline: they set
    /// <c>TelemetryPublicApi=true</c> and have <c>PublicAPI.Shipped.txt</c> and <c>PublicAPI.Unshipped.txt</c> beside
    /// the project file, so a change of their public surface that is not recorded fails the build (RS0016/RS0017).
    /// </summary>
    public static IEnumerable<string> PublicLibrariesHaveApiBaselines(ProjectGraph g)
    {
        foreach (var p in g.Projects.Where(IsPublicLibrary).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (p.Property("TelemetryPublicApi") != "true") yield return $"{p.Name} is a public library but does not set TelemetryPublicApi=true";
            foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
            {
                if (!File.Exists(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(p.Path)!, file))) yield return $"{p.Name} has no {file}";
            }
        }
    }

    /// <summary>A package whose assembly users compile against: packable, with build output, not a .NET tool.</summary>
    public static bool IsPublicLibrary(ProjectFile p) =>
        p.Property("IsPackable") == "true" && p.Property("PackAsTool") != "true" && p.Property("IncludeBuildOutput") != "false";

    private static IEnumerable<string> ProjectFilesBelow(string root)
    {
        var skip = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "artifacts", "TestResults", "BenchmarkDotNet.Artifacts", "node_modules" };
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(dir, "*.csproj")) yield return System.IO.Path.GetFullPath(file);
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var name = System.IO.Path.GetFileName(sub);
                if (!name.StartsWith('.') && !skip.Contains(name)) pending.Push(sub);
            }
        }
    }

    private static bool IsShipped(ProjectFile p)
    {
        var path = p.Path.Replace('\\', '/');
        return !path.Contains("/tests/", StringComparison.Ordinal) && !path.Contains("/benchmarks/", StringComparison.Ordinal) &&
               !path.Contains("/samples/", StringComparison.Ordinal);
    }
}
