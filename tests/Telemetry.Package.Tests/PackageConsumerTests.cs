namespace Telemetry.Package.Tests;

/// <summary>
/// Console projects outside the repository that add the two packages from the local feed, as a user would,
/// and are built and run with the real SDK: generated code works, and catalog mistakes fail the build at the
/// YAML file's line and column.
/// </summary>
public sealed class PackageConsumerTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    [Fact]
    public async Task Consumer_BuildsAndRuns_WritingTheTrackedEventAsOneJsonLine()
    {
        var consumer = ConsumerProject.Create(Packages, "WatchlistApp", """
            using Telemetry.Events;

            var telemetry = new Telemetry.Runtime.ConsoleTelemetryClient(new Telemetry.Runtime.TelemetryClientOptions { UserId = "u1", ClientVersion = "9.9.9" });
            telemetry.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, price: 1.2m);
            telemetry.Dispose();

            """);
        consumer.WriteFile("catalog/watchlist.yaml", Catalogs.Watchlist);

        var build = await Log(consumer.BuildAsync());
        ProcessAssert.Succeeded(build);
        var run = await Log(consumer.RunAsync());
        ProcessAssert.Succeeded(run);

        var jsonLines = run.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{')).ToList();
        Assert.True(jsonLines.Count == 1, "Expected one JSON line." + Environment.NewLine + run);
        using var json = JsonDocument.Parse(jsonLines[0]);
        var e = json.RootElement;
        var context = Environment.NewLine + run;
        Assert.True(e.GetProperty("event").GetString() == "watchlist.add", "event" + context);
        Assert.True(e.GetProperty("symbol").GetString() == "BTC/USDT", "symbol" + context);
        Assert.True(e.GetProperty("source").GetString() == "search", "source" + context);
        Assert.True(e.GetProperty("price").GetDecimal() == 1.2m, "price" + context);
        Assert.True(e.GetProperty("client_version").GetString() == "9.9.9", "client_version" + context);
        Assert.True(!string.IsNullOrEmpty(e.GetProperty("event_id").GetString()), "event_id" + context);
        Assert.True(e.GetProperty("user_bucket").GetInt32() is >= 0 and < 10_000, "user_bucket" + context);
        Assert.True(e.GetProperty("sampling_rate").GetDouble() == 1.0, "sampling_rate" + context);
        Assert.True(e.GetProperty("schema_version").GetInt32() == 1, "schema_version" + context);
        Assert.Contains("\"price\":1.2", jsonLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenCatalog_FailsTheBuildAtTheYamlLines_AndBuildsOnceFixed()
    {
        const string broken = Catalogs.UnsampledHighFrequency + """
                  email:
                    type: string
                    description: Contact of the viewer.
                    pii: email
                    treatment: none

            """;
        var consumer = ConsumerProject.Create(Packages, "BrokenCatalogApp", """
            Console.WriteLine("no generated code used");

            """);
        consumer.WriteFile("catalog/chart.yaml", broken);

        var failed = await Log(consumer.BuildAsync());
        ProcessAssert.Failed(failed);
        var (eventLine, eventColumn) = YamlPosition.Of(broken, "crosshair_move:");
        var (emailLine, emailColumn) = YamlPosition.Of(broken, "email:");
        ProcessAssert.OutputContains(failed, $"catalog/chart.yaml({eventLine},{eventColumn}): error TEL2001");
        ProcessAssert.OutputContains(failed, $"catalog/chart.yaml({emailLine},{emailColumn}): error TEL1002");
        ProcessAssert.OutputDoesNotContain(failed, "error CS");

        // Sampled at 1 % and the raw e-mail justified: the same project builds, and the event is generated.
        var fixedCatalog = broken
            .Replace("    frequency: high\n", "    frequency: high\n    sampling: 0.01\n", StringComparison.Ordinal)
            .Replace("        treatment: none\n", "        treatment: none\n        justification: Support replies to the viewer by e-mail.\n", StringComparison.Ordinal);
        Assert.NotEqual(broken, fixedCatalog);
        consumer.WriteFile("catalog/chart.yaml", fixedCatalog);
        consumer.WriteFile("Program.cs", """
            Console.WriteLine(typeof(Telemetry.Events.ChartCrosshairMove).FullName);

            """);

        var build = await Log(consumer.BuildAsync());
        ProcessAssert.Succeeded(build);
        ProcessAssert.OutputDoesNotContain(build, "TEL2001");
        ProcessAssert.OutputDoesNotContain(build, "TEL1002");
    }

    [Fact]
    public async Task UnclassifiedPii_IsAWarning_AndAnErrorWithTelemetryStrict()
    {
        const string catalog = """
            feature: account
            events:
              signup:
                description: A user signed up.
                properties:
                  user_email:
                    type: string
                    description: Where the confirmation went.

            """;
        var consumer = ConsumerProject.Create(Packages, "StrictApp", """
            Console.WriteLine(typeof(Telemetry.Events.AccountSignup).FullName);

            """);
        consumer.WriteFile("catalog/account.yaml", catalog);
        var (line, column) = YamlPosition.Of(catalog, "user_email:");

        var build = await Log(consumer.BuildAsync());
        ProcessAssert.Succeeded(build);
        ProcessAssert.OutputContains(build, $"catalog/account.yaml({line},{column}): warning TEL1001");

        var strict = await Log(consumer.BuildAsync("-p:TelemetryStrict=true"));
        ProcessAssert.Failed(strict);
        ProcessAssert.OutputContains(strict, $"catalog/account.yaml({line},{column}): error TEL1001");
    }
}
