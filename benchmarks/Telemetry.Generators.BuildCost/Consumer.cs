using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace Telemetry.Generators.BuildCost;

/// <summary>One console project outside the repository that references the packed packages as a user's app does.</summary>
internal sealed partial class Consumer
{
    private const string ProbePrefix = "first-track-ms=";

    /// <summary>Whether builds use the compiler server (<c>UseSharedCompilation</c>), whatever this machine's environment says.</summary>
    public static bool CompilerServer { get; set; } = true;
    private const string LibraryName = "AppCatalog";
    private readonly string _appDir;
    private readonly string _generatedDir;
    private readonly bool _catalogLibrary;
    private readonly bool _catalogAssembly;

    private Consumer(string dir, bool catalogLibrary, bool catalogAssembly)
    {
        _catalogLibrary = catalogLibrary;
        _catalogAssembly = catalogAssembly;
        _appDir = catalogLibrary ? Path.Combine(dir, "app") : dir;
        _generatedDir = Path.Combine(catalogLibrary ? Path.Combine(dir, LibraryName) : dir, "generated");
    }

    /// <summary>Packs Telemetry.Generators and Telemetry.Runtime (Release) into <paramref name="feed"/>; returns the feed.</summary>
    public static async Task<string> PackAsync(string repo, string feed, string label)
    {
        // A version of its own per run: the compiler server and NuGet never mistake one run's generator for another's.
        var version = "0.1.0-buildcost." + Regex.Replace(label, "[^0-9A-Za-z-]", "-") + "." + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        foreach (var project in new[] { "src/build/Telemetry.Generators.Package/Telemetry.Generators.Package.csproj", "src/runtime/Telemetry.Runtime/Telemetry.Runtime.csproj" })
        {
            Console.WriteLine($"   pack {project} {version}");
            var r = await Run(repo, keepPackagesFolder: true, "dotnet", "pack", Path.Combine(repo, project), "-c", "Release", "-nologo", "-v:q", "-nodeReuse:false", "-p:Version=" + version, "-o", feed);
            if (r.ExitCode != 0) throw new InvalidOperationException($"dotnet pack {project} failed:\n{r.Output}");
        }

        return feed;
    }

    public static string SdkVersion()
    {
        var r = Run(Environment.CurrentDirectory, "dotnet", "--version").GetAwaiter().GetResult();
        return r.Output.Trim();
    }

    /// <summary>
    /// The consumer in <paramref name="dir"/>. With <paramref name="catalogLibrary"/>, the catalog lives in a class library of
    /// its own (AppCatalog/, referencing both packages) that the app (app/) references with a ProjectReference, next to both
    /// packages of its own (Telemetry.Generators for the usage analyzers); otherwise the catalog is in the app's project.
    /// With <paramref name="catalogAssembly"/>, the catalog stays in the app's folder and the app sets
    /// <c>TelemetryCatalogAssembly=true</c> (the package compiles it into an assembly of its own).
    /// </summary>
    public static Consumer Create(string dir, string feed, string packages, BenchmarkCatalogs.Catalog? catalog, bool catalogLibrary = false, bool catalogAssembly = false)
    {
        Directory.CreateDirectory(dir);
        string VersionOf(string id)
        {
            var nupkg = Directory.GetFiles(feed, id + ".*.nupkg").Select(Path.GetFileNameWithoutExtension)
                .Where(n => n!.Length > id.Length + 1 && char.IsDigit(n[id.Length + 1])).OrderBy(n => n, StringComparer.Ordinal).LastOrDefault()
                ?? throw new InvalidOperationException($"No {id} package in {feed}.");
            return nupkg[(id.Length + 1)..];
        }

        Write(dir, "Directory.Build.props", "<Project />\n");
        Write(dir, "Directory.Build.targets", "<Project />\n");
        Write(dir, "Directory.Packages.props", "<Project />\n");
        Write(dir, "nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{SecurityElement.Escape(packages)}" /></config>
              <packageSources>
                <clear />
                <add key="local" value="{SecurityElement.Escape(feed)}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>

            """);
        var packageReferences = $"""
                <PackageReference Include="Telemetry.Generators" Version="{VersionOf("Telemetry.Generators")}" />
                <PackageReference Include="Telemetry.Runtime" Version="{VersionOf("Telemetry.Runtime")}" />
            """;
        var generated = (catalogAssembly ? "        <TelemetryCatalogAssembly>true</TelemetryCatalogAssembly>\n" : "") + """
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <CompilerGeneratedFilesOutputPath>generated</CompilerGeneratedFilesOutputPath>
                <NoWarn>$(NoWarn);NU1603;TEL4004</NoWarn>
            """;
        var library = catalogLibrary && catalog is not null;
        if (library)
        {
            Write(dir, Path.Combine(LibraryName, LibraryName + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                {generated}
                  </PropertyGroup>
                  <ItemGroup>
                    <Compile Remove="generated/**" />
                {packageReferences}
                  </ItemGroup>
                </Project>

                """);
            foreach (var (file, yaml) in catalog!.Files) Write(dir, Path.Combine(LibraryName, "catalog", file), yaml);
        }

        Write(library ? Path.Combine(dir, "app") : dir, "app.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
            {generated}
              </PropertyGroup>
              <ItemGroup>
                <Compile Remove="generated/**" />
            {packageReferences}
            {(library ? $"""    <ProjectReference Include="../{LibraryName}/{LibraryName}.csproj" />""" : "")}
              </ItemGroup>
            </Project>

            """);
        if (catalog is not null && !library)
        {
            foreach (var (file, yaml) in catalog.Files) Write(dir, Path.Combine("catalog", file), yaml);
        }

        var consumer = new Consumer(dir, library, catalogAssembly && catalog is not null);
        consumer.WriteProgram(catalog, 0);
        return consumer;
    }

    public async Task<BuildCostRow> MeasureAsync(string name, BenchmarkCatalogs.Catalog? catalog, int runs)
    {
        await Dotnet("restore", "-nologo", "-v:q");
        for (var i = 0; i < 2; i++) await Build();
        var times = new List<double>();
        for (var i = 1; i <= runs; i++)
        {
            WriteProgram(catalog, i);
            var sw = Stopwatch.StartNew();
            await Build();
            times.Add(sw.Elapsed.TotalSeconds);
        }

        var generated = Directory.Exists(_generatedDir) ? Directory.GetFiles(_generatedDir, "*.g.cs", SearchOption.AllDirectories) : [];
        var generatedBytes = generated.Sum(f => new FileInfo(f).Length);
        var dll = Path.Combine(_appDir, "bin", "Release", "net10.0", "app.dll");
        // With a catalog library, the app ships both assemblies: their sum is what the catalog adds.
        var dllBytes = new FileInfo(dll).Length
                       + (_catalogLibrary ? new FileInfo(Path.Combine(_appDir, "bin", "Release", "net10.0", LibraryName + ".dll")).Length : 0)
                       + (_catalogAssembly ? new FileInfo(Path.Combine(_appDir, "bin", "Release", "net10.0", "app.TelemetryCatalog.dll")).Length : 0);

        double? firstTrack = null;
        if (catalog is not null)
        {
            var samples = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var r = await Run(_appDir, "dotnet", dll);
                var line = r.Output.Split('\n').FirstOrDefault(l => l.StartsWith(ProbePrefix, StringComparison.Ordinal))
                           ?? throw new InvalidOperationException("The app did not report its first Track:\n" + r.Output);
                samples.Add(double.Parse(line[ProbePrefix.Length..].Trim(), CultureInfo.InvariantCulture));
            }

            firstTrack = Median(samples);
        }

        return new BuildCostRow(name, catalog?.Events ?? 0, catalog?.Files.Count ?? 0, Median(times), times, generatedBytes, generated.Length, dllBytes, firstTrack, _catalogLibrary, _catalogAssembly);
    }

    private void WriteProgram(BenchmarkCatalogs.Catalog? catalog, int edit)
    {
        // The edit is one line: the printed run number changes, so the compiler sees a new Program.cs every time.
        var program = catalog is null
            ? $"""
              Console.WriteLine("edit {edit}");

              """
            : $$"""
              using System.Diagnostics;
              using Telemetry.Events;
              using Telemetry.Runtime;

              Console.WriteLine("edit {{edit}}");
              using var telemetry = new InMemoryTelemetryClient(new TelemetryClientOptions { UserId = "u4", ClientVersion = "1.0.0" });
              var clock = Stopwatch.StartNew();
              telemetry.{{catalog.ProbeCall}};
              var elapsed = clock.Elapsed.TotalMilliseconds;
              if (telemetry.Events.Count != 1) throw new InvalidOperationException("The probe event was not tracked.");
              Console.WriteLine("{{ProbePrefix}}" + elapsed.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));

              """;
        Write(_appDir, "Program.cs", program);
    }

    // Builds the app (and, through its ProjectReference, the catalog library when there is one) from the app's folder.
    private async Task Build()
    {
        await Dotnet("build", "-c", "Release", "--no-restore", "-nologo", "-v:q", "-nodeReuse:false");
    }

    private async Task Dotnet(params string[] args)
    {
        var r = await Run(_appDir, "dotnet", args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed in {_appDir}:\n{r.Output}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Write(string dir, string relative, string text)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    private static Task<(int ExitCode, string Output)> Run(string dir, string file, params string[] args) => Run(dir, keepPackagesFolder: false, file, args);

    private static async Task<(int ExitCode, string Output)> Run(string dir, bool keepPackagesFolder, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) psi.Environment.Remove(key);
        // The consumers' nuget.config names their own packages folder; packing restores the repository from the usual one.
        if (!keepPackagesFolder) psi.Environment.Remove("NUGET_PACKAGES");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        psi.Environment["MSBUILDTERMINALLOGGER"] = "off";
        psi.Environment["UseSharedCompilation"] = CompilerServer ? "true" : "false";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }
}
