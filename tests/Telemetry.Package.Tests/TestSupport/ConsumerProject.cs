using System.Security;
using System.Text;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>
/// A console project outside the repository that references the packed packages the way a user would:
/// its own empty Directory.Build.props/.targets and Directory.Packages.props (so the repository's are
/// never picked up), a nuget.config with only the local feed and the machine's normal sources, and the
/// run's private packages folder.
/// </summary>
internal sealed class ConsumerProject
{
    private readonly PackedPackages _packages;

    private readonly string _sdk;
    private readonly IReadOnlyList<string> _packageIds;
    private readonly bool _library;
    private readonly IReadOnlyList<ConsumerProject> _projectReferences;

    private ConsumerProject(PackedPackages packages, string directory, string name, string sdk, IReadOnlyList<string> packageIds, bool library, IReadOnlyList<ConsumerProject> projectReferences)
    {
        _packages = packages;
        Directory = directory;
        Name = name;
        _sdk = sdk;
        _packageIds = packageIds;
        _library = library;
        _projectReferences = projectReferences;
    }

    /// <summary>Telemetry.Generators and Telemetry.Runtime: what an app that tracks events adds.</summary>
    public static readonly IReadOnlyList<string> TrackingPackages = new[] { "Telemetry.Generators", "Telemetry.Runtime" };

    /// <summary>The project folder (also the folder of its build files and nuget.config).</summary>
    public string Directory { get; }

    /// <summary>The project's (and its assembly's) name.</summary>
    public string Name { get; }

    /// <summary>The project file.</summary>
    public string ProjectPath => Path.Combine(Directory, Name + ".csproj");

    /// <summary>A path below the Debug build's intermediate folder (<c>obj/Debug/net10.0</c>).</summary>
    public string IntermediatePath(params string[] relative) => Path.Combine([Directory, "obj", "Debug", "net10.0", .. relative]);

    /// <summary>The catalog generator's files a Debug build wrote with <c>EmitCompilerGeneratedFiles=true</c> (none when it wrote none).</summary>
    public string[] GeneratedFiles()
    {
        var dir = IntermediatePath("generated", "Telemetry.Generators");
        return System.IO.Directory.Exists(dir) ? System.IO.Directory.GetFiles(dir, "*.g.cs", SearchOption.AllDirectories) : [];
    }

    /// <summary>Creates <c>consumers/<paramref name="name"/></c> below the run's folder with a Program.cs.</summary>
    /// <param name="packages">The feed.</param>
    /// <param name="name">Project (and folder) name.</param>
    /// <param name="program">Program.cs.</param>
    /// <param name="packageIds">The packages referenced, at the feed's versions; <see cref="TrackingPackages"/> when null.</param>
    /// <param name="sdk">The project SDK, e.g. <c>Microsoft.NET.Sdk.Web</c>.</param>
    /// <param name="library">A class library instead of a console app (<paramref name="program"/> is then its one source file).</param>
    /// <param name="projectReferences">Consumers (below the same folder) this one references with a ProjectReference.</param>
    public static ConsumerProject Create(
        PackedPackages packages, string name, string program, IReadOnlyList<string>? packageIds = null, string sdk = "Microsoft.NET.Sdk",
        bool library = false, IReadOnlyList<ConsumerProject>? projectReferences = null)
    {
        var directory = Path.Combine(packages.Root, "consumers", name);
        System.IO.Directory.CreateDirectory(directory);
        var project = new ConsumerProject(packages, directory, name, sdk, packageIds ?? TrackingPackages, library, projectReferences ?? Array.Empty<ConsumerProject>());
        project.WriteFile("Directory.Build.props", "<Project />\n");
        project.WriteFile("Directory.Build.targets", "<Project />\n");
        project.WriteFile("Directory.Packages.props", "<Project />\n");
        project.WriteFile("nuget.config", NuGetConfigFor(packages));
        project.WriteFile(name + ".csproj", project.ProjectFile());
        project.WriteFile(library ? name + ".cs" : "Program.cs", program);
        return project;
    }

    /// <summary>Writes (or overwrites) a file given relative to the project folder, with '/' separators.</summary>
    public void WriteFile(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath.Replace('/', Path.DirectorySeparatorChar));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary><c>dotnet build</c>, plus any extra arguments such as <c>-p:TelemetryStrict=true</c>.</summary>
    public Task<ProcessResult> BuildAsync(params string[] arguments) =>
        DotnetAsync(new[] { "build" }.Concat(DotnetCli.NoBuildServers).Concat(arguments));

    /// <summary><c>dotnet run --no-build</c>.</summary>
    public Task<ProcessResult> RunAsync() => DotnetAsync(new[] { "run", "--no-build" });

    /// <summary>Any <c>dotnet</c> command in the project folder, with the run's private packages folder.</summary>
    public Task<ProcessResult> DotnetAsync(IEnumerable<string> arguments) =>
        DotnetCli.RunAsync(Directory, arguments, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _packages.PackagesFolder });

    private string PackageReferences() => string.Concat(_packageIds.Select(id =>
        $"    <PackageReference Include=\"{Xml(id)}\" Version=\"{Xml(_packages.VersionOf(id))}\" />\n")) +
        string.Concat(_projectReferences.Select(p => $"    <ProjectReference Include=\"{Xml(p.ProjectPath)}\" />\n"));

    private string ProjectFile() => $"""
        <Project Sdk="{_sdk}">
          <PropertyGroup>
            <OutputType>{(_library ? "Library" : "Exe")}</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <RestorePackagesPath>{Xml(_packages.PackagesFolder)}</RestorePackagesPath>
            <!-- The package registry reachable here lacks some exact lower bounds; NuGet takes the next version. -->
            <NoWarn>$(NoWarn);NU1603</NoWarn>
          </PropertyGroup>
          <ItemGroup>
        {PackageReferences()}  </ItemGroup>
        </Project>

        """;

    /// <summary>A nuget.config with the local feed first, then the machine's sources.</summary>
    public static string NuGetConfigFor(PackedPackages packages, bool feedOnly = false)
    {
        var sources = new StringBuilder();
        sources.AppendLine($"""    <add key="telemetry-local-feed" value="{Xml(packages.Feed)}" />""");
        foreach (var (name, url) in feedOnly ? Array.Empty<(string, string)>() : packages.MachineSources)
        {
            sources.AppendLine($"""    <add key="{Xml(name)}" value="{Xml(url)}" />""");
        }

        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Xml(packages.PackagesFolder)}" />
              </config>
              <packageSources>
                <clear />
            {sources}  </packageSources>
            </configuration>

            """;
    }

    private static string Xml(string value) => SecurityElement.Escape(value);
}
