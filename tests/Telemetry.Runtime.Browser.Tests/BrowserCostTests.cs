using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Telemetry.Runtime.Browser.Tests.TestSupport;
using Xunit.Abstractions;

namespace Telemetry.Runtime.Browser.Tests;

/// <summary>
/// What the browser runtime costs: the published PWA's download (brotli, as served) and the runtime's share, and Track
/// per call plus memory over simulated pointer input, measured in headless Chromium on the PWA's benchmark page.
/// Figures go to the test output and to artifacts/browser-tests/chartpwa-cost; only the memory bound is asserted.
/// </summary>
[Collection("Chromium")]
public sealed class BrowserCostTests
{
    private readonly ITestOutputHelper _output;

    public BrowserCostTests(ITestOutputHelper output) => _output = output;

    [ChromiumFact]
    public async Task Download_size_Track_cost_and_bounded_memory_are_reported()
    {
        Assert.True(Chromium.Path is not null, "Chromium is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var artifacts = Repo.Artifacts("chartpwa-cost");
        var wwwroot = await PublishedPwa.WwwrootAsync();

        // Download size: every file of the app as a browser fetches it (the .br variant where the publish made one).
        var sizes = DownloadSizes(wwwroot);
        var total = sizes.Values.Sum();
        var runtime = sizes.Where(p => IsTelemetryRuntime(p.Key)).ToList();
        var runtimeOnlyDependencies = sizes.Where(p => IsRuntimeOnlyDependency(p.Key)).ToList();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"published download (brotli): {total:N0} bytes in {sizes.Count} files");
        report.AppendLine(CultureInfo.InvariantCulture, $"Telemetry.Runtime + Telemetry.Runtime.Browser (+ JS module): {runtime.Sum(p => p.Value):N0} bytes ({100.0 * runtime.Sum(p => p.Value) / total:0.0} %)");
        foreach (var (file, size) in runtime) report.AppendLine(CultureInfo.InvariantCulture, $"  {file}: {size:N0}");
        report.AppendLine(CultureInfo.InvariantCulture, $"dependencies only the runtime brings: {runtimeOnlyDependencies.Sum(p => p.Value):N0} bytes");
        foreach (var (file, size) in runtimeOnlyDependencies) report.AppendLine(CultureInfo.InvariantCulture, $"  {file}: {size:N0}");
        Assert.NotEmpty(runtime);

        // Track cost and memory, in the page's own WebAssembly runtime.
        await using var site = await StaticSite.StartAsync(wwwroot);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Type + ": " + m.Text);
        page.PageError += (_, e) => console.Add("page error: " + e);
        JsonNode json;
        try
        {
            await page.GotoAsync(site.Address + "bench?run=1");
            await page.WaitForSelectorAsync("#bench-result", new PageWaitForSelectorOptions { Timeout = 90_000 });
            await page.WaitForFunctionAsync("() => (document.querySelector('#bench-result')?.textContent ?? '').includes('calls')", null, new PageWaitForFunctionOptions { Timeout = 240_000 });
            json = JsonNode.Parse((await page.TextContentAsync("#bench-result"))!)!;
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "failure.png") });
            foreach (var line in console.TakeLast(60)) _output.WriteLine("console: " + line);
            throw;
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "bench.png") });
        report.AppendLine(CultureInfo.InvariantCulture, $"Track, sampled out: {json["sampled_out_ns"]} ns; crosshair (aggregated): {json["aggregated_crosshair_ns"]} ns; sampled in (captured): {json["sampled_in_ns"]} ns per call ({json["calls"]} calls each; Stopwatch resolution {json["stopwatch_resolution_ns"]} ns)");
        var checkpoints = json["memory_checkpoints_bytes"]!.AsArray().Select(n => (long)n!).ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"memory over {json["simulated_moves"]} simulated moves ({json["simulated_minutes"]} min at 50 Hz): {string.Join(", ", checkpoints.Select(c => (c / 1024).ToString("N0", CultureInfo.InvariantCulture) + " KiB"))}; aggregates sent {json["aggregates_sent"]}");
        File.WriteAllText(Path.Combine(artifacts, "cost.txt"), report.ToString());
        File.WriteAllText(Path.Combine(artifacts, "bench.json"), json.ToJsonString());
        _output.WriteLine(report.ToString());

        // Bounded: after the first half-minute the heap does not grow with the number of moves.
        var settled = checkpoints.Skip(1).ToList();
        Assert.True(settled.Max() - settled.Min() < 512 * 1024, "managed heap grew with pointer moves: " + string.Join(", ", checkpoints));
        Assert.True((long)json["aggregates_sent"]! >= 119, "10 simulated minutes should close about 120 five-second windows");
    }

    private static Dictionary<string, long> DownloadSizes(string wwwroot)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(wwwroot, "*", SearchOption.AllDirectories))
        {
            if (path.EndsWith(".br", StringComparison.Ordinal) || path.EndsWith(".gz", StringComparison.Ordinal)) continue;
            var relative = Path.GetRelativePath(wwwroot, path).Replace('\\', '/');
            var brotli = path + ".br";
            sizes[relative] = new FileInfo(File.Exists(brotli) ? brotli : path).Length;
        }

        return sizes;
    }

    private static bool IsTelemetryRuntime(string file) =>
        Path.GetFileName(file).StartsWith("Telemetry.Runtime", StringComparison.Ordinal) || file.StartsWith("_content/Telemetry.Runtime.Browser/", StringComparison.Ordinal);

    private static bool IsRuntimeOnlyDependency(string file)
    {
        var name = Path.GetFileName(file);
        return file.StartsWith("_framework/", StringComparison.Ordinal)
            && (name.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || name.StartsWith("SQLitePCLRaw", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Extensions.Http", StringComparison.Ordinal) || name.StartsWith("Microsoft.Extensions.Compliance", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) || name.StartsWith("System.Diagnostics.DiagnosticSource", StringComparison.Ordinal));
    }
}
