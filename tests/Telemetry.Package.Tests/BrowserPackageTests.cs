namespace Telemetry.Package.Tests;

/// <summary>
/// A fresh Blazor WebAssembly app built from the packed Telemetry.Generators and Telemetry.Runtime.Browser alone: its own
/// catalog, <c>AddTelemetry(...).UseBrowserStorage()</c> in Program.cs, a generated Track method called from a component,
/// and a published app that carries the package's JavaScript module and leaves SQLite's native library out.
/// </summary>
public sealed class BrowserPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    private static readonly string[] BrowserPackages = { "Telemetry.Generators", "Telemetry.Runtime.Browser" };

    private const string Catalog = """
        feature: reader
        events:
          article_opened:
            description: An article was opened.
            tier: B
            properties:
              section: { type: enum, values: [news, markets, opinion], description: Section of the article. }
              position: { type: int32, min: 0, max: 500, description: Position in the list. }

        """;

    private const string Program = """
        using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
        using Telemetry.Runtime;

        var builder = WebAssemblyHostBuilder.CreateDefault(args);
        builder.RootComponents.Add<BrowserApp.Reader>("#app");
        builder.Services.AddTelemetry(o => o.ApplicationName = "BrowserApp")
            .AddSink((sp, http) => new NoOpSink())
            .UseBrowserStorage(o => o.DatabaseName = "browserapp-telemetry");
        var host = builder.Build();
        await host.Services.StartBrowserTelemetryAsync();
        await host.RunAsync();

        """;

    private const string Component = """
        @using Telemetry.Runtime
        @using Telemetry.Events
        @inject ITelemetryClient Telemetry

        <button @onclick="Open">Open</button>

        @code {
            private void Open() => Telemetry.TrackReaderArticleOpened(ReaderArticleOpenedSection.Markets, 3);
        }

        """;

    private const string Index = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8" /><base href="/" /></head>
        <body><div id="app"></div><script src="_framework/blazor.webassembly.js"></script></body></html>

        """;

    [Fact]
    public async Task Blazor_WebAssembly_app_from_the_packages_builds_and_publishes_with_the_browser_runtime()
    {
        var app = ConsumerProject.Create(Packages, "BrowserApp", Program, BrowserPackages, sdk: "Microsoft.NET.Sdk.BlazorWebAssembly");
        app.WriteFile("Reader.razor", Component);
        app.WriteFile("wwwroot/index.html", Index);
        app.WriteFile("catalog/reader.yaml", Catalog);

        var build = await Log(app.BuildAsync());
        ProcessAssert.Succeeded(build);
        ProcessAssert.NoAnalyzerFailures(build);

        var publish = await Log(app.DotnetAsync(new[] { "publish", "-c", "Release", "-o", "published" }.Concat(DotnetCli.NoBuildServers)));
        ProcessAssert.Succeeded(publish);
        var root = Path.Combine(app.Directory, "published", "wwwroot");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).ToList();

        // The package's JavaScript module (IndexedDB queue, page-hide flush) ships as a static web asset of the app.
        Assert.Contains("_content/Telemetry.Runtime.Browser/telemetry-browser.js", files);
        Assert.Contains(files, f => f.StartsWith("_framework/Telemetry.Runtime.Browser", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("_framework/Telemetry.Runtime.", StringComparison.Ordinal) && !f.Contains("Browser", StringComparison.Ordinal));
        // In the browser the queue is IndexedDB: SQLite's native library (a static archive for wasm) is not linked into the app.
        var native = files.Where(f => f.Contains("e_sqlite3", StringComparison.OrdinalIgnoreCase) && (f.EndsWith(".a", StringComparison.Ordinal) || f.EndsWith(".o", StringComparison.Ordinal))).ToList();
        Assert.True(native.Count == 0, "SQLite's native library is in the published app: " + string.Join(", ", native) +
            "; files naming e_sqlite3: " + string.Join(", ", files.Where(f => f.Contains("e_sqlite3", StringComparison.OrdinalIgnoreCase))));
    }
}
