using System.Xml.Linq;

namespace Telemetry.Architecture.Tests;

/// <summary>One project file: its package references, its project references (full paths) and its properties.</summary>
internal sealed record ProjectFile(string Path, string Name, IReadOnlyList<string> Packages, IReadOnlyList<string> ProjectReferences, IReadOnlyDictionary<string, string> Properties, bool HasSources)
{
    /// <summary>Reads <paramref name="path"/> (a .csproj).</summary>
    public static ProjectFile Read(string path)
    {
        var xml = XDocument.Load(path);
        var dir = System.IO.Path.GetDirectoryName(path)!;
        var packages = xml.Descendants().Where(e => e.Name.LocalName == "PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? (string?)e.Attribute("Update") ?? string.Empty)
            .Where(p => p.Length > 0).ToList();
        var references = xml.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, ((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/'))))
            .ToList();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in xml.Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup")) properties[p.Name.LocalName] = p.Value.Trim();
        var hasSources = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Any(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                      !f.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return new ProjectFile(path, System.IO.Path.GetFileNameWithoutExtension(path), packages, references, properties, hasSources);
    }

    public string? Property(string name) => Properties.TryGetValue(name, out var v) ? v : null;
}

/// <summary>The projects of a solution, by name, with their reference closures.</summary>
internal sealed class ProjectGraph
{
    private readonly Dictionary<string, ProjectFile> _byPath;

    public ProjectGraph(IEnumerable<ProjectFile> projects, string root)
    {
        _byPath = projects.ToDictionary(p => System.IO.Path.GetFullPath(p.Path), StringComparer.Ordinal);
        Root = root;
    }

    public IEnumerable<ProjectFile> Projects => _byPath.Values;

    /// <summary>The solution's folder: the repository root.</summary>
    public string Root { get; }

    /// <summary>The path of <paramref name="project"/> below <see cref="Root"/>, with forward slashes.</summary>
    public string RelativePath(ProjectFile project) => System.IO.Path.GetRelativePath(Root, project.Path).Replace('\\', '/');

    /// <summary>Every project file listed in <paramref name="solution"/>.</summary>
    public static ProjectGraph FromSolution(string solution)
    {
        var dir = System.IO.Path.GetDirectoryName(solution)!;
        var projects = File.ReadAllLines(solution)
            .Where(l => l.StartsWith("Project(", StringComparison.Ordinal))
            .Select(l => l.Split('"'))
            .Where(parts => parts.Length > 5 && parts[5].EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .Select(parts => ProjectFile.Read(System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, parts[5].Replace('\\', '/')))));
        return new ProjectGraph(projects, dir);
    }

    public ProjectFile Named(string name) =>
        Projects.SingleOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"No project named {name} in the solution.");

    /// <summary>The projects <paramref name="project"/> references, directly or through others (itself excluded).</summary>
    public IReadOnlyList<ProjectFile> Closure(ProjectFile project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ProjectFile>();
        var stack = new Stack<string>(project.ProjectReferences);
        while (stack.Count > 0)
        {
            var path = stack.Pop();
            if (!seen.Add(path)) continue;
            if (!_byPath.TryGetValue(path, out var p)) p = File.Exists(path) ? ProjectFile.Read(path) : throw new InvalidOperationException($"{project.Name} references {path}, which does not exist.");
            result.Add(p);
            foreach (var r in p.ProjectReferences) stack.Push(r);
        }

        return result;
    }

    /// <summary>The packages <paramref name="project"/> and every project it references declare.</summary>
    public IReadOnlyList<(ProjectFile Declarer, string Package)> PackagesInClosure(ProjectFile project) =>
        new[] { project }.Concat(Closure(project)).SelectMany(p => p.Packages.Select(pkg => (p, pkg))).ToList();
}
