using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Security;

/// <summary>
/// What lets several ingest nodes act as one: write keys and rate-limit counts live in the database
/// (docs/ingest-scale-out.md). Two servers in one process over one database stand in for two nodes behind a load balancer.
/// </summary>
public sealed class SharedStateTests
{
    [Fact]
    public async Task Write_keys_are_created_listed_and_revoked_through_admin_and_stored_only_as_hashes()
    {
        using var folder = new TempFolder();
        string key;
        string keyId;
        await using (var host = await IngestHost.StartAsync(dataPath: folder.Path))
        {
            using var created = await host.Admin.PostAsync("/admin/keys", Json("""{"project":"mobile-app"}"""));
            var createdText = await created.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = JsonNode.Parse(createdText)!;
            key = (string)body["write_key"]!;
            keyId = (string)body["key_id"]!;
            Assert.StartsWith("wk_", key);
            Assert.Equal("mobile-app", (string)body["project"]!);
            Assert.Matches("^[0-9a-f]{16}$", keyId);

            using var client = ClientWith(host, key);
            using (var accepted = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom(userId: "u-mobile")), client))
            {
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            }

            var exported = await host.AdminJsonAsync("/admin/users/u-mobile/events");
            Assert.Equal("mobile-app", (string)exported["events"]![0]!["project"]!);

            // The listing names keys by id and project; no key text is ever returned again.
            using var listing = await host.Admin.GetAsync("/admin/keys");
            var listingText = await listing.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
            Assert.DoesNotContain(key, listingText);
            Assert.DoesNotContain(IngestHost.WriteKey, listingText);
            var keys = JsonNode.Parse(listingText)!["keys"]!.AsArray();
            Assert.Equal(new[] { "test", "other", "mobile-app" }, keys.Select(k => (string)k!["project"]!).ToArray());
            Assert.All(keys, k => Assert.Null(k!["revoked_at"]));

            using (var revoked = await host.Admin.DeleteAsync("/admin/keys/" + keyId))
            {
                Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            }

            using (var again = await host.Admin.DeleteAsync("/admin/keys/" + keyId))
            {
                Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            }

            using var refused = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), client);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // Only SHA-256 hashes are in the database file.
        await using (var connection = new SqliteConnection("Data Source=" + Path.Combine(folder.Path, "ingest.db") + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT key_hash, key_id, project FROM ingest_write_keys";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                var hash = (byte[])reader.GetValue(0);
                Assert.Equal(32, hash.Length);
                Assert.DoesNotContain(key, Encoding.UTF8.GetString(hash) + reader.GetString(1) + reader.GetString(2));
            }

            Assert.Equal(3, rows);
        }

        Assert.DoesNotContain(key, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Combine(folder.Path, "ingest.db"))));

        // After a restart the revoked key stays revoked and the configured keys still work.
        await using (var restarted = await IngestHost.StartAsync(dataPath: folder.Path))
        {
            using var client = ClientWith(restarted, key);
            using var refused = await restarted.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), client);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var accepted = await restarted.PostBatchAsync(Events.Zoom());
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var keys = (await restarted.AdminJsonAsync("/admin/keys"))["keys"]!.AsArray();
            Assert.Equal(3, keys.Count);
            Assert.NotNull(keys.Single(k => (string)k!["key_id"]! == keyId)!["revoked_at"]);
        }
    }

    [Theory]
    [InlineData("""{"project":""}""")]
    [InlineData("""{"project":"has space"}""")]
    [InlineData("""{"name":"x"}""")]
    [InlineData("""not json""")]
    public async Task Creating_a_key_without_a_valid_project_name_is_400(string body)
    {
        await using var host = await IngestHost.StartAsync();
        using var response = await host.Admin.PostAsync("/admin/keys", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var writeKeyOnly = await host.Client.PostAsync("/admin/keys", Json("""{"project":"x"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, writeKeyOnly.StatusCode);
    }

    [Fact]
    public async Task Shared_rate_limit_over_one_sqlite_file_holds_across_two_servers()
    {
        using var folder = new TempFolder();
        await SharedLimitHoldsAcrossNodesAsync(o =>
        {
            o.Storage.DataPath = folder.Path;
            o.Archive.Path = Path.Combine(folder.Path, "archive-" + Guid.NewGuid().ToString("N")[..6]);
            o.RateLimit.Shared = true;
        }, postgres: null, dataPath: folder.Path);
    }

    [PostgresFact]
    public async Task Shared_rate_limit_and_keys_hold_across_two_servers_on_postgres()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await SharedLimitHoldsAcrossNodesAsync(_ => { }, database.ConnectionString, dataPath: null);
        Assert.True(await database.ScalarAsync("SELECT count(*) FROM ingest_rate_counts") > 0);
    }

    [PostgresFact]
    public async Task A_key_created_on_one_node_works_on_another_at_once_and_a_revocation_reaches_it()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var a = await IngestHost.StartAsync(o => o.KeyRefreshSeconds = 0.5, postgres: database.ConnectionString);
        await using var b = await IngestHost.StartAsync(o => o.KeyRefreshSeconds = 0.5, postgres: database.ConnectionString);

        using var created = await a.Admin.PostAsync("/admin/keys", Json("""{"project":"web"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var key = (string)body["write_key"]!;

        // B has not reloaded yet, but an unknown key makes it look in the database before answering 403.
        using var onB = ClientWith(b, key);
        using (var accepted = await b.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), onB))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using (var revoked = await a.Admin.DeleteAsync("/admin/keys/" + (string)body["key_id"]!))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            using var response = await b.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), onB);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.Accepted && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(3, await database.ScalarAsync("SELECT count(*) FROM ingest_write_keys"));
    }

    /// <summary>Limit 10 per key: 6 requests to node A, then (after A reported its count) 6 to node B: B admits 4 and answers 429 twice.</summary>
    private static async Task SharedLimitHoldsAcrossNodesAsync(Action<IngestOptions> configure, string? postgres, string? dataPath)
    {
        const int WindowSeconds = 3600;
        var untilNextWindow = WindowSeconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % WindowSeconds;
        if (untilNextWindow < 30) await Task.Delay(TimeSpan.FromSeconds(untilNextWindow + 1));

        void Options(IngestOptions o)
        {
            o.RateLimit.PerKeyPermits = 10;
            o.RateLimit.WindowSeconds = WindowSeconds;
            o.RateLimit.SyncMilliseconds = 50;
            configure(o);
        }

        await using var a = await IngestHost.StartAsync(Options, postgres, dataPath);
        await using var b = await IngestHost.StartAsync(Options, postgres, dataPath);

        var onA = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await a.PostBatchAsync(Events.Zoom());
            onA.Add(response.StatusCode);
        }

        Assert.All(onA, s => Assert.Equal(HttpStatusCode.Accepted, s));
        await Task.Delay(600); // several exchanges of both nodes with the database

        var onB = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await b.PostBatchAsync(Events.Zoom());
            onB.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
            else response.Dispose();
        }

        Assert.Equal(new[] { HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests }, onB);
        Assert.NotNull(limited!.Headers.RetryAfter?.Delta);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, WindowSeconds);
        limited.Dispose();

        // And A, having learned B's count, refuses too.
        await Task.Delay(600);
        using var late = await a.PostBatchAsync(Events.Zoom());
        Assert.Equal(HttpStatusCode.TooManyRequests, late.StatusCode);
    }

    private static HttpClient ClientWith(IngestHost host, string key)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
