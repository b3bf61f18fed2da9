using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Telemetry.Runtime.Browser.Tests.TestSupport;
using Xunit.Abstractions;

namespace Telemetry.Runtime.Browser.Tests;

/// <summary>
/// samples/ChartPwa in headless Chromium against the ingest server on loopback: pointer moves at 50 Hz and clicks,
/// the server stopped, more interaction, a reload, the server back. Every aggregate and click arrives exactly once
/// after dedup, nothing is sent while the server is down, and the server's counts equal the live panel's.
/// </summary>
[Collection("Chromium")]
public sealed class ChartPwaEndToEndTests
{
    private const int OnlineMoves = 3_000;
    private const int OfflineMoves = 250;
    private const int AfterReloadMoves = 100;
    private static readonly TimeSpan PointerInterval = TimeSpan.FromMilliseconds(20); // 50 Hz

    private readonly ITestOutputHelper _output;

    public ChartPwaEndToEndTests(ITestOutputHelper output) => _output = output;

    [ChromiumFact]
    public async Task Every_aggregate_and_click_arrives_exactly_once_across_an_outage_and_a_reload()
    {
        Assert.True(Chromium.Path is not null, "Chromium is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var artifacts = Repo.Artifacts("chartpwa-e2e");
        var wwwroot = await PublishedPwa.WwwrootAsync();
        await using var site = await StaticSite.StartAsync(wwwroot);
        await using var ingest = new IngestServer(site.Origin);
        await ingest.StartAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 800 } });
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Type + ": " + m.Text);
        page.PageError += (_, e) => console.Add("page error: " + e);
        var clicks = new Dictionary<string, long>(StringComparer.Ordinal);

        try
        {
            var url = $"{site.Address}?ingest={Uri.EscapeDataString(ingest.Address.ToString().TrimEnd('/'))}&key={IngestServer.WriteKey}&flush=1000&sampling=all";
            await page.GotoAsync(url);
            await page.WaitForSelectorAsync("#raw-moves", new PageWaitForSelectorOptions { Timeout = 90_000 });
            var canvas = (await (await page.QuerySelectorAsync("#chart"))!.BoundingBoxAsync())!;

            // 1. Server up: 3,000 moves at 50 Hz with the other interactions in between.
            await MoveAsync(page, canvas, OnlineMoves, async i =>
            {
                if (i % 250 == 125) await ClickRoundAsync(page, clicks);
            });
            await WaitUntilAsync(async () => await PanelAsync(page, "queued") == 0, TimeSpan.FromSeconds(60), "the queue to empty while the server is up");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "1-online.png") });
            Assert.True(ingest.Stored() > 0, "nothing reached the server while it was up");

            // 2. Server down: keep interacting; aggregation windows close and delivery fails, so nothing may be sent.
            await ingest.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(1)); // an answer the server gave while stopping reaches the panel
            var sentAtStop = await PanelAsync(page, "sent");
            var storedAtStop = ingest.Stored();
            await MoveAsync(page, canvas, OfflineMoves, async i =>
            {
                if (i == OfflineMoves / 2) await ClickRoundAsync(page, clicks);
            });
            await Task.Delay(TimeSpan.FromSeconds(7)); // past the 5-second window: the aggregate is queued and its send fails
            Assert.Equal(sentAtStop, await PanelAsync(page, "sent"));
            Assert.True(await PanelAsync(page, "queued") > 0, "events made while the server was down are not queued");
            Assert.True(await PanelAsync(page, "retried") > 0, "no delivery was attempted while the server was down");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "2-offline.png") });
            var movesBeforeReload = await PanelAsync(page, "raw-moves");
            var clicksBeforeReload = await PanelAsync(page, "raw-clicks");

            // 3. Reload while the server is still down: the new page restores the queue. What the old page queued is in
            // IndexedDB first (the queue settled, its writes committed): a write the page-hide handler itself starts can be cut
            // short by a browser that discards the page (docs/runtime.md, "Page hide"), which a slow machine makes likely.
            await WaitUntilAsync(async () =>
            {
                var before = await PanelAsync(page, "queued");
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                return before == await PanelAsync(page, "queued");
            }, TimeSpan.FromSeconds(90), "the queue to settle before the reload");
            await page.EvaluateAsync("async () => { const m = await import('./_content/Telemetry.Runtime.Browser/telemetry-browser.js'); await m.whenWritten(); }");
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("#raw-moves", new PageWaitForSelectorOptions { Timeout = 90_000 });
            Assert.True(await PanelAsync(page, "restored") > 0, "the reloaded page restored nothing from IndexedDB");
            canvas = (await (await page.QuerySelectorAsync("#chart"))!.BoundingBoxAsync())!;
            await MoveAsync(page, canvas, AfterReloadMoves, async i =>
            {
                if (i == AfterReloadMoves / 2) await ClickRoundAsync(page, clicks);
            });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "3-reloaded-offline.png") });
            Assert.Equal(storedAtStop, ingest.Stored());

            // 4. Server back: everything arrives, once. The panel renders its counts a little after the moves: read them once
            // they have settled (a slow run read 3,346 on the page while the server held all 3,350 dispatched moves).
            await WaitUntilAsync(async () =>
            {
                var before = await PanelAsync(page, "raw-moves");
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                return before == await PanelAsync(page, "raw-moves");
            }, TimeSpan.FromSeconds(60), "the page's move count to settle");
            await ingest.StartAsync();
            var expectedMoves = movesBeforeReload + await PanelAsync(page, "raw-moves");
            var panelClicks = clicksBeforeReload + await PanelAsync(page, "raw-clicks");
            var seen = "";
            try
            {
                await WaitUntilAsync(async () =>
                {
                    var aggregated = ingest.AggregatedMoves();
                    var queued = await PanelAsync(page, "queued");
                    seen = $"aggregated moves on the server {aggregated}, moves on the page {expectedMoves}, queued {queued}";
                    return aggregated == expectedMoves && queued == 0;
                }, TimeSpan.FromSeconds(180), "every move's aggregate to arrive after the restart");
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message} Last seen: {seen}; stored: {string.Join(", ", ingest.CountByName().Select(p => $"{p.Key}={p.Value}"))}.", ex);
            }
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "4-delivered.png") });

            var byName = ingest.CountByName();
            _output.WriteLine("server: " + string.Join(", ", byName.Select(p => $"{p.Key}={p.Value}")));
            _output.WriteLine($"moves {expectedMoves}, aggregated moves on the server {ingest.AggregatedMoves()}, clicks {panelClicks}");
            // Every move the page saw is in exactly one stored aggregate (a lost aggregate lowers the sum, a resent one
            // that escaped dedup raises it). The page sees what Chromium dispatched (coalesced moves counted singly).
            Assert.Equal(expectedMoves, ingest.AggregatedMoves());
            const int dispatched = OnlineMoves + OfflineMoves + AfterReloadMoves;
            Assert.True(expectedMoves >= dispatched * 0.95 && expectedMoves <= dispatched, $"the page saw {expectedMoves} of {dispatched} pointer moves");
            Assert.Equal(clicks.Values.Sum(), panelClicks);
            foreach (var (name, count) in clicks) Assert.True(byName.GetValueOrDefault(name) == count, $"{name}: {count} clicked, {byName.GetValueOrDefault(name)} stored");
            Assert.True(byName.GetValueOrDefault("chart.crosshair_agg") > 0);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "failure.png") });
            foreach (var line in console.TakeLast(50)) _output.WriteLine("console: " + line);
            throw;
        }
        finally
        {
            _output.WriteLine("screenshots: " + artifacts);
            await context.CloseAsync();
        }
    }

    /// <summary>Moves the pointer <paramref name="count"/> times over the canvas at 50 Hz along a wandering path.</summary>
    private static async Task MoveAsync(IPage page, ElementHandleBoundingBoxResult canvas, int count, Func<int, Task> between)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            // A zigzag: every move lands on a new position, so every one is a pointer move.
            var x = canvas.X + 10 + (i * 7 % (int)(canvas.Width - 20));
            var y = canvas.Y + 10 + (i * 13 % (int)(canvas.Height - 20));
            await page.Mouse.MoveAsync((float)x, (float)y);
            await between(i);
            var due = PointerInterval * (i + 1) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }

        // Leave the canvas so the next move is a move again (Chromium sends none for an unchanged position).
        await page.Mouse.MoveAsync(1, 1);
    }

    /// <summary>One of each other interaction: watchlist add and remove, replay play/step/speed, order preview.</summary>
    internal static async Task ClickRoundAsync(IPage page, Dictionary<string, long> clicks)
    {
        async Task Click(string selector, string eventName)
        {
            await page.ClickAsync(selector);
            clicks[eventName] = clicks.GetValueOrDefault(eventName) + 1;
        }

        await Click("#add-ETH-USDT", "watchlist.add");
        await Click("#remove-ETH-USDT", "watchlist.remove");
        await Click("#replay-play", "replay.play_toggle");
        await Click("#replay-step", "replay.step");
        await Click("#replay-speed", "replay.speed_change");
        await Click("#order-preview", "order.place_preview");
    }

    internal static async Task<long> PanelAsync(IPage page, string id)
    {
        var text = await page.TextContentAsync("#" + id) ?? "";
        return long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            await Task.Delay(250);
        }
    }
}

[CollectionDefinition("Chromium", DisableParallelization = true)]
public sealed class ChromiumCollection
{
}
