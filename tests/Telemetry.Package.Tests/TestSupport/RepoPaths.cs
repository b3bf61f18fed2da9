namespace Telemetry.Package.Tests.TestSupport;

/// <summary>Locates the repository from the test binaries: the first folder above them holding Telemetry.Generators.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string GeneratorProject => Path.Combine(Root, "src", "build", "Telemetry.Generators.Package", "Telemetry.Generators.Package.csproj");

    public static string RuntimeProject => Path.Combine(Root, "src", "runtime", "Telemetry.Runtime", "Telemetry.Runtime.csproj");

    public static string Solution => Path.Combine(Root, "Telemetry.Generators.sln");

    /// <summary>The projects that are packages (the ones <c>dotnet pack</c> at the root turns into .nupkg files).</summary>
    public static IReadOnlyList<string> PackableProjects { get; } = new[]
    {
        GeneratorProject,
        RuntimeProject,
        Path.Combine(Root, "src", "runtime", "Telemetry.Runtime.Browser", "Telemetry.Runtime.Browser.csproj"),
        Path.Combine(Root, "src", "ingest", "Telemetry.Ingest", "Telemetry.Ingest.csproj"),
        Path.Combine(Root, "src", "ingest", "Telemetry.Ingest.Prometheus", "Telemetry.Ingest.Prometheus.csproj"),
        Path.Combine(Root, "src", "tools", "Telemetry.Catalog.Tool", "Telemetry.Catalog.Tool.csproj"),
    };

    /// <summary>True when <paramref name="path"/> is the repository root or inside it.</summary>
    public static bool IsInside(string path)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root)) + Path.DirectorySeparatorChar;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Telemetry.Generators.sln not found above " + AppContext.BaseDirectory);
    }
}
