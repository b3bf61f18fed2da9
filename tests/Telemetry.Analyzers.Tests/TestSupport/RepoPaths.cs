namespace Telemetry.Analyzers.Tests.TestSupport;

/// <summary>Locates the repository from the test binaries.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Catalog => Path.Combine(Root, "catalog");

    /// <summary>The shipped catalog files, ordered by name.</summary>
    public static IReadOnlyList<string> ShippedCatalogs { get; } =
        Directory.GetFiles(Path.Combine(FindRoot(), "catalog"), "*.yaml").OrderBy(p => p, StringComparer.Ordinal).ToArray();

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
