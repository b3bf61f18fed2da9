using System.Globalization;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>
/// Packs Telemetry.Generators and Telemetry.Runtime once per test run into a local feed in a fresh temporary
/// folder outside the repository. The version is unique per run, and consumers restore into a private
/// packages folder, so no NuGet cache can hand a test a stale copy. The build itself goes to a private
/// artifacts folder, leaving the repository's bin/ and obj/ untouched.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    public PackedPackages()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Version = "0.1.0-test." + stamp;
        Root = Path.Combine(Path.GetTempPath(), "telemetry-package-tests", stamp + "-" + Guid.NewGuid().ToString("N")[..8]);
        if (RepoPaths.IsInside(Root)) throw new InvalidOperationException($"The temporary folder {Root} is inside the repository {RepoPaths.Root}.");
    }

    /// <summary>The unique package version of this run, e.g. <c>0.1.0-test.20261123120000123</c>.</summary>
    public string Version { get; }

    /// <summary>Everything the run writes lives below this folder.</summary>
    public string Root { get; }

    /// <summary>The local feed holding the two .nupkg files.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The consumers' private NuGet global packages folder.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    public string GeneratorPackage => Path.Combine(Feed, $"Telemetry.Generators.{Version}.nupkg");

    public string RuntimePackage => Path.Combine(Feed, $"Telemetry.Runtime.{Version}.nupkg");

    /// <summary>The sources the machine normally restores from (the consumers' second source, after the feed).</summary>
    public IReadOnlyList<(string Name, string Url)> MachineSources { get; private set; } = Array.Empty<(string, string)>();

    /// <summary>The pack commands and their output.</summary>
    internal IReadOnlyList<ProcessResult> PackResults { get; private set; } = Array.Empty<ProcessResult>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(PackagesFolder);

        // The two projects share no project reference, so they can build side by side.
        var packs = await Task.WhenAll(Pack(RepoPaths.GeneratorProject, "generator"), Pack(RepoPaths.RuntimeProject, "runtime")).ConfigureAwait(false);
        PackResults = packs;
        foreach (var pack in packs)
        {
            if (!pack.Succeeded) throw new InvalidOperationException("dotnet pack failed." + Environment.NewLine + pack);
        }

        foreach (var package in new[] { GeneratorPackage, RuntimePackage })
        {
            if (!File.Exists(package)) throw new InvalidOperationException($"{package} was not created." + Environment.NewLine + string.Join(Environment.NewLine, packs));
        }

        MachineSources = await NuGetSources.EnabledAsync(RepoPaths.Root).ConfigureAwait(false);
    }

    public Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("TELEMETRY_KEEP_PACKAGE_TEST") != "1")
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not worth failing the run for.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return Task.CompletedTask;
    }

    private Task<ProcessResult> Pack(string project, string artifactsName) =>
        DotnetCli.RunAsync(
            RepoPaths.Root,
            new[]
            {
                "pack", project,
                "--configuration", "Release",
                "--output", Feed,
                "--artifacts-path", Path.Combine(Root, "artifacts", artifactsName),
                "-p:Version=" + Version,
            }.Concat(DotnetCli.NoBuildServers));
}
