using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Telemetry.Runtime.Browser.Tests.TestSupport;
using Xunit.Abstractions;
using static Telemetry.Runtime.Browser.Tests.ChartPwaEndToEndTests;

namespace Telemetry.Runtime.Browser.Tests;

/// <summary>
/// samples/ChartPwa in headless Chromium with periodic delivery and retries pushed out to ten minutes, so what reaches
/// the ingest server can only have been sent by the page lifecycle hooks: the flush on <c>visibilitychange</c> and on
/// <c>pagehide</c> (fetch with keepalive, within the 64 KiB budget) and the resume on <c>online</c>; and the error
/// boundary's capture of a component's exception.
/// </summary>
[Collection("Chromium")]
public sealed class PageLifecycleTests
{
    // Records every fetch the page makes with its keepalive flag and body size, before any page script runs.
    private const string FetchRecorder = """
        (() => {
          const original = window.fetch.bind(window);
          window.__telemetryFetches = [];
          window.fetch = (input, init) => {
            const body = init && init.body;
            const size = body == null ? 0 : (typeof body === 'string' ? new TextEncoder().encode(body).length : (body.byteLength ?? body.size ?? -1));
            const url = typeof input === 'string' ? input : (input && input.url) || String(input);
            window.__telemetryFetches.push({ url, keepalive: !!(init && init.keepalive), size });
            return original(input, init);
          };
        })();
        """;

    private readonly ITestOutputHelper _output;

    public PageLifecycleTests(ITestOutputHelper output) => _output = output;

    [ChromiumFact]
    public async Task Page_hide_flushes_with_keepalive_and_the_online_event_resumes_delivery_without_loss_or_duplicates()
    {
        Assert.True(Chromium.Path is not null, "Chromium is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var artifacts = Repo.Artifacts("chartpwa-lifecycle");
        await using var run = await PwaRun.StartAsync(_output, artifacts);
        var page = run.Page;
        var clicks = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            // 1. Interactions are queued, and nothing goes out by itself (delivery every 10 minutes).
            await ClickRoundAsync(page, clicks);
            await WaitUntilAsync(async () => await PanelAsync(page, "queued") >= clicks.Values.Sum(), TimeSpan.FromSeconds(60), "the clicks to be queued");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(0, run.Ingest.Stored());

            // 2. The tab is hidden (visibilitychange): the queued events go out with keepalive.
            await page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }");
            await WaitUntilAsync(async () => run.Ingest.Stored() >= clicks.Values.Sum() && await PanelAsync(page, "queued") == 0, TimeSpan.FromSeconds(60), "the visibilitychange flush to deliver");
            await page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }");
            AssertArrivedOnce(run.Ingest, clicks);
            var keepalive = await KeepaliveSendsAsync(page, run.Ingest);
            _output.WriteLine("fetches: " + await page.EvaluateAsync<string>("() => JSON.stringify(window.__telemetryFetches)"));
            Assert.NotEmpty(keepalive);
            Assert.Equal(1, await PanelAsync(page, "page-hides"));
            Assert.All(keepalive, size => Assert.InRange(size, 1, 60_000));

            // 3. pagehide (the page is being left): the next round goes out the same way.
            await ClickRoundAsync(page, clicks);
            await WaitUntilAsync(async () => await PanelAsync(page, "queued") >= 6, TimeSpan.FromSeconds(60), "the second round to be queued");
            await page.EvaluateAsync("() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))");
            await WaitUntilAsync(async () => run.Ingest.Stored() >= clicks.Values.Sum() && await PanelAsync(page, "queued") == 0, TimeSpan.FromSeconds(60), "the pagehide flush to deliver");
            AssertArrivedOnce(run.Ingest, clicks);
            Assert.True((await KeepaliveSendsAsync(page, run.Ingest)).Count > keepalive.Count, "the pagehide flush sent nothing with keepalive");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "1-flushed-on-hide.png") });

            // 4. Offline: a flush attempt fails and the retry is ten minutes away.
            await run.Context.SetOfflineAsync(true);
            await ClickRoundAsync(page, clicks);
            await WaitUntilAsync(async () => await PanelAsync(page, "queued") >= 6, TimeSpan.FromSeconds(60), "the offline round to be queued");
            var storedOffline = run.Ingest.Stored();
            await page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true }); }");
            await WaitUntilAsync(async () => await PanelAsync(page, "retried") > 0, TimeSpan.FromSeconds(60), "the offline send to fail");
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(storedOffline, run.Ingest.Stored());
            Assert.True(await PanelAsync(page, "queued") >= 6, "events were lost while offline");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "2-offline.png") });

            // 5. Back online: the online event sends at once. The backoff after the failed send is a uniform draw of up to
            //    ten minutes, so delivery within 20 s of the event comes from the resume (a backoff that short: 1 run in 30).
            Assert.Equal(0, await PanelAsync(page, "resumed"));
            await run.Context.SetOfflineAsync(false);
            await WaitUntilAsync(async () => run.Ingest.Stored() >= clicks.Values.Sum() && await PanelAsync(page, "queued") == 0, TimeSpan.FromSeconds(20), "the online event to resume delivery");
            Assert.Equal(1, await PanelAsync(page, "resumed"));
            await Task.Delay(TimeSpan.FromSeconds(2));
            AssertArrivedOnce(run.Ingest, clicks);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "3-back-online.png") });
        }
        catch
        {
            await run.FailedAsync();
            throw;
        }
    }

    [ChromiumFact]
    public async Task The_error_boundary_captures_a_components_exception_scrubbed_with_breadcrumbs_and_the_server_stores_it()
    {
        Assert.True(Chromium.Path is not null, "Chromium is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var artifacts = Repo.Artifacts("chartpwa-error-boundary");
        await using var run = await PwaRun.StartAsync(_output, artifacts, flushMs: 500);
        var page = run.Page;
        var clicks = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await ClickRoundAsync(page, clicks);
            await page.ClickAsync("#simulate-failure");
            await page.WaitForSelectorAsync("#error-panel", new PageWaitForSelectorOptions { Timeout = 30_000 });
            var fingerprint = (await page.TextContentAsync("#error-fingerprint"))?.Trim();
            Assert.False(string.IsNullOrEmpty(fingerprint), "the boundary shows no fingerprint: nothing was captured");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "1-boundary.png") });

            await WaitUntilAsync(() => Task.FromResult(run.Ingest.Payloads("error.captured").Count > 0), TimeSpan.FromSeconds(60), "error.captured to reach the server");
            var error = JsonNode.Parse(Assert.Single(run.Ingest.Payloads("error.captured")))!;
            var properties = error["properties"] ?? error;
            _output.WriteLine(properties.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Assert.Equal("error_boundary", (string?)properties["mechanism"]);
            Assert.True((bool)properties["handled"]!);
            Assert.Equal(fingerprint, (string?)properties["fingerprint"]);
            Assert.Equal("System.InvalidOperationException", (string?)properties["error_type"]);
            Assert.Contains("boundary=chart-pwa", properties["tags"]!.AsArray().Select(t => (string?)t));
            var text = error.ToJsonString();
            Assert.DoesNotContain("jane.doe", text);
            Assert.DoesNotContain("sk_live_4eC39HqLyjWDarjtT1zdp7dc", text);
            Assert.Contains("[EMAIL]", (string?)properties["error_message"]);

            // The clicks before the error are its breadcrumbs, with their non-personal properties.
            var breadcrumbs = properties["breadcrumbs"]!.AsArray().Select(b => (string)b!).ToList();
            foreach (var name in clicks.Keys) Assert.Contains(breadcrumbs, b => b.Contains(" track " + name, StringComparison.Ordinal));
            Assert.Contains(breadcrumbs, b => b.Contains(" track watchlist.add", StringComparison.Ordinal) && b.Contains("symbol=ETH/USDT", StringComparison.Ordinal));
            Assert.Contains(breadcrumbs, b => System.Text.RegularExpressions.Regex.IsMatch(b, @" track replay\.step replay_id=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} "));

            // The boundary recovers: the chart is back and keeps tracking.
            await page.ClickAsync("#error-recover");
            await page.WaitForSelectorAsync("#raw-moves", new PageWaitForSelectorOptions { Timeout = 30_000 });
            Assert.Equal("1", (await page.TextContentAsync("#errors"))?.Trim());
        }
        catch
        {
            await run.FailedAsync();
            throw;
        }
    }

    private static void AssertArrivedOnce(IngestServer ingest, Dictionary<string, long> clicks)
    {
        var byName = ingest.CountByName();
        foreach (var (name, count) in clicks) Assert.True(byName.GetValueOrDefault(name) == count, $"{name}: {count} clicked, {byName.GetValueOrDefault(name)} stored");
        Assert.Equal(clicks.Values.Sum(), byName.Where(p => clicks.ContainsKey(p.Key)).Sum(p => p.Value));
    }

    /// <summary>Body sizes of the page's keepalive requests to the ingest server.</summary>
    private static async Task<List<long>> KeepaliveSendsAsync(IPage page, IngestServer ingest)
    {
        var json = await page.EvaluateAsync<string>("() => JSON.stringify(window.__telemetryFetches)");
        var origin = ingest.Address.GetLeftPart(UriPartial.Authority);
        return JsonNode.Parse(json)!.AsArray()
            .Where(f => ((string)f!["url"]!).StartsWith(origin, StringComparison.Ordinal) && (bool)f["keepalive"]!)
            .Select(f => (long)f!["size"]!)
            .ToList();
    }

    /// <summary>The published PWA, the ingest server and one page, with delivery and retries ten minutes apart unless told.</summary>
    private sealed class PwaRun : IAsyncDisposable
    {
        private readonly List<string> _console = [];
        private readonly ITestOutputHelper _output;
        private readonly string _artifacts;
        private StaticSite _site = null!;
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        private PwaRun(ITestOutputHelper output, string artifacts)
        {
            _output = output;
            _artifacts = artifacts;
        }

        public IngestServer Ingest { get; private set; } = null!;

        public IBrowserContext Context { get; private set; } = null!;

        public IPage Page { get; private set; } = null!;

        public static async Task<PwaRun> StartAsync(ITestOutputHelper output, string artifacts, int flushMs = 600_000)
        {
            var run = new PwaRun(output, artifacts);
            var wwwroot = await PublishedPwa.WwwrootAsync();
            run._site = await StaticSite.StartAsync(wwwroot);
            run.Ingest = new IngestServer(run._site.Origin);
            await run.Ingest.StartAsync();
            (run._playwright, run._browser) = await Chromium.LaunchAsync();
            run.Context = await run._browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 800 } });
            await run.Context.AddInitScriptAsync(FetchRecorder);
            run.Page = await run.Context.NewPageAsync();
            run.Page.Console += (_, m) => run._console.Add(m.Type + ": " + m.Text);
            run.Page.PageError += (_, e) => run._console.Add("page error: " + e);
            var ingest = Uri.EscapeDataString(run.Ingest.Address.ToString().TrimEnd('/'));
            var url = string.Create(CultureInfo.InvariantCulture, $"{run._site.Address}?ingest={ingest}&key={IngestServer.WriteKey}&flush={flushMs}&retry=600000&sampling=all");
            await run.Page.GotoAsync(url);
            await run.Page.WaitForSelectorAsync("#raw-moves", new PageWaitForSelectorOptions { Timeout = 120_000 });
            return run;
        }

        public async Task FailedAsync()
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_artifacts, "failure.png") });
            foreach (var line in _console.TakeLast(50)) _output.WriteLine("console: " + line);
        }

        public async ValueTask DisposeAsync()
        {
            _output.WriteLine("screenshots: " + _artifacts);
            await Context.CloseAsync();
            await _browser.DisposeAsync();
            _playwright.Dispose();
            await Ingest.DisposeAsync();
            await _site.DisposeAsync();
        }
    }
}
