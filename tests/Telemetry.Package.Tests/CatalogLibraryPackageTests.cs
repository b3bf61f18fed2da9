namespace Telemetry.Package.Tests;

/// <summary>
/// A catalog in a class library of its own (both packages, the catalog YAML) that an app references with a
/// ProjectReference: the app tracks the library's events, the usage analyzers still check its Track calls (they read the
/// generated types' attributes in the referenced assembly), the catalog's code is generated in the library only, and an
/// edit of the app does not recompile the library. The analyzers reach the app through the library's plain
/// PackageReference (the app then needs only Telemetry.Runtime), but not through the <c>PrivateAssets="all"</c> one that
/// <c>dotnet add package</c> writes for this development dependency: then the app adds Telemetry.Generators itself.
/// </summary>
public sealed class CatalogLibraryPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    private const string Catalog = Catalogs.ShopTwoEvents;

    private const string Program = Catalogs.ShopTwoEventsProgram;

    [Fact]
    public async Task AppReferencingACatalogLibrary_TracksItsEvents_KeepsTheUsageAnalyzers_AndAnAppEditSkipsTheLibrarysCompile()
    {
        var library = CatalogLibrary("ShopCatalog");
        var app = ConsumerProject.Create(Packages, "ShopApp", Program, packageIds: new[] { "Telemetry.Runtime" }, projectReferences: new[] { library });
        string[] emit = ["-p:EmitCompilerGeneratedFiles=true"];

        var build = await Log(app.BuildAsync(emit));
        ProcessAssert.Succeeded(build);
        ProcessAssert.NoAnalyzerFailures(build);
        // TEL4002 (personal data passed to an unclassified property) on the app's call of the library's Track method.
        ProcessAssert.OutputContains(build, "Program.cs(6,25): warning TEL4002");
        ProcessAssert.OutputDoesNotContain(build, "CS0436"); // no second copy of the generated types in the app
        ProcessAssert.OutputDoesNotContain(build, "CS0121");

        // The catalog's code is generated into the library, none into the app (which has no catalog).
        Assert.NotEmpty(library.GeneratedFiles());
        Assert.Empty(app.GeneratedFiles());

        var run = await Log(app.RunAsync());
        ProcessAssert.Succeeded(run);
        ProcessAssert.OutputContains(run, "\"event\":\"shop.checkout\"");
        ProcessAssert.OutputContains(run, "\"method\":\"card\"");
        ProcessAssert.OutputContains(run, "\"event\":\"shop.note\"");

        // A one-line edit of the app recompiles the app only: the library's assembly is not rewritten.
        var libraryDll = library.IntermediatePath("ShopCatalog.dll");
        var appDll = app.IntermediatePath("ShopApp.dll");
        var libraryWritten = File.GetLastWriteTimeUtc(libraryDll);
        var appWritten = File.GetLastWriteTimeUtc(appDll);
        app.WriteFile("Program.cs", Program + "Console.WriteLine(\"edited\");\n");
        var rebuild = await Log(app.BuildAsync(emit));
        ProcessAssert.Succeeded(rebuild);
        ProcessAssert.OutputContains(rebuild, "Program.cs(6,25): warning TEL4002");
        Assert.True(File.GetLastWriteTimeUtc(appDll) > appWritten, "The app was not recompiled after its edit." + Environment.NewLine + rebuild);
        Assert.True(File.GetLastWriteTimeUtc(libraryDll) == libraryWritten, "The catalog library was recompiled after an edit of the app only." + Environment.NewLine + rebuild);
    }

    [Fact]
    public async Task LibraryWithPrivateGeneratorReference_LeavesTheAppWithoutAnalyzers_UntilTheAppAddsThePackage()
    {
        var library = CatalogLibrary("PrivateShopCatalog");
        var projectFile = File.ReadAllText(library.ProjectPath);
        var plain = $"<PackageReference Include=\"Telemetry.Generators\" Version=\"{Packages.VersionOf("Telemetry.Generators")}\" />";
        Assert.Contains(plain, projectFile, StringComparison.Ordinal);
        // What `dotnet add package Telemetry.Generators` writes (the package is a development dependency).
        library.WriteFile(library.Name + ".csproj", projectFile.Replace(plain, plain.Replace(" />", " PrivateAssets=\"all\" />", StringComparison.Ordinal), StringComparison.Ordinal));

        var runtimeOnly = ConsumerProject.Create(Packages, "PrivateShopApp", Program, packageIds: new[] { "Telemetry.Runtime" }, projectReferences: new[] { library });
        var unanalyzed = await Log(runtimeOnly.BuildAsync());
        ProcessAssert.Succeeded(unanalyzed);
        ProcessAssert.OutputDoesNotContain(unanalyzed, "TEL4002");

        var both = ConsumerProject.Create(Packages, "PrivateShopAppWithGenerators", Program, projectReferences: new[] { library });
        var build = await Log(both.BuildAsync("-p:EmitCompilerGeneratedFiles=true"));
        ProcessAssert.Succeeded(build);
        ProcessAssert.NoAnalyzerFailures(build);
        ProcessAssert.OutputContains(build, "Program.cs(6,25): warning TEL4002");
        Assert.Empty(both.GeneratedFiles()); // the app's own generator has no catalog: it adds no code
        var run = await Log(both.RunAsync());
        ProcessAssert.Succeeded(run);
        ProcessAssert.OutputContains(run, "\"event\":\"shop.note\"");
    }

    private ConsumerProject CatalogLibrary(string name)
    {
        var library = ConsumerProject.Create(Packages, name, "// The shop's events: generated from catalog/shop.yaml.\n", library: true);
        library.WriteFile("catalog/shop.yaml", Catalog);
        return library;
    }
}
