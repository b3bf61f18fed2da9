using System.Reflection;

namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Repository root (Telemetry.Generators.sln) not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Catalog => Path.Combine(Root, "catalog");

    /// <summary>The built sample server (the test project references it, so it is built first).</summary>
    public static string IngestServerDll =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "IngestServerDll").Value!;
}
