namespace Telemetry.Runtime.Browser.Tests.TestSupport;

internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Catalog => Path.Combine(Root, "catalog");

    /// <summary>Where tests leave screenshots and figures: $TELEMETRY_TEST_ARTIFACTS, else artifacts/browser-tests in the repository.</summary>
    public static string Artifacts(string name)
    {
        var root = Environment.GetEnvironmentVariable("TELEMETRY_TEST_ARTIFACTS") is { Length: > 0 } configured ? configured : Path.Combine(Root, "artifacts", "browser-tests");
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Repository root (Telemetry.Generators.sln) not found above " + AppContext.BaseDirectory);
    }
}
