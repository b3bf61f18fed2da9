using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Telemetry.Ingest.Dashboard.Tests.TestSupport;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Dashboard.Tests;

/// <summary>The browser tests run alone (not beside this project's other test classes), so page loads are not starved.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}

/// <summary>A server loaded with known events, and headless Chromium: the host, data and browser are shared by the tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    internal DashboardHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    internal KnownEvents.Sent Sent { get; private set; } = null!;

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        if (Chromium.Path is null && !Chromium.RequiredByCi) return; // every test is skipped
        Host = await DashboardHost.StartAsync(dashboard: o => o.RollupIntervalSeconds = 0.25);
        Sent = await KnownEvents.LoadAsync(Host);
        await Host.RollupAsync();
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
    }
}

/// <summary>
/// The dashboard in a real browser: sign-in by keyboard, every view's numbers against the database, no personal data and
/// no key in any page or response, labels and keyboard order, the live overview, and a PNG of each view under TestResults/dashboard.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserTests : IClassFixture<BrowserFixture>
{
    private readonly BrowserFixture _f;

    public BrowserTests(BrowserFixture fixture) => _f = fixture;

    private async Task<(IBrowserContext Context, IPage Page, List<IResponse> Responses)> SignedInAsync()
    {
        var context = await _f.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = _f.Host.BaseAddress.ToString() });
        // A busy machine (parallel builds) can take seconds per page; the numbers, not the speed, are under test here.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, r) => { lock (responses) responses.Add(r); };
        await page.GotoAsync("/dashboard");
        Assert.EndsWith("/dashboard/login", page.Url);
        var key = page.GetByLabel("Admin key");
        Assert.True(await key.EvaluateAsync<bool>("e => e === document.activeElement"), "the key field has focus on load");
        await page.Keyboard.TypeAsync(DashboardHost.AdminKey);
        var signIn = await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Enter"), r => r.Url.EndsWith("/dashboard/login", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.True(signIn.Status == 303, $"sign-in answered {signIn.Status}: {await page.InnerTextAsync("main")}");
        await page.WaitForURLAsync(new Regex("/dashboard$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        return (context, page, responses);
    }

    /// <summary>Where screenshots go: TestResults/dashboard under this test project.</summary>
    private static string Screenshots { get; } = Path.Combine(Repo.Root, "tests", "Telemetry.Ingest.Dashboard.Tests", "TestResults", "dashboard");

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    private static long Num(string text) => long.Parse(text.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static async Task<long> CellAsync(IPage page, string selector) => Num(await page.Locator(selector).InnerTextAsync());

    private async Task GoByKeyboardAsync(IPage page, string link)
    {
        var nav = page.GetByRole(AriaRole.Navigation, new PageGetByRoleOptions { Name = "Dashboard views" });
        await nav.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = link, Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        // Wait for the new page itself (its nav marks the view as current), not for a load state of the page being left.
        await Assertions.Expect(nav.Locator("[aria-current=page]")).ToHaveTextAsync(link, new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.Equal(link, await nav.Locator("[aria-current=page]").InnerTextAsync());
    }

    [ChromiumFact]
    public async Task Every_view_shows_the_numbers_of_the_database_and_no_personal_data_or_key()
    {
        var (context, page, responses) = await SignedInAsync();
        var h = _f.Host;
        var stored = await h.ScalarAsync("SELECT COUNT(*) FROM events");
        Assert.Equal(_f.Sent.Accepted, stored);

        // Overview
        var day = page.Locator("#totals tr[data-period='24h']");
        Assert.Equal(stored, Num(await day.Locator("[data-metric=accepted]").InnerTextAsync()));
        Assert.Equal(_f.Sent.Rejected, Num(await day.Locator("[data-metric=rejected]").InnerTextAsync()));
        Assert.Equal(_f.Sent.Duplicates, Num(await day.Locator("[data-metric=duplicates]").InnerTextAsync()));
        Assert.Equal(stored, Num(await page.Locator("#totals tr[data-period='7d'] [data-metric=accepted]").InnerTextAsync()));
        Assert.Equal(1, await page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "Events per hour, last 24 hours" }).CountAsync());
        Assert.Contains("ms", await page.Locator("#live-latency-p99").InnerTextAsync());
        Assert.NotEqual("0 B", await page.Locator("#storage-size").InnerTextAsync());
        await ShotAsync(page, "overview");

        // Catalog coverage
        await GoByKeyboardAsync(page, "Catalog coverage");
        foreach (var row in await h.RowsAsync("SELECT event, COUNT(*) FROM events GROUP BY event"))
        {
            Assert.Equal(long.Parse(row[1], CultureInfo.InvariantCulture), await CellAsync(page, $"#coverage tr[data-event='{row[0]}'] [data-metric=volume]"));
        }

        var catalogEvents = await page.Locator("#coverage tbody tr").CountAsync();
        var seen = (await h.RowsAsync("SELECT DISTINCT event FROM events")).Count;
        Assert.Equal(catalogEvents - seen, Num(await page.Locator("#never-seen-count").InnerTextAsync()));
        Assert.Equal(catalogEvents - seen, await page.Locator("#coverage [data-flag=never-seen]").CountAsync());
        Assert.True(await CellAsync(page, "#coverage tr[data-event='watchlist.add'] [data-metric=expected]") > 0, "a never-seen event shows the catalog's expected volume");
        Assert.Equal("1.0.0, 2.0.0", await page.Locator("#coverage tr[data-event='chart.zoom'] [data-metric=versions]").InnerTextAsync());
        Assert.Equal(3, await CellAsync(page, $"#unknown tr[data-event='{KnownEvents.UnknownEvent}'] [data-metric=count]"));
        await ShotAsync(page, "coverage");

        // Validation
        await GoByKeyboardAsync(page, "Validation");
        Assert.Equal(2, await CellAsync(page, "#rejections tr[data-event='chart.zoom'][data-property='direction'][data-reason='enum'] [data-metric=count]"));
        Assert.Equal(1, await CellAsync(page, "#rejections tr[data-event='account.contact'][data-property='email'][data-reason='max_length'] [data-metric=count]"));
        Assert.Contains("personal data", await page.Locator("#rejections tr[data-event='account.contact'][data-property='email']").InnerTextAsync());
        Assert.Contains("3.1.4", await page.Locator("#rejections tr[data-event='chart.zoom'][data-property='direction']").InnerTextAsync());
        Assert.Contains("$.direction", await page.Locator("#rejections tr[data-event='chart.zoom'][data-property='direction']").InnerTextAsync());
        await ShotAsync(page, "validation");

        // Per event
        await GoByKeyboardAsync(page, "Per event");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "chart.zoom", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/dashboard/events/chart.zoom$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(await h.ScalarAsync("SELECT COUNT(*) FROM events WHERE event = 'chart.zoom'"), await CellAsync(page, "#event-total"));
        Assert.Equal(3, await CellAsync(page, "#facet-direction tr[data-value='in'] [data-metric=count]"));
        Assert.Equal(2, await CellAsync(page, "#facet-direction tr[data-value='out'] [data-metric=count]"));
        Assert.Equal(5, await CellAsync(page, "#facet-sampling-rate tr[data-value='1'] [data-metric=count]"));
        Assert.Equal(5, await CellAsync(page, "#facet-schema-version tr[data-value='1'] [data-metric=count]"));
        Assert.Equal("100.00", await page.Locator("#numbers tr[data-property='visible_bars'] [data-metric=min]").InnerTextAsync());
        Assert.Equal("120.00", await page.Locator("#numbers tr[data-property='visible_bars'] [data-metric=avg]").InnerTextAsync());
        Assert.Equal("140.00", await page.Locator("#numbers tr[data-property='visible_bars'] [data-metric=max]").InnerTextAsync());
        await ShotAsync(page, "event");
        await page.GotoAsync("/dashboard/events/account.contact");
        Assert.Equal(2, await CellAsync(page, "#facet-channel tr[data-value='mail'] [data-metric=count]"));

        // Cost
        await GoByKeyboardAsync(page, "Cost");
        Assert.Equal(5, await CellAsync(page, "#cost tr[data-event='chart.zoom'] [data-metric=week]"));
        Assert.Equal(21, await CellAsync(page, "#cost tr[data-event='chart.zoom'] [data-metric=projected]")); // 5 × 30 / 7
        Assert.True(await CellAsync(page, "#cost tr[data-event='chart.zoom'] [data-metric=estimate]") > 0);
        await ShotAsync(page, "cost");

        // Heatmap
        await GoByKeyboardAsync(page, "Heatmap");
        Assert.Equal(_f.Sent.Heatmap.Sum(), await CellAsync(page, "#heatmap-chart-crosshair-agg-total"));
        Assert.Equal(1, await page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "Crosshair heatmap of chart.crosshair_agg" }).CountAsync());
        for (var c = 0; c < KnownEvents.HeatmapCells; c += 17)
        {
            var title = await page.Locator($"#heatmap-chart-crosshair-agg rect[data-cell='{c}'] title").TextContentAsync();
            Assert.EndsWith(": " + _f.Sent.Heatmap[c].ToString("N0", CultureInfo.InvariantCulture), title);
        }

        await ShotAsync(page, "heatmap");

        // Nothing personal and no key anywhere: pages, every response body, the URL, script-visible cookies, storage.
        foreach (var path in new[] { "/dashboard", "/dashboard/coverage", "/dashboard/validation", "/dashboard/events/account.contact", "/dashboard/cost", "/dashboard/heatmap" })
        {
            await page.GotoAsync(path);
            var html = await page.ContentAsync();
            foreach (var secret in Secrets) Assert.DoesNotContain(secret, html);
        }

        List<IResponse> all;
        lock (responses) all = responses.ToList();
        Assert.Contains(all, r => r.Url.Contains("/dashboard/api/live", StringComparison.Ordinal) || r.Url.Contains("/dashboard/heatmap", StringComparison.Ordinal));
        foreach (var r in all)
        {
            Assert.DoesNotContain(DashboardHost.AdminKey, r.Url);
            string body;
            try
            {
                body = await r.TextAsync();
            }
            catch (PlaywrightException)
            {
                continue; // a redirect has no body
            }

            foreach (var secret in Secrets) Assert.DoesNotContain(secret, body);
        }

        Assert.DoesNotContain("telemetry_dashboard_session", await page.EvaluateAsync<string>("document.cookie"));
        Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length + sessionStorage.length"));
        await context.DisposeAsync();
    }

    private static readonly string[] Secrets = { KnownEvents.PiiStored, KnownEvents.PiiRejected, "canary", DashboardHost.AdminKey, DashboardHost.WriteKey };

    [ChromiumFact]
    public async Task Keyboard_reaches_the_skip_link_and_every_view_in_order_and_every_chart_and_field_is_labelled()
    {
        var (context, page, _) = await SignedInAsync();
        await page.Locator("body").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("document.activeElement.textContent"));
        }

        Assert.Equal(new[] { "Overview", "Catalog coverage", "Validation", "Per event", "Cost", "Heatmap" }, order);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Sign out", await page.EvaluateAsync<string>("document.activeElement.textContent"));

        foreach (var path in new[] { "/dashboard", "/dashboard/coverage", "/dashboard/validation", "/dashboard/events/chart.zoom", "/dashboard/cost", "/dashboard/heatmap" })
        {
            await page.GotoAsync(path);
            Assert.Equal(1, await page.Locator("h1").CountAsync());
            // Every chart is an image with an accessible name; every form control has a label.
            var unnamed = await page.EvaluateAsync<int>("[...document.querySelectorAll('svg')].filter(s => s.getAttribute('role') !== 'img' || !s.getAttribute('aria-labelledby') || s.getAttribute('aria-labelledby').split(' ').some(id => !document.getElementById(id))).length");
            Assert.Equal(0, unnamed);
            var unlabelled = await page.EvaluateAsync<int>("[...document.querySelectorAll('input:not([type=hidden]), select')].filter(e => !e.labels || e.labels.length === 0).length");
            Assert.Equal(0, unlabelled);
            var uncaptioned = await page.EvaluateAsync<int>("[...document.querySelectorAll('table')].filter(t => !t.querySelector('caption') && !t.getAttribute('aria-labelledby')).length");
            Assert.Equal(0, uncaptioned);
        }

        // The period filter works from the keyboard.
        await page.GotoAsync("/dashboard/coverage");
        await page.GetByLabel("Period").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("days=30$"));
        Assert.Contains("last 30 days", await page.Locator("#coverage caption").InnerTextAsync());

        // Sign out by keyboard ends the session.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/dashboard/login$"));
        await page.GotoAsync("/dashboard/cost");
        Assert.EndsWith("/dashboard/login", page.Url);
        await ShotAsync(page, "login");
        await context.DisposeAsync();
    }

    [ChromiumFact]
    public async Task The_overview_updates_itself_without_a_reload()
    {
        var (context, page, _) = await SignedInAsync();
        await page.EvaluateAsync("window.__sameDocument = true");
        var before = Num(await page.Locator("#live-accepted-since-start").InnerTextAsync());
        await _f.Host.PostAsync(Events.Zoom(userId: "live-1"), Events.Zoom(userId: "live-2"), Events.Zoom(userId: "live-3"));
        await page.WaitForFunctionAsync($"() => parseInt(document.getElementById('live-accepted-since-start').textContent.replace(/,/g, ''), 10) >= {before + 3}", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page was not reloaded");
        Assert.StartsWith("Live: updated", await page.Locator("#live-status").InnerTextAsync());
        await context.DisposeAsync();
    }
}
