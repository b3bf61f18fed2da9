namespace Telemetry.Package.Tests;

/// <summary>
/// <c>TelemetryCatalogAssembly=true</c> in a fresh app built from the packed packages: the catalog in the app's own folder is
/// compiled into an assembly of its own, rebuilt only when the catalog changes; the app tracks its events, its usage
/// analyzers still check the Track calls, catalog errors still fail the build at their YAML lines, an edit of the app's code
/// leaves the catalog's assembly alone, an edit of the catalog rebuilds it, and the published app carries it.
/// </summary>
public sealed class CatalogAssemblyPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    private const string Catalog = Catalogs.ShopTwoEvents;

    private const string Program = Catalogs.ShopTwoEventsProgram;

    private const string Property = "-p:TelemetryCatalogAssembly=true";
    private const string Emit = "-p:EmitCompilerGeneratedFiles=true";

    [Fact]
    public async Task CatalogAssembly_TracksTheEvents_KeepsTheAnalyzers_AndOnlyACatalogEditRebuildsIt()
    {
        var app = ConsumerProject.Create(Packages, "ShopCatalogAssemblyApp", Program);
        app.WriteFile("catalog/shop.yaml", Catalog);

        var build = await Log(app.BuildAsync(Property, Emit));
        ProcessAssert.Succeeded(build);
        ProcessAssert.NoAnalyzerFailures(build);
        Assert.True(app.GeneratedFiles().Length > 0, "EmitCompilerGeneratedFiles wrote no generated file of the catalog." + Environment.NewLine + build);
        ProcessAssert.OutputContains(build, "Program.cs(6,25): warning TEL4002"); // the usage analyzers run in the app
        ProcessAssert.OutputDoesNotContain(build, "CS0436"); // the catalog's types exist once, in the catalog's assembly
        var catalogDll = app.IntermediatePath("telemetry-catalog", app.Name + ".TelemetryCatalog.dll");
        var appDll = app.IntermediatePath(app.Name + ".dll");
        Assert.True(File.Exists(catalogDll), "No catalog assembly." + Environment.NewLine + build);
        Assert.True(File.Exists(Path.Combine(app.Directory, "bin", "Debug", "net10.0", app.Name + ".TelemetryCatalog.dll")), "The catalog assembly was not copied to the output.");

        var run = await Log(app.RunAsync());
        ProcessAssert.Succeeded(run);
        ProcessAssert.OutputContains(run, "\"event\":\"shop.checkout\"");
        ProcessAssert.OutputContains(run, "\"method\":\"card\"");
        ProcessAssert.OutputContains(run, "\"event\":\"shop.note\"");

        // An edit of the app's code recompiles the app only.
        var catalogWritten = File.GetLastWriteTimeUtc(catalogDll);
        var appWritten = File.GetLastWriteTimeUtc(appDll);
        app.WriteFile("Program.cs", Program + "Console.WriteLine(\"edited\");\n");
        var rebuild = await Log(app.BuildAsync(Property));
        ProcessAssert.Succeeded(rebuild);
        Assert.True(File.GetLastWriteTimeUtc(appDll) > appWritten, "The app was not recompiled after its edit." + Environment.NewLine + rebuild);
        Assert.True(File.GetLastWriteTimeUtc(catalogDll) == catalogWritten, "The catalog assembly was recompiled after an edit of the app's code only." + Environment.NewLine + rebuild);
        ProcessAssert.OutputContains(rebuild, "Program.cs(6,25): warning TEL4002");

        // An edit of the catalog rebuilds its assembly, and the app sees the new event.
        app.WriteFile("catalog/shop.yaml", Catalog + """
              refund:
                description: The user asked for a refund.
                properties:
                  total:
                    type: decimal
                    description: Amount refunded.

            """);
        app.WriteFile("Program.cs", Program.Replace("foreach", "telemetry.TrackShopRefund(3m);\nforeach", StringComparison.Ordinal));
        var afterCatalogEdit = await Log(app.BuildAsync(Property));
        ProcessAssert.Succeeded(afterCatalogEdit);
        Assert.True(File.GetLastWriteTimeUtc(catalogDll) > catalogWritten, "The catalog assembly was not rebuilt after a catalog edit." + Environment.NewLine + afterCatalogEdit);
        var rerun = await Log(app.RunAsync());
        ProcessAssert.Succeeded(rerun);
        ProcessAssert.OutputContains(rerun, "\"event\":\"shop.refund\"");

        // Published, the app carries the catalog's assembly and runs from the publish folder.
        var publishDir = Path.Combine(app.Directory, "out");
        var publish = await Log(app.DotnetAsync(["publish", "-c", "Release", "-o", publishDir, Property, .. DotnetCli.NoBuildServers]));
        ProcessAssert.Succeeded(publish);
        Assert.True(File.Exists(Path.Combine(publishDir, app.Name + ".TelemetryCatalog.dll")), "The published app lacks the catalog assembly." + Environment.NewLine + publish);
        var published = await Log(DotnetCli.RunAsync(publishDir, [Path.Combine(publishDir, app.Name + ".dll")], new Dictionary<string, string?>()));
        ProcessAssert.Succeeded(published);
        ProcessAssert.OutputContains(published, "\"event\":\"shop.refund\"");
    }

    [Fact]
    public async Task CatalogAssembly_ABrokenCatalogFailsTheBuildAtItsYamlLine()
    {
        const string broken = Catalogs.UnsampledHighFrequency;
        var app = ConsumerProject.Create(Packages, "BrokenCatalogAssemblyApp", "Console.WriteLine(\"no generated code used\");\n");
        app.WriteFile("catalog/chart.yaml", broken);

        var failed = await Log(app.BuildAsync(Property));
        ProcessAssert.Failed(failed);
        var (line, column) = YamlPosition.Of(broken, "crosshair_move:");
        ProcessAssert.OutputContains(failed, $"catalog/chart.yaml({line},{column}): error TEL2001");

        // Failing again without a change: the failed compile left no assembly behind that would make the next build skip it.
        var again = await Log(app.BuildAsync(Property));
        ProcessAssert.Failed(again);
        ProcessAssert.OutputContains(again, $"catalog/chart.yaml({line},{column}): error TEL2001");
    }
}
