using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Ingest.Dashboard.Tests.TestSupport;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Dashboard.Tests;

/// <summary>
/// The rollup tables against the database they summarise: random mixes of events (sent through /v1/batch, with retries),
/// rolled up in random chunk sizes, must give exactly the counts, facets, number statistics and heatmap sums that a
/// full read of <c>events</c> gives; the rejection summaries must match what was rejected and hold no value.
/// </summary>
public sealed class RollupTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task Sqlite_rollup_equals_a_full_read_of_events(int seed) => RollupEqualsEventsAsync(seed, postgres: false);

    [PostgresFact]
    public Task Postgres_rollup_equals_a_full_read_of_events() => RollupEqualsEventsAsync(4, postgres: true);

    private static async Task RollupEqualsEventsAsync(int seed, bool postgres)
    {
        var random = new Random(seed);
        await using var host = await DashboardHost.StartAsync(postgres, o =>
        {
            o.RollupChunkEvents = random.Next(1, 40);
            o.RollupIntervalSeconds = 3600; // only the test's own runs
        });
        for (var round = 0; round < 3; round++)
        {
            var sent = new List<JsonObject>();
            for (var batch = 0; batch < 4; batch++)
            {
                var events = new List<JsonObject>();
                var n = random.Next(1, 30);
                for (var i = 0; i < n; i++) events.Add(RandomEvent(random));
                if (sent.Count > 0 && random.Next(3) == 0) events.Add(sent[random.Next(sent.Count)].DeepClone().AsObject()); // a retry
                await host.PostAsync(events.ToArray());
                sent.AddRange(events);
            }

            await host.RollupAsync();
            await AssertRollupMatchesAsync(host);
        }
    }

    private static readonly string[] Versions = { "1.0.0", "1.1.0", "2.0.0-beta.1", "10.4.2" };

    private static JsonObject RandomEvent(Random random)
    {
        JsonObject e;
        switch (random.Next(3))
        {
            case 0:
                e = Events.Zoom(userId: "u" + random.Next(50));
                e["direction"] = random.Next(2) == 0 ? "in" : "out";
                e["visible_bars"] = random.Next(10, 5000);
                break;
            case 1:
                e = Events.PlaceSim(userId: "u" + random.Next(50));
                e["quantity"] = Math.Round(random.NextDouble() * 10 + 0.001, 3);
                e["simulated"] = random.Next(2) == 0;
                break;
            default:
                e = Events.CrosshairAgg(userId: "u" + random.Next(50));
                var cells = new JsonArray();
                for (var c = 0; c < KnownEvents.HeatmapCells; c++) cells.Add(random.Next(4) == 0 ? random.Next(0, 9) : 0);
                e["heatmap"] = cells;
                break;
        }

        e["client_version"] = Versions[random.Next(Versions.Length)];
        e["sampling_rate"] = random.Next(2) == 0 ? 1 : 0.5;
        return e;
    }

    private static async Task AssertRollupMatchesAsync(DashboardHost host)
    {
        var received = host.IsPostgres ? "floor(extract(epoch from received_at) * 1000)::bigint" : "received_at";
        var rows = await host.RowsAsync($"SELECT event, {received}, client_version, sampling_rate, schema_version, payload FROM events");
        Assert.NotEmpty(rows);

        var hours = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var facets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var numbers = new SortedDictionary<string, (long N, double Sum, double Min, double Max)>(StringComparer.Ordinal);
        var cells = new SortedDictionary<string, long>(StringComparer.Ordinal);
        void Add(SortedDictionary<string, long> d, string key, long n = 1) => d[key] = d.TryGetValue(key, out var v) ? v + n : n;
        foreach (var r in rows)
        {
            var ev = r[0];
            var hour = long.Parse(r[1], CultureInfo.InvariantCulture) / 3_600_000 * 3_600_000;
            Add(hours, ev + "|" + hour);
            Add(facets, ev + "|client_version|" + r[2]);
            Add(facets, ev + "|sampling_rate|" + double.Parse(r[3], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
            Add(facets, ev + "|schema_version|" + r[4]);
            using var doc = JsonDocument.Parse(r[5]);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if ((ev, p.Name) is ("chart.zoom", "direction" or "method" or "timeframe") or ("order.place_sim", "side" or "order_type" or "simulated"))
                {
                    Add(facets, ev + "|property:" + p.Name + "|" + (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
                }

                if ((ev, p.Name) is ("chart.zoom", "visible_bars") or ("order.place_sim", "quantity" or "price"))
                {
                    var x = p.Value.GetDouble();
                    var key = ev + "|" + p.Name;
                    numbers[key] = numbers.TryGetValue(key, out var s) ? (s.N + 1, s.Sum + x, Math.Min(s.Min, x), Math.Max(s.Max, x)) : (1, x, x, x);
                }

                if (ev == "chart.crosshair_agg" && p.Name == "heatmap")
                {
                    var i = 0;
                    foreach (var c in p.Value.EnumerateArray())
                    {
                        if (c.GetInt64() > 0) Add(cells, ev + "|" + i, c.GetInt64());
                        i++;
                    }
                }
            }
        }

        Assert.Equal(hours, await TableAsync(host, "SELECT event, hour, events FROM dashboard_event_hours"));
        Assert.Equal(facets, await TableAsync(host, "SELECT event, facet, value, events FROM dashboard_facets"));
        Assert.Equal(cells, await TableAsync(host, "SELECT event, cell, hits FROM dashboard_heatmap"));
        var rolledNumbers = await host.RowsAsync("SELECT event, property, n, total, low, high FROM dashboard_numbers");
        foreach (var (key, s) in numbers)
        {
            var row = rolledNumbers.SingleOrDefault(r => r[0] + "|" + r[1] == key);
            Assert.True(row is not null, "no number statistics for " + key);
            Assert.Equal(s.N, long.Parse(row![2], CultureInfo.InvariantCulture));
            Assert.Equal(s.Sum, double.Parse(row[3], CultureInfo.InvariantCulture), 6);
            Assert.Equal(s.Min, double.Parse(row[4], CultureInfo.InvariantCulture));
            Assert.Equal(s.Max, double.Parse(row[5], CultureInfo.InvariantCulture));
        }
    }

    private static async Task<SortedDictionary<string, long>> TableAsync(DashboardHost host, string sql)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in await host.RowsAsync(sql)) result[string.Join("|", r[..^1])] = long.Parse(r[^1], CultureInfo.InvariantCulture);
        return result;
    }

    [Fact]
    public Task Sqlite_rejections_are_summarised_by_event_property_reason_path_and_version_without_values() => RejectionsAsync(postgres: false);

    [PostgresFact]
    public Task Postgres_rejections_are_summarised_and_every_page_answers_from_the_rollup() => RejectionsAsync(postgres: true);

    private static async Task RejectionsAsync(bool postgres)
    {
        await using var host = await DashboardHost.StartAsync(postgres, o => o.RollupIntervalSeconds = 3600);
        await KnownEvents.LoadAsync(host);
        await host.RollupAsync();
        var rows = await host.RowsAsync("SELECT event, property, reason, path, client_version, events FROM dashboard_rejections ORDER BY event, property");
        Assert.Contains(rows, r => r[0] == "chart.zoom" && r[1] == "direction" && r[2] == "enum" && r[3] == "$.direction" && r[4] == "3.1.4" && r[5] == "2");
        Assert.Contains(rows, r => r[0] == KnownEvents.UnknownEvent && r[2] == "unknown_event" && r[4] == "0.9.0" && r[5] == "3");
        Assert.Contains(rows, r => r[0] == "account.contact" && r[1] == "email" && r[2] == "max_length" && r[3] == "$.email" && r[5] == "1");
        Assert.Equal(2, await host.ScalarAsync("SELECT SUM(duplicates) FROM dashboard_ingest_hours"));
        Assert.Equal(6, await host.ScalarAsync("SELECT SUM(rejected) FROM dashboard_ingest_hours"));

        // No dashboard table holds a value of personal data (stored or rejected) or a key.
        foreach (var table in new[] { "dashboard_event_hours", "dashboard_facets", "dashboard_numbers", "dashboard_heatmap", "dashboard_ingest_hours", "dashboard_rejections" })
        {
            foreach (var row in await host.RowsAsync("SELECT * FROM " + table))
            {
                var text = string.Join("|", row);
                Assert.DoesNotContain("canary", text);
                Assert.DoesNotContain(DashboardHost.WriteKey, text);
                Assert.DoesNotContain(DashboardHost.AdminKey, text);
            }
        }

        // ... nor does any page.
        var (client, _) = host.Browserless();
        (await DashboardHost.SignInAsync(client, DashboardHost.AdminKey)).Dispose();
        foreach (var page in new[] { "/dashboard", "/dashboard/coverage", "/dashboard/validation", "/dashboard/events/account.contact", "/dashboard/cost", "/dashboard/heatmap", "/dashboard/errors", "/dashboard/api/live" })
        {
            using var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(KnownEvents.PiiStored, html);
            Assert.DoesNotContain(KnownEvents.PiiRejected, html);
            Assert.DoesNotContain(KnownEvents.PiiInError, html);
            Assert.DoesNotContain("canary", html);
            if (page == "/dashboard/coverage")
            {
                Assert.Matches("<tr data-event=\"chart.zoom\">.*?data-metric=\"volume\">5<", html);
                Assert.Matches("<tr data-event=\"chart.mystery_event\">.*?data-metric=\"count\">3<", html);
            }

            if (page == "/dashboard/errors")
            {
                Assert.Matches("<tr data-project=\"test\" data-fingerprint=\"" + KnownEvents.FingerprintA + "\" data-status=\"open\">.*?data-metric=\"count\">5<", html);
                Assert.Contains("Disk full", html);
            }
        }
    }

    [Theory]
    [InlineData("$.events[3].price", "$.events[3]", "$.price", "price")]
    [InlineData("$.events[12]", "$.events[12]", "$", "")]
    [InlineData("$.items[4].sku", "$", "$.items[*].sku", "items")]
    [InlineData("$.events[0]['a b']", "$.events[0]", "$['a b']", "a b")]
    [InlineData("$.events[0]['it\\'s']", "$.events[0]", "$['it\\'s']", "it's")]
    public void Rejection_paths_are_relative_to_the_event_with_array_indexes_folded(string path, string eventPath, string relative, string property)
    {
        Assert.Equal(relative, DashboardRecorder.RelativePath(path, eventPath));
        Assert.Equal(property, DashboardRecorder.PropertyOf(relative));
    }
}
