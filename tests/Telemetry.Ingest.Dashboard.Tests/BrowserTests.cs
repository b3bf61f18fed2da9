using System.Diagnostics;
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

    /// <summary>
    /// Bound of every single wait (a page load, an element, an assertion): generous for a 2-core machine running other
    /// builds, but bounded so a real hang fails with the step's name instead of stalling the run.
    /// </summary>
    private const float StepTimeoutMs = 60_000;

    private async Task<(IBrowserContext Context, IPage Page, List<IResponse> Responses)> SignedInAsync()
    {
        var context = await _f.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = _f.Host.BaseAddress.ToString() });
        context.SetDefaultTimeout(StepTimeoutMs);
        context.SetDefaultNavigationTimeout(StepTimeoutMs);
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, r) => { lock (responses) responses.Add(r); };
        await GoAsync(page, "/dashboard");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/dashboard/login$"), new() { Timeout = StepTimeoutMs });
        var key = page.GetByLabel("Admin key");
        await Assertions.Expect(key).ToBeFocusedAsync(new() { Timeout = StepTimeoutMs }); // the key field has focus on load
        await page.Keyboard.TypeAsync(DashboardHost.AdminKey);
        var signIn = await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Enter"), r => r.Url.EndsWith("/dashboard/login", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.True(signIn.Status == 303, $"sign-in answered {signIn.Status}: {await page.InnerTextAsync("main")}");
        await ArrivedAsync(page, "Overview", "Overview", "/dashboard$");
        return (context, page, responses);
    }

    /// <summary>Where screenshots go: TestResults/dashboard under this test project.</summary>
    private static string Screenshots { get; } = Path.Combine(Repo.Root, "tests", "Telemetry.Ingest.Dashboard.Tests", "TestResults", "dashboard");

    /// <summary>
    /// Navigates and returns once the new document is committed. The tests then wait for what they read (the view's
    /// heading, the footer that ends every page), never for a load-state event: under CPU contention Playwright can miss
    /// the DOMContentLoaded of a document it is already on and wait for it until the timeout.
    /// </summary>
    private static Task GoAsync(IPage page, string path) => page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = StepTimeoutMs });

    /// <summary>Waits until the page at <paramref name="url"/> is the one shown: its URL, its view marked current, its heading, and its footer parsed.</summary>
    private static async Task ArrivedAsync(IPage page, string view, string heading, string url)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(url), new() { Timeout = StepTimeoutMs });
        var nav = page.GetByRole(AriaRole.Navigation, new PageGetByRoleOptions { Name = "Dashboard views" });
        await Assertions.Expect(nav.Locator("[aria-current=page]")).ToHaveTextAsync(view, new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(heading, new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(page.Locator("body > footer")).ToBeAttachedAsync(new() { Timeout = StepTimeoutMs });
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true, Timeout = StepTimeoutMs });
    }

    private static long Num(string text) => long.Parse(text.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static async Task<long> CellAsync(IPage page, string selector) => Num(await page.Locator(selector).InnerTextAsync());

    private static async Task<long> CellAsync(ILocator row, string selector) => Num(await row.Locator(selector).InnerTextAsync());

    private static readonly Dictionary<string, string> ViewPaths = new()
    {
        ["Overview"] = "/dashboard$", ["Catalog coverage"] = "/dashboard/coverage$", ["Validation"] = "/dashboard/validation$", ["Per event"] = "/dashboard/events$",
        ["Cost"] = "/dashboard/cost$", ["Heatmap"] = "/dashboard/heatmap$", ["Errors"] = "/dashboard/errors$",
    };

    private static async Task GoByKeyboardAsync(IPage page, string link)
    {
        var nav = page.GetByRole(AriaRole.Navigation, new PageGetByRoleOptions { Name = "Dashboard views" });
        await nav.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = link, Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, link, link, ViewPaths[link]);
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
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "chart.zoom", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, "Per event", "chart.zoom", "/dashboard/events/chart.zoom$");
        Assert.Equal(await h.ScalarAsync("SELECT COUNT(*) FROM events WHERE event = 'chart.zoom'"), await CellAsync(page, "#event-total"));
        Assert.Equal(3, await CellAsync(page, "#facet-direction tr[data-value='in'] [data-metric=count]"));
        Assert.Equal(2, await CellAsync(page, "#facet-direction tr[data-value='out'] [data-metric=count]"));
        Assert.Equal(5, await CellAsync(page, "#facet-sampling-rate tr[data-value='1'] [data-metric=count]"));
        Assert.Equal(5, await CellAsync(page, "#facet-schema-version tr[data-value='1'] [data-metric=count]"));
        Assert.Equal("100.00", await page.Locator("#numbers tr[data-property='visible_bars'] [data-metric=min]").InnerTextAsync());
        Assert.Equal("120.00", await page.Locator("#numbers tr[data-property='visible_bars'] [data-metric=avg]").InnerTextAsync());
        Assert.Equal("140.00", await page.Locator("#numbers tr[data-property='visible_bars'] [data-metric=max]").InnerTextAsync());
        await ShotAsync(page, "event");
        await GoAsync(page, "/dashboard/events/account.contact");
        await ArrivedAsync(page, "Per event", "account.contact", "/dashboard/events/account.contact$");
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

        // Errors: every issue's numbers against error.captured in the database; the message scrubbed again; breadcrumbs; resolve and reopen.
        await GoByKeyboardAsync(page, "Errors");
        var issues = await h.RowsAsync("SELECT json_extract(payload, '$.fingerprint'), COUNT(*) + SUM(json_extract(payload, '$.suppressed')), COUNT(DISTINCT COALESCE(user_id, anonymous_id)), "
            + "COUNT(DISTINCT session_id), MIN(timestamp), MAX(timestamp), COUNT(*) FROM events WHERE event = 'error.captured' GROUP BY 1");
        Assert.Equal(2, issues.Count);
        Assert.Equal(issues.Count, await page.Locator("#errors tbody tr").CountAsync());
        foreach (var issue in issues)
        {
            var row = page.Locator($"#errors tr[data-fingerprint='{issue[0]}']");
            Assert.Equal(long.Parse(issue[1], CultureInfo.InvariantCulture), await CellAsync(row, "[data-metric=count]"));
            Assert.Equal(long.Parse(issue[2], CultureInfo.InvariantCulture), await CellAsync(row, "[data-metric=users]"));
            Assert.Equal(long.Parse(issue[3], CultureInfo.InvariantCulture), await CellAsync(row, "[data-metric=sessions]"));
            Assert.Equal(UtcText(issue[4]), await row.Locator("[data-metric=first]").InnerTextAsync());
            Assert.Equal(UtcText(issue[5]), await row.Locator("[data-metric=last]").InnerTextAsync());
            Assert.Equal("open", await row.GetAttributeAsync("data-status"));
        }

        var rowA = page.Locator($"#errors tr[data-fingerprint='{KnownEvents.FingerprintA}']");
        Assert.Equal(5, await CellAsync(rowA, "[data-metric=count]")); // 3 stored + 2 counted by the client's rate limit
        Assert.Equal(3, await CellAsync(rowA, "[data-metric=events]"));
        Assert.Equal("1.0.0, 2.0.0", await rowA.Locator("[data-metric=versions]").InnerTextAsync());
        Assert.Contains("System.InvalidOperationException", await rowA.Locator("th").InnerTextAsync());
        var message = await rowA.Locator("[data-metric=message]").InnerTextAsync();
        Assert.StartsWith("Quote feed failed for ", message);
        Assert.DoesNotContain("@example.com", message);
        Assert.DoesNotContain("alice", message);
        await rowA.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter"); // opens the breadcrumbs
        await Assertions.Expect(rowA.Locator("ol.crumbs li")).ToHaveTextAsync(KnownEvents.LatestCrumbsA, new() { Timeout = StepTimeoutMs });
        await ShotAsync(page, "errors");

        var resolve = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Resolve System.InvalidOperationException " + KnownEvents.FingerprintA, Exact = true });
        await resolve.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, "Errors", "Errors", "/dashboard/errors\\?status=open$");
        await Assertions.Expect(rowA).ToHaveCountAsync(0, new() { Timeout = StepTimeoutMs });
        Assert.Equal(1, await page.Locator($"#errors tr[data-fingerprint='{KnownEvents.FingerprintB}']").CountAsync());
        Assert.Equal(1, await h.ScalarAsync($"SELECT COUNT(*) FROM error_issues WHERE fingerprint = '{KnownEvents.FingerprintA}' AND resolved_at IS NOT NULL"));
        await page.GetByLabel("Status").SelectOptionAsync("resolved");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, "Errors", "Errors", "/dashboard/errors\\?status=resolved$");
        Assert.Equal("resolved", await rowA.GetAttributeAsync("data-status"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Reopen System.InvalidOperationException " + KnownEvents.FingerprintA, Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#no-errors")).ToBeAttachedAsync(new() { Timeout = StepTimeoutMs });
        Assert.Equal(0, await h.ScalarAsync($"SELECT COUNT(*) FROM error_issues WHERE resolved_at IS NOT NULL"));

        // Nothing personal and no key anywhere: every page as the browser holds it, every URL, every response the server sent,
        // script-visible cookies and storage.
        foreach (var (path, view, heading) in new[]
        {
            ("/dashboard", "Overview", "Overview"), ("/dashboard/coverage", "Catalog coverage", "Catalog coverage"), ("/dashboard/validation", "Validation", "Validation"),
            ("/dashboard/events/account.contact", "Per event", "account.contact"), ("/dashboard/cost", "Cost", "Cost"), ("/dashboard/heatmap", "Heatmap", "Heatmap"),
            ("/dashboard/errors?status=all", "Errors", "Errors"),
        })
        {
            await GoAsync(page, path);
            await ArrivedAsync(page, view, heading, Regex.Escape(path) + "$");
            var html = await page.ContentAsync();
            foreach (var secret in Secrets) Assert.DoesNotContain(secret, html);
        }

        List<IResponse> all;
        lock (responses) all = responses.ToList();
        foreach (var r in all) Assert.DoesNotContain(DashboardHost.AdminKey, r.Url);
        Assert.DoesNotContain(DashboardHost.AdminKey, page.Url);

        // Bodies are checked as the server sent them (the browser may drop a body once the page has moved on).
        // The live feed is polled by the overview on a timer, which a fast run can leave before the first poll: ask for it
        // once from the signed-in page so its body is among those checked.
        await page.EvaluateAsync("() => fetch('/dashboard/api/live').then(r => r.text())");

        // The server records a response when its pipeline returns, which can be just after the browser has the bytes: wait
        // (bounded) until every page the test visited is recorded.
        var requiredPaths = new[] { "/dashboard", "/dashboard/coverage", "/dashboard/validation", "/dashboard/events/chart.zoom", "/dashboard/cost", "/dashboard/heatmap", "/dashboard/errors?status=all", "/dashboard/api/live", "/dashboard/assets/live.js", "/dashboard/login" };
        var sent = h.SentResponses;
        for (var waited = Stopwatch.StartNew(); waited.ElapsedMilliseconds < 15_000; await Task.Delay(100))
        {
            sent = h.SentResponses;
            if (requiredPaths.All(path => sent.Any(r => r.Path == path && r.Body.Length > 0))) break;
        }

        foreach (var required in requiredPaths)
        {
            Assert.True(sent.Any(r => r.Path == required && r.Body.Length > 0),
                $"no response with a body recorded for {required}; recorded: " + string.Join(", ", sent.Select(r => $"{r.Method} {r.Path} {r.Status} ({r.Body.Length} chars)")));
        }

        foreach (var r in sent)
        {
            foreach (var secret in Secrets) Assert.False(r.Body.Contains(secret, StringComparison.Ordinal), $"{r.Method} {r.Path} ({r.Status}) sent '{secret}'");
        }

        Assert.DoesNotContain("telemetry_dashboard_session", await page.EvaluateAsync<string>("document.cookie"));
        Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length + sessionStorage.length"));
        await context.DisposeAsync();
    }

    /// <summary>A Unix-milliseconds time from SQLite as the dashboard prints it.</summary>
    private static string UtcText(string unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(unixMs, CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static readonly string[] Secrets = { KnownEvents.PiiStored, KnownEvents.PiiRejected, KnownEvents.PiiInError, "canary", DashboardHost.AdminKey, DashboardHost.WriteKey };

    [ChromiumFact]
    public async Task Keyboard_reaches_the_skip_link_and_every_view_in_order_and_every_chart_and_field_is_labelled()
    {
        var (context, page, _) = await SignedInAsync();
        await page.Locator("body").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        var order = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("document.activeElement.textContent"));
        }

        Assert.Equal(new[] { "Overview", "Catalog coverage", "Validation", "Per event", "Cost", "Heatmap", "Errors" }, order);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Sign out", await page.EvaluateAsync<string>("document.activeElement.textContent"));

        foreach (var (path, view, heading) in new[]
        {
            ("/dashboard", "Overview", "Overview"), ("/dashboard/coverage", "Catalog coverage", "Catalog coverage"), ("/dashboard/validation", "Validation", "Validation"),
            ("/dashboard/events/chart.zoom", "Per event", "chart.zoom"), ("/dashboard/cost", "Cost", "Cost"), ("/dashboard/heatmap", "Heatmap", "Heatmap"), ("/dashboard/errors", "Errors", "Errors"),
        })
        {
            await GoAsync(page, path);
            await ArrivedAsync(page, view, heading, Regex.Escape(path) + "$");
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
        await GoAsync(page, "/dashboard/coverage");
        await ArrivedAsync(page, "Catalog coverage", "Catalog coverage", "/dashboard/coverage$");
        await page.GetByLabel("Period").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ArrivedAsync(page, "Catalog coverage", "Catalog coverage", "days=30$");
        await Assertions.Expect(page.Locator("#coverage caption")).ToContainTextAsync("last 30 days", new() { Timeout = StepTimeoutMs });

        // Sign out by keyboard ends the session.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/dashboard/login$"), new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(page.GetByLabel("Admin key")).ToBeVisibleAsync(new() { Timeout = StepTimeoutMs });
        await GoAsync(page, "/dashboard/cost");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/dashboard/login$"), new() { Timeout = StepTimeoutMs });
        await Assertions.Expect(page.GetByLabel("Admin key")).ToBeVisibleAsync(new() { Timeout = StepTimeoutMs });
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
            new PageWaitForFunctionOptions { Timeout = StepTimeoutMs, PollingInterval = 100 });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page was not reloaded");
        Assert.StartsWith("Live: updated", await page.Locator("#live-status").InnerTextAsync());
        await context.DisposeAsync();
    }
}
