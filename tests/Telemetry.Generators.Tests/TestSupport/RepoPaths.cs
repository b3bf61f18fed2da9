namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>Locates the repository (and so the shipped catalog and the checked-in snapshots) from the test binaries.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Catalog => Path.Combine(Root, "catalog");

    public static string TestProject => Path.Combine(Root, "tests", "Telemetry.Generators.Tests");

    public static string Snapshots => Path.Combine(TestProject, "Snapshots");

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
