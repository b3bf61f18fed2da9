using System.Globalization;
using System.Text.RegularExpressions;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>
/// The packages a user installs, in a local feed, once per test run. When <c>TELEMETRY_PACKAGE_FEED</c> names a folder
/// (<c>.ci/run</c> sets it to the <c>artifacts/packages</c> that <c>dotnet pack</c> at the root just filled), the tests
/// consume those very files. Otherwise every packable project is packed into a fresh temporary folder outside the
/// repository with a version unique to the run. Either way consumers restore into a private packages folder, so no
/// NuGet cache can hand a test a stale copy, and builds go to a private artifacts folder.
/// </summary>
public sealed partial class PackedPackages : IAsyncLifetime
{
    /// <summary>The packages <c>dotnet pack</c> at the repository root must produce.</summary>
    public static readonly IReadOnlyList<string> Ids = new[]
    {
        "Telemetry.Generators", "Telemetry.Runtime", "Telemetry.Runtime.Browser", "Telemetry.Ingest", "Telemetry.Ingest.Prometheus", "Telemetry.Catalog.Tool",
    };

    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private readonly string? _givenFeed = Environment.GetEnvironmentVariable("TELEMETRY_PACKAGE_FEED") is { Length: > 0 } f ? Path.GetFullPath(f) : null;
    private readonly string _stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public PackedPackages()
    {
        Root = Path.Combine(Path.GetTempPath(), "telemetry-package-tests", _stamp + "-" + Guid.NewGuid().ToString("N")[..8]);
        if (RepoPaths.IsInside(Root)) throw new InvalidOperationException($"The temporary folder {Root} is inside the repository {RepoPaths.Root}.");
    }

    /// <summary>The version of Telemetry.Generators and Telemetry.Runtime (the repository's one version).</summary>
    public string Version => VersionOf("Telemetry.Runtime");

    /// <summary>Everything the run writes lives below this folder.</summary>
    public string Root { get; }

    /// <summary>The local feed holding the .nupkg and .snupkg files.</summary>
    public string Feed => _givenFeed ?? Path.Combine(Root, "feed");

    /// <summary>True when the feed is the one the root <c>dotnet pack</c> filled (real versions), not this run's own.</summary>
    public bool IsReleaseFeed => _givenFeed is not null;

    /// <summary>The consumers' private NuGet global packages folder.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    public string GeneratorPackage => PackageFile("Telemetry.Generators");

    public string RuntimePackage => PackageFile("Telemetry.Runtime");

    /// <summary>The sources the machine normally restores from (the consumers' second source, after the feed).</summary>
    public IReadOnlyList<(string Name, string Url)> MachineSources { get; private set; } = Array.Empty<(string, string)>();

    /// <summary>The pack command and its output (none when the feed was given).</summary>
    internal IReadOnlyList<ProcessResult> PackResults { get; private set; } = Array.Empty<ProcessResult>();

    /// <summary>The version of package <paramref name="id"/> in the feed.</summary>
    public string VersionOf(string id) => _versions.TryGetValue(id, out var v) ? v : throw new InvalidOperationException($"{id} is not in the feed {Feed}.");

    /// <summary>The .nupkg of <paramref name="id"/>.</summary>
    public string PackageFile(string id) => Path.Combine(Feed, $"{id}.{VersionOf(id)}.nupkg");

    /// <summary>The .snupkg of <paramref name="id"/> (may not exist).</summary>
    public string SymbolsFile(string id) => Path.Combine(Feed, $"{id}.{VersionOf(id)}.snupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(PackagesFolder);
        if (_givenFeed is null)
        {
            Directory.CreateDirectory(Feed);
            var pack = await Pack().ConfigureAwait(false);
            PackResults = new[] { pack };
            if (!pack.Succeeded) throw new InvalidOperationException("dotnet pack failed." + Environment.NewLine + pack);
        }

        foreach (var file in Directory.EnumerateFiles(Feed, "*.nupkg"))
        {
            var match = PackageFileName().Match(Path.GetFileName(file));
            if (match.Success && Ids.Contains(match.Groups["id"].Value))
            {
                var id = match.Groups["id"].Value;
                if (_versions.TryGetValue(id, out var other)) throw new InvalidOperationException($"The feed {Feed} holds {id} {other} and {match.Groups["version"].Value}; pack into an empty folder.");
                _versions[id] = match.Groups["version"].Value;
            }
        }

        var missing = Ids.Where(id => !_versions.ContainsKey(id)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"The feed {Feed} lacks {string.Join(", ", missing)}." + Environment.NewLine + string.Join(Environment.NewLine, PackResults));

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

    /// <summary>Packs every packable project in one build, through a solution filter of the repository's solution.</summary>
    private Task<ProcessResult> Pack()
    {
        var filter = Path.Combine(Root, "packages.slnf");
        var projects = RepoPaths.PackableProjects.Select(p => Path.GetRelativePath(RepoPaths.Root, p).Replace('\\', '/')).ToArray();
        File.WriteAllText(filter, System.Text.Json.JsonSerializer.Serialize(new { solution = new { path = RepoPaths.Solution, projects } }));
        return DotnetCli.RunAsync(
            RepoPaths.Root,
            new[]
            {
                "pack", filter,
                "--configuration", "Release",
                "--artifacts-path", Path.Combine(Root, "artifacts"),
                "-p:PackageOutputPath=" + Feed + Path.DirectorySeparatorChar,
                "-p:Version=0.1.0-test." + _stamp,
            }.Concat(DotnetCli.NoBuildServers),
            timeout: TimeSpan.FromMinutes(15));
    }

    [GeneratedRegex(@"^(?<id>.+?)\.(?<version>\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex PackageFileName();
}
