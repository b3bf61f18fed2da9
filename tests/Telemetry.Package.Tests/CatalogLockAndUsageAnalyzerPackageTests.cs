namespace Telemetry.Package.Tests;

/// <summary>
/// The catalog lock and the C# usage analyzers through the package: <c>dotnet build -t:TelemetryUpdateLock</c>
/// writes <c>catalog/catalog.lock.json</c> with the MSBuild task shipped in tasks/netstandard2.0; every later build
/// compares the catalog with it (TEL3001 at the YAML line); C# mistakes are warnings that TelemetryStrict turns
/// into errors.
/// </summary>
public sealed class CatalogLockAndUsageAnalyzerPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    private const string Catalog = Catalogs.Shop;

    [Fact]
    public void Package_ShipsTheCodeFixesWithTheAnalyzers_AndTheLockTaskWithItsOwnDependencies()
    {
        var package = Nupkg.Open(Packages.GeneratorPackage);
        Assert.Contains("Telemetry.Analyzers.CodeFixes.dll", package.FileNamesIn("analyzers/dotnet/cs/"));
        var tasks = package.FileNamesIn("tasks/netstandard2.0/");
        Assert.Equal(new[] { "Telemetry.Catalog.dll", "Telemetry.Generators.Tasks.dll", "YamlDotNet.dll" }, tasks.OrderBy(f => f, StringComparer.Ordinal));
    }

    [Fact]
    public async Task UpdateLockTarget_WritesTheLock_AndLaterBuildsFailOnABreakingChangeUntilTheVersionIsBumped()
    {
        var consumer = ConsumerProject.Create(Packages, "LockApp", """
            using Telemetry.Events;

            using var telemetry = new Telemetry.Runtime.ConsoleTelemetryClient(new Telemetry.Runtime.TelemetryClientOptions { UserId = "u1" });
            telemetry.TrackShopCheckout(12.5m, ShopCheckoutMethod.Card);

            """);
        consumer.WriteFile("catalog/shop.yaml", Catalog);
        var lockPath = Path.Combine(consumer.Directory, "catalog", "catalog.lock.json");

        // No lock yet: no check, the build succeeds.
        ProcessAssert.Succeeded(await Log(consumer.BuildAsync()));

        var update = await Log(consumer.BuildAsync("-t:TelemetryUpdateLock"));
        ProcessAssert.Succeeded(update);
        ProcessAssert.OutputContains(update, "catalog.lock.json (1 events)");
        Assert.True(File.Exists(lockPath), "The lock was not written." + Environment.NewLine + update);
        Assert.Contains("\"shop.checkout\"", File.ReadAllText(lockPath), StringComparison.Ordinal);

        // total: decimal -> double without a version bump.
        var breaking = Catalog.Replace("type: decimal", "type: double", StringComparison.Ordinal);
        Assert.NotEqual(Catalog, breaking);
        consumer.WriteFile("catalog/shop.yaml", breaking);
        consumer.WriteFile("Program.cs", "Console.WriteLine(typeof(Telemetry.Events.ShopCheckout).FullName);\n");
        var failed = await Log(consumer.BuildAsync());
        ProcessAssert.Failed(failed);
        var (line, column) = YamlPosition.Of(breaking, "total:");
        ProcessAssert.OutputContains(failed, $"catalog/shop.yaml({line},{column}): error TEL3001");

        // The lock is not rewritten over the break, as `telemetry-catalog lock` refuses it.
        var lockedText = File.ReadAllText(lockPath);
        var refused = await Log(consumer.BuildAsync("-t:TelemetryUpdateLock"));
        ProcessAssert.Failed(refused);
        ProcessAssert.OutputContains(refused, "not written: 1 breaking change(s) without a version bump");
        Assert.Equal(lockedText, File.ReadAllText(lockPath));

        // Bumping the version makes the change deliberate; then the lock takes it.
        var bumpedCatalog = breaking.Replace("    description: The user paid.\n", "    description: The user paid.\n    version: 2\n", StringComparison.Ordinal);
        Assert.NotEqual(breaking, bumpedCatalog);
        consumer.WriteFile("catalog/shop.yaml", bumpedCatalog);
        var bumped = await Log(consumer.BuildAsync());
        ProcessAssert.Succeeded(bumped);
        ProcessAssert.OutputDoesNotContain(bumped, "TEL3001");
        ProcessAssert.Succeeded(await Log(consumer.BuildAsync("-t:TelemetryUpdateLock")));
        Assert.Contains("\"version\": 2", File.ReadAllText(lockPath), StringComparison.Ordinal);

        // TelemetryLockForce accepts a break deliberately (reported as a warning).
        consumer.WriteFile("catalog/shop.yaml", bumpedCatalog.Replace("type: double", "type: decimal", StringComparison.Ordinal));
        var forced = await Log(consumer.BuildAsync("-t:TelemetryUpdateLock", "-p:TelemetryLockForce=true"));
        ProcessAssert.Succeeded(forced);
        ProcessAssert.OutputContains(forced, "warning TEL3001");
        Assert.Contains("\"type\": \"decimal\"", File.ReadAllText(lockPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageAnalyzers_WarnInCSharp_AndTelemetryStrictMakesThemErrors()
    {
        var consumer = ConsumerProject.Create(Packages, "UsageApp", """
            using Telemetry.Events;

            using var telemetry = new Telemetry.Runtime.ConsoleTelemetryClient(new Telemetry.Runtime.TelemetryClientOptions { UserId = "u1" });
            string email = args.Length > 0 ? args[0] : "someone@example.com";
            for (var i = 0; i < 3; i++) telemetry.TrackShopCheckout(i, ShopCheckoutMethod.Cash);
            telemetry.TrackShopNote(email);

            """);
        consumer.WriteFile("catalog/shop.yaml", Catalogs.ShopTwoEvents);

        var build = await Log(consumer.BuildAsync());
        ProcessAssert.Succeeded(build);
        ProcessAssert.OutputDoesNotContain(build, "CS8033"); // the code fix assembly holds no analyzer, and is still loaded quietly
        ProcessAssert.OutputContains(build, "Program.cs(5,29): warning TEL4003");
        ProcessAssert.OutputContains(build, "Program.cs(6,25): warning TEL4002");

        var strict = await Log(consumer.BuildAsync("-p:TelemetryStrict=true"));
        ProcessAssert.Failed(strict);
        ProcessAssert.OutputContains(strict, "Program.cs(5,29): error TEL4003");
        ProcessAssert.OutputContains(strict, "Program.cs(6,25): error TEL4002");
    }
}
