namespace Telemetry.Catalog.Tool.Tests.TestSupport;

/// <summary>Locates the repository and this test project's source folder from the test binaries.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The test project's source folder: fixtures and golden files live there, and tool runs start there.</summary>
    public static string Project => Path.Combine(Root, "tests", "Telemetry.Catalog.Tool.Tests");

    public static string Golden => Path.Combine(Project, "Golden");

    public static string Fixture(string name) => Path.Combine(Project, "Fixtures", name);

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
