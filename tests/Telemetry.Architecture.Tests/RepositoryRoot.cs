namespace Telemetry.Architecture.Tests;

/// <summary>The repository's solution, found above the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Solution { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) dir = dir.Parent;
        return dir is null
            ? throw new InvalidOperationException("Telemetry.Generators.sln not found above " + AppContext.BaseDirectory)
            : Path.Combine(dir.FullName, "Telemetry.Generators.sln");
    }
}
