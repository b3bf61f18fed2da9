namespace Telemetry.Package.Tests;

/// <summary>
/// Telemetry.Catalog.Tool as a user installs it: <c>dotnet tool install --tool-path</c> from the local feed alone (a
/// nuget.config with no other source), then <c>telemetry-catalog lint</c> on a good and a broken catalog.
/// </summary>
public sealed class ToolPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    [Fact]
    public async Task ToolInstalledFromTheFeed_LintsAGoodCatalog_AndReportsABrokenOneAtItsLine()
    {
        var root = Path.Combine(Packages.Root, "tool");
        var toolPath = Path.Combine(root, "bin");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "nuget.config"), ConsumerProject.NuGetConfigFor(Packages, feedOnly: true));

        var install = await Log(DotnetCli.RunAsync(root, new[]
        {
            "tool", "install", "Telemetry.Catalog.Tool",
            "--tool-path", toolPath,
            "--version", Packages.VersionOf("Telemetry.Catalog.Tool"),
            "--configfile", Path.Combine(root, "nuget.config"),
        }, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Packages.PackagesFolder }));
        ProcessAssert.Succeeded(install);
        var tool = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "telemetry-catalog.exe" : "telemetry-catalog");
        Assert.True(File.Exists(tool), "The tool's command was not installed." + Environment.NewLine + install);

        var good = Path.Combine(root, "good", "catalog");
        Directory.CreateDirectory(good);
        File.WriteAllText(Path.Combine(good, "watchlist.yaml"), Catalogs.Watchlist);
        var lint = await Log(ProcessRunner.RunAsync(tool, new[] { "lint" }, Path.Combine(root, "good")));
        ProcessAssert.Succeeded(lint);
        ProcessAssert.OutputContains(lint, "1 file, 1 event, 0 metrics: 0 errors");

        const string broken = Catalogs.UnsampledHighFrequency;
        var bad = Path.Combine(root, "bad", "catalog");
        Directory.CreateDirectory(bad);
        File.WriteAllText(Path.Combine(bad, "chart.yaml"), broken);
        var failed = await Log(ProcessRunner.RunAsync(tool, new[] { "lint" }, Path.Combine(root, "bad")));
        Assert.True(failed.ExitCode == 1, "Expected exit code 1 on catalog errors." + Environment.NewLine + failed);
        var (line, column) = YamlPosition.Of(broken, "crosshair_move:");
        ProcessAssert.OutputContains(failed, $"catalog/chart.yaml({line},{column}): error TEL2001");
    }
}
