// Dashboard load tool: seeds the ingest store with N events spread over the last 7 days (through IEventStore.WriteBatchAsync,
// the writer's own path into the database), sends a few thousand invalid events through /v1/batch for the validation view
// and 10,000 captured errors (40 fingerprints) for the errors view, waits for the dashboard's rollup job to fold everything
// in, then signs in and times each dashboard page.
//
//   dotnet run -c Release --project benchmarks/Telemetry.Ingest.DashboardLoad -- --events 10000000
//   dotnet run -c Release --project benchmarks/Telemetry.Ingest.DashboardLoad -- --events 10000000 --postgres "Host=...;Database=..."
//   options: --data DIR (keep the SQLite file there; an existing seeded file is reused), --runs 5, --out FILE (JSON results),
//            --pages-only (time the pages of an already loaded store: no seeding, no extra events),
//            --screenshots DIR (PNG of every view, taken with the distribution's Chromium: /usr/bin/chromium or CHROMIUM_PATH)
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Npgsql;
using Telemetry.Ingest;
using Telemetry.Ingest.Storage;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var invariant = CultureInfo.InvariantCulture;
var total = long.Parse(Option("--events") ?? "10000000", invariant);
var runs = int.Parse(Option("--runs") ?? "5", invariant);
var postgres = Option("--postgres");
var pagesOnly = args.Contains("--pages-only");
var repo = FindRepository();
var data = Path.GetFullPath(Option("--data") ?? Path.Combine(Path.GetTempPath(), "dashboard-load-" + Guid.NewGuid().ToString("N")[..8]));
Directory.CreateDirectory(data);
const string writeKey = "wk-dashboard-load";
const string adminKey = "ak-dashboard-load";

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = data });
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddTelemetryIngest(o =>
{
    o.CatalogPath = Path.Combine(repo, "catalog");
    o.Storage.DataPath = data;
    o.Storage.SqliteFullSync = false;
    o.Archive.Enabled = false;
    o.RetentionDays = 3650;
    o.Projects.Add(new ProjectOptions { Name = "load", WriteKey = writeKey });
    o.AdminKey = adminKey;
    o.RateLimit.Enabled = false;
    if (postgres is not null)
    {
        o.Storage.Provider = StorageProvider.Postgres;
        o.Storage.ConnectionString = postgres;
    }
});
builder.Services.AddTelemetryDashboard(configure: o =>
{
    o.RollupIntervalSeconds = 1;
    o.RollupSettleSeconds = 0;
    o.RollupChunkEvents = 50_000;
});
var app = builder.Build();
app.MapTelemetryIngest();
app.MapTelemetryDashboard();
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
var store = app.Services.GetRequiredService<IEventStore>();
Console.WriteLine($"store: {store.Name}  data: {data}  target: {total:N0} events");

// 1. Seed.
var existing = await store.CountAsync(CancellationToken.None);
var seed = Stopwatch.StartNew();
var now = DateTimeOffset.UtcNow;
var span = TimeSpan.FromDays(7);
const int batchSize = 5000;
var generator = new EventMix(now - span, span, total);
for (var start = existing; start < total && !pagesOnly; start += batchSize)
{
    var batch = new List<StoredEvent>(batchSize);
    for (var i = start; i < Math.Min(total, start + batchSize); i++) batch.Add(generator.Create(i));
    await store.WriteBatchAsync(batch, CancellationToken.None);
    if ((start / batchSize) % 200 == 0) Console.WriteLine($"  seeded {Math.Min(total, start + batchSize):N0} ({seed.Elapsed.TotalSeconds:N0} s)");
}

var seeded = seed.Elapsed;
var stored = await store.CountAsync(CancellationToken.None);
Console.WriteLine($"seeded {stored - existing:N0} events in {seeded.TotalSeconds:N0} s; {stored:N0} stored");

// 2. Invalid events through the real endpoint, for the validation and coverage views.
using var writer = new HttpClient { BaseAddress = new Uri(address) };
writer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", writeKey);
for (var b = 0; b < (pagesOnly ? 0 : 20); b++)
{
    var events = new StringBuilder("{\"events\":[");
    for (var i = 0; i < 100; i++)
    {
        if (i > 0) events.Append(',');
        var name = (i % 3) switch { 0 => "chart.zoom", 1 => "chart.unknown_" + (i % 7).ToString(invariant), _ => "order.place_sim" };
        events.Append("{\"event\":\"").Append(name).Append("\",\"event_id\":\"").Append(Guid.NewGuid()).Append("\",\"timestamp\":\"").Append(DateTimeOffset.UtcNow.ToString("O", invariant))
            .Append("\",\"session_id\":\"s\",\"user_bucket\":1,\"sampling_rate\":1,\"client_version\":\"9.").Append(b % 4).Append(".0\",\"schema_version\":1,\"direction\":\"sideways\"}");
    }

    using var response = await writer.PostAsync("/v1/batch", new StringContent(events.Append("]}").ToString(), Encoding.UTF8, "application/json"));
    if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException("POST /v1/batch: " + (int)response.StatusCode);
}

// Captured errors (error.captured) for the errors view: 10,000 of 40 fingerprints from 1,500 users, over the last day.
string[] errorVersions = { "1.0.0", "1.1.0", "1.2.0", "2.0.0" };
for (var b = 0; b < (pagesOnly ? 0 : 20); b++)
{
    var events = new StringBuilder("{\"events\":[");
    for (var i = 0; i < 500; i++)
    {
        var n = b * 500 + i;
        if (i > 0) events.Append(',');
        var fingerprint = (0x5eed0000 + n % 40).ToString("x8", invariant) + "a1b2c3d4";
        events.Append("{\"event\":\"error.captured\",\"event_id\":\"").Append(Guid.NewGuid()).Append("\",\"timestamp\":\"").Append(DateTimeOffset.UtcNow.AddSeconds(-n * 8).ToString("O", invariant))
            .Append("\",\"session_id\":\"s-").Append(n % 3000).Append("\",\"user_id\":\"user-").Append(n % 1500).Append("\",\"user_bucket\":").Append(n % 10000)
            .Append(",\"sampling_rate\":1,\"client_version\":\"").Append(errorVersions[n % 4]).Append("\",\"schema_version\":1,\"level\":\"error\",\"mechanism\":\"manual\",\"handled\":true,")
            .Append("\"error_type\":\"System.InvalidOperationException\",\"error_message\":\"Quote feed ").Append(n % 40).Append(" could not reconnect\",\"fingerprint\":\"").Append(fingerprint)
            .Append("\",\"exception_types\":[\"System.InvalidOperationException\",\"System.IO.IOException\"],\"stack_trace\":\"System.InvalidOperationException: Quote feed could not reconnect\\n   at ChartApp.QuoteFeed.Reconnect(String symbol)\",")
            .Append("\"breadcrumbs\":[\"track chart.zoom\",\"track watchlist.add\",\"warning Quote feed slow\"],\"tags\":[\"feature=chart\"],\"suppressed\":").Append(n % 3).Append('}');
    }

    using var response = await writer.PostAsync("/v1/batch", new StringContent(events.Append("]}").ToString(), Encoding.UTF8, "application/json"));
    var answer = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.Accepted || !answer.StartsWith("{\"accepted\":500,", StringComparison.Ordinal)) throw new InvalidOperationException("POST /v1/batch (errors): " + (int)response.StatusCode + " " + answer);
}

stored = await store.CountAsync(CancellationToken.None);

// 3. Wait for the rollup job.
var rollup = Stopwatch.StartNew();
long rolled = 0;
while (rolled < stored)
{
    await Task.Delay(1000);
    rolled = await RolledUpAsync();
    if (rollup.Elapsed.TotalSeconds % 30 < 1) Console.WriteLine($"  rolled up {rolled:N0} of {stored:N0} ({rollup.Elapsed.TotalSeconds:N0} s)");
}

Console.WriteLine($"rollup caught up with {stored:N0} events in {rollup.Elapsed.TotalSeconds:N0} s (includes events rolled up while seeding: the job runs alongside)");

// 4. Sign in and time every page.
var cookies = new CookieContainer();
using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
var login = await browser.GetStringAsync("/dashboard/login");
var token = Regex.Match(login, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">");
using (var signIn = await browser.PostAsync("/dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = adminKey, [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) })))
{
    if (signIn.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException("sign-in failed: " + (int)signIn.StatusCode);
}

var pages = new[] { "/dashboard", "/dashboard/api/live", "/dashboard/coverage", "/dashboard/coverage?days=30", "/dashboard/validation", "/dashboard/events", "/dashboard/events/chart.zoom", "/dashboard/events/chart.crosshair_agg", "/dashboard/cost", "/dashboard/heatmap", "/dashboard/errors" };
var results = new List<PageTime>();
Console.WriteLine();
Console.WriteLine($"| page ({store.Name}, {stored:N0} events) | median ms | max ms | bytes |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var page in pages)
{
    var times = new List<double>();
    long bytes = 0;
    for (var r = 0; r < runs + 1; r++)
    {
        var sw = Stopwatch.StartNew();
        using var response = await browser.GetAsync(page);
        var body = await response.Content.ReadAsByteArrayAsync();
        sw.Stop();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {page}: {(int)response.StatusCode}");
        bytes = body.Length;
        if (r > 0) times.Add(sw.Elapsed.TotalMilliseconds); // the first request warms up (JIT)
    }

    times.Sort();
    var result = new PageTime(page, times[times.Count / 2], times[^1], bytes);
    results.Add(result);
    Console.WriteLine($"| `{page}` | {result.MedianMs:N1} | {result.MaxMs:N1} | {bytes:N0} |");
}

var output = Option("--out");
if (output is not null)
{
    File.WriteAllText(output, JsonSerializer.Serialize(new { store = store.Name, events = stored, seed_seconds = seeded.TotalSeconds, rollup_seconds = rollup.Elapsed.TotalSeconds, pages = results }, new JsonSerializerOptions { WriteIndented = true }));
}

if (Option("--screenshots") is { } shots)
{
    Directory.CreateDirectory(shots);
    using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
    await using var chromium = await playwright.Chromium.LaunchAsync(new Microsoft.Playwright.BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync" },
    });
    var context = await chromium.NewContextAsync(new Microsoft.Playwright.BrowserNewContextOptions { BaseURL = address, ViewportSize = new Microsoft.Playwright.ViewportSize { Width = 1280, Height = 900 } });
    context.SetDefaultTimeout(120_000);
    var tab = await context.NewPageAsync();
    // Waits are for what is shown (the page's footer), not for load-state events, which a loaded machine can make Playwright miss.
    var commit = new Microsoft.Playwright.PageGotoOptions { WaitUntil = Microsoft.Playwright.WaitUntilState.Commit };
    await tab.GotoAsync("/dashboard/login", commit);
    await tab.GetByLabel("Admin key").FillAsync(adminKey);
    await tab.ScreenshotAsync(new Microsoft.Playwright.PageScreenshotOptions { Path = Path.Combine(shots, "dashboard-login.png") });
    await tab.Keyboard.PressAsync("Enter");
    await Microsoft.Playwright.Assertions.Expect(tab).ToHaveURLAsync(new Regex("/dashboard$"), new() { Timeout = 120_000 });
    foreach (var (path, name) in new[] { ("/dashboard", "overview"), ("/dashboard/coverage", "coverage"), ("/dashboard/validation", "validation"), ("/dashboard/events/chart.zoom", "event"), ("/dashboard/cost", "cost"), ("/dashboard/heatmap", "heatmap"), ("/dashboard/errors", "errors") })
    {
        await tab.GotoAsync(path, commit);
        await Microsoft.Playwright.Assertions.Expect(tab.Locator("body > footer")).ToBeAttachedAsync(new() { Timeout = 120_000 });
        await tab.ScreenshotAsync(new Microsoft.Playwright.PageScreenshotOptions { Path = Path.Combine(shots, "dashboard-" + name + ".png"), FullPage = true });
    }

    Console.WriteLine($"screenshots in {shots}");
}

await app.StopAsync();
return 0;

async Task<long> RolledUpAsync()
{
    const string sql = "SELECT COALESCE(SUM(events), 0) FROM dashboard_event_hours";
    if (postgres is not null)
    {
        await using var c = new NpgsqlConnection(postgres);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), invariant);
    }

    await using var s = new SqliteConnection("Data Source=" + Path.Combine(data, "ingest.db"));
    await s.OpenAsync();
    await using var sc = s.CreateCommand();
    sc.CommandText = sql;
    return Convert.ToInt64(await sc.ExecuteScalarAsync(), invariant);
}

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) return dir.FullName;
    }

    throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
}

internal sealed record PageTime(string Page, double MedianMs, double MaxMs, long Bytes);

/// <summary>A deterministic mix of valid wire objects of six catalog events, spread evenly over the period.</summary>
internal sealed class EventMix
{
    private static readonly string[] Versions = { "1.0.0", "1.1.0", "1.2.0", "2.0.0" };
    private readonly DateTimeOffset _from;
    private readonly double _stepMs;

    public EventMix(DateTimeOffset from, TimeSpan span, long total)
    {
        _from = from;
        _stepMs = span.TotalMilliseconds / Math.Max(1, total);
    }

    public StoredEvent Create(long i)
    {
        var received = _from.AddMilliseconds(i * _stepMs);
        var id = Guid.CreateVersion7(received);
        var version = Versions[(int)(i % 7 % Versions.Length)];
        var user = "user-" + (i % 1500).ToString(CultureInfo.InvariantCulture);
        var ts = received.ToString("O", CultureInfo.InvariantCulture);
        var head = $"{{\"event_id\":\"{id}\",\"timestamp\":\"{ts}\",\"session_id\":\"s-{i % 5000}\",\"user_id\":\"{user}\",\"user_bucket\":{i % 10000},\"client_version\":\"{version}\",\"schema_version\":1,";
        string name, payload;
        var rate = 1.0;
        switch (i % 10)
        {
            case 0 or 1 or 2:
                name = "chart.zoom";
                payload = head + $"\"event\":\"chart.zoom\",\"sampling_rate\":1,\"direction\":\"{(i % 2 == 0 ? "in" : "out")}\",\"method\":\"wheel\",\"visible_bars\":{50 + i % 400},\"timeframe\":\"15m\"}}";
                break;
            case 3 or 4 or 5:
                name = "chart.crosshair_agg";
                var cells = new StringBuilder();
                for (var c = 0; c < 144; c++) cells.Append(c == 0 ? "" : ",").Append((c * 31 + i) % 13 == 0 ? (c % 9) + 1 : 0);
                payload = head + $"\"event\":\"chart.crosshair_agg\",\"sampling_rate\":1,\"symbol\":\"BTC/USDT\",\"window_ms\":5000,\"count\":{100 + i % 150},\"price_min\":48900.5,\"price_max\":49100,\"price_avg\":49000.25,\"last_price\":49000,\"last_time\":\"{ts}\",\"heatmap\":[{cells}]}}";
                break;
            case 6 or 7:
                name = "watchlist.add";
                rate = 0.1;
                payload = head + $"\"event\":\"watchlist.add\",\"sampling_rate\":0.1,\"symbol\":\"ETH/USDT\",\"source\":\"{(i % 3 == 0 ? "search" : "chart")}\"}}";
                break;
            case 8:
                name = "order.panel_open";
                payload = head + "\"event\":\"order.panel_open\",\"sampling_rate\":1,\"symbol\":\"BTC/USDT\",\"source\":\"chart\",\"mode\":\"simulated\"}";
                break;
            default:
                name = "order.place_sim";
                payload = head + $"\"event\":\"order.place_sim\",\"sampling_rate\":1,\"order_id\":\"{Guid.NewGuid()}\",\"symbol\":\"ETH/USDT\",\"side\":\"{(i % 4 == 0 ? "sell" : "buy")}\",\"order_type\":\"limit\",\"quantity\":{(1 + i % 20) / 10.0},\"price\":3150.75,\"simulated\":true}}";
                break;
        }

        return new StoredEvent(id, false, "load", name, received, received, "s-" + (i % 5000).ToString(CultureInfo.InvariantCulture), user, null, version, 1, rate, (int)(i % 10000), null, "desktop", "Linux", "Chrome", payload);
    }
}
