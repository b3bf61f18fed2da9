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

    private ConsumerProject(PackedPackages packages, string directory)
    {
        _packages = packages;
        Directory = directory;
    }

    /// <summary>The project folder (also the folder of its build files and nuget.config).</summary>
    public string Directory { get; }

    /// <summary>Creates <c>consumers/<paramref name="name"/></c> below the run's folder with a Program.cs.</summary>
    public static ConsumerProject Create(PackedPackages packages, string name, string program)
    {
        var directory = Path.Combine(packages.Root, "consumers", name);
        System.IO.Directory.CreateDirectory(directory);
        var project = new ConsumerProject(packages, directory);
        project.WriteFile("Directory.Build.props", "<Project />\n");
        project.WriteFile("Directory.Build.targets", "<Project />\n");
        project.WriteFile("Directory.Packages.props", "<Project />\n");
        project.WriteFile("nuget.config", project.NuGetConfig());
        project.WriteFile(name + ".csproj", project.ProjectFile());
        project.WriteFile("Program.cs", program);
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

    private Task<ProcessResult> DotnetAsync(IEnumerable<string> arguments) =>
        DotnetCli.RunAsync(Directory, arguments, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _packages.PackagesFolder });

    private string ProjectFile() => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <RestorePackagesPath>{Xml(_packages.PackagesFolder)}</RestorePackagesPath>
            <!-- The package registry reachable here lacks some exact lower bounds; NuGet takes the next version. -->
            <NoWarn>$(NoWarn);NU1603</NoWarn>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Telemetry.Generators" Version="{Xml(_packages.Version)}" />
            <PackageReference Include="Telemetry.Runtime" Version="{Xml(_packages.Version)}" />
          </ItemGroup>
        </Project>

        """;

    private string NuGetConfig()
    {
        var sources = new StringBuilder();
        sources.AppendLine($"""    <add key="telemetry-local-feed" value="{Xml(_packages.Feed)}" />""");
        foreach (var (name, url) in _packages.MachineSources)
        {
            sources.AppendLine($"""    <add key="{Xml(name)}" value="{Xml(url)}" />""");
        }

        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Xml(_packages.PackagesFolder)}" />
              </config>
              <packageSources>
                <clear />
            {sources}  </packageSources>
            </configuration>

            """;
    }

    private static string Xml(string value) => SecurityElement.Escape(value);
}
