using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telemetry.Ingest.Archive;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>
/// Erasure and export reach every stored id and every copy (rows, archive, forwarding queue), and the logs name no one.
/// Each scenario runs on SQLite and on PostgreSQL.
/// </summary>
public static class GdprScenarios
{
    /// <summary>Ids a path segment cannot carry (or carries only after normalisation), and long and non-ASCII ones.</summary>
    public static readonly string[] AwkwardIds =
    {
        "a/b", ".", "..", "%2F", "x\0y", "trader-\U0001F680-\u00e9", new string('M', 255) + "Z", "a b?c=d&e#f", new string('L', 999) + "Z",
    };

    /// <summary>The envelope schema caps user_id at 256 characters, so the 1,000-character id is a row another writer stored (an import, an older version).</summary>
    private static readonly string LongId = AwkwardIds[^1];

    public static async Task EveryStoredIdIsAddressableAsync(string? postgres)
    {
        await using var host = await IngestHost.StartAsync(postgres: postgres);
        var batch = AwkwardIds.Where(id => id != LongId).Select(id => Events.Zoom(id)).Append(Events.Zoom("bystander")).ToArray();
        using (var r = await host.PostBatchAsync(batch))
        {
            var answer = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.Accepted && (int)JsonNode.Parse(answer)!["accepted"]! == batch.Length, answer);
        }

        var longEvent = Events.Zoom(LongId);
        var payload = longEvent.ToJsonString();
        var stored = new Telemetry.Ingest.Storage.StoredEvent(
            Guid.Parse((string)longEvent["event_id"]!), false, "test", "chart.zoom", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "session-1", LongId, null, "1.0.0", 1, 1, 1234, null, null, null, null, payload);
        await host.Services.GetRequiredService<Telemetry.Ingest.Storage.IEventStore>().WriteBatchAsync(new[] { stored }, CancellationToken.None);
        await host.Services.GetRequiredService<IArchive>().AppendAsync(new[] { new ArchiveRecord(stored.ReceivedAt, "test", stored.EventId, LongId, null, payload) }, CancellationToken.None);

        for (var i = 0; i < AwkwardIds.Length; i++)
        {
            var id = AwkwardIds[i];
            var byQuery = await host.AdminJsonAsync("/admin/users/events?id=" + Uri.EscapeDataString(id));
            Assert.True(1 == (int)byQuery["count"]!, $"id #{i}: {byQuery.ToJsonString()}");
            Assert.Equal(1, (int)byQuery["archive_lines"]!);
            Assert.Equal(id, (string)byQuery["user_id"]!);
            var byBody = await PostJsonAsync(host, "/admin/users/export", new JsonObject { ["user_id"] = id });
            Assert.Equal(1, (int)byBody["count"]!);

            // Half the ids go by the query form, half by the body form.
            var erased = i % 2 == 0
                ? await DeleteJsonAsync(host, "/admin/users?id=" + Uri.EscapeDataString(id))
                : await PostJsonAsync(host, "/admin/users/erase", new JsonObject { ["user_id"] = id });
            Assert.True(1 == (long)erased["deleted_events"]!, $"id #{i}: {erased.ToJsonString()}");
            Assert.Equal(1, (long)erased["archive_lines_removed"]!);

            var after = await host.AdminJsonAsync("/admin/users/events?id=" + Uri.EscapeDataString(id));
            Assert.Equal(0, (int)after["count"]!);
            Assert.Equal(0, (int)after["archive_lines"]!);
        }

        var lines = new FileArchive(Path.Combine(host.DataPath, "archive")).DataFiles().SelectMany(FileArchive.ReadLines).ToList();
        Assert.Single(lines);
        Assert.Contains("bystander", lines[0]);
        Assert.Equal(1, await host.StoredCountAsync());

        // The path form still serves simple ids; an empty or missing id is a clear 400.
        Assert.Equal(1, (int)(await host.AdminJsonAsync("/admin/users/bystander/events"))["count"]!);
        using var missing = await host.Admin.GetAsync("/admin/users/events");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var empty = await host.Admin.DeleteAsync("/admin/users?id=");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    public static async Task ErasureReachesTheForwardingQueueAsync(string? postgres)
    {
        var sink = new SwitchableSink();
        await using var host = await IngestHost.StartAsync(
            o =>
            {
                o.Forwarding.Enabled = true;
                o.Forwarding.InitialRetrySeconds = 0.05;
                o.Forwarding.MaxRetrySeconds = 0.2;
                o.Forwarding.PollSeconds = 0.05;
            },
            postgres,
            services: s => s.AddSingleton<ITelemetrySink>(sink));

        var erasedUser = Events.Zoom("erase-me");
        var anonymousOnly = Events.Zoom(userId: null);
        anonymousOnly["anonymous_id"] = "erase-me";
        var signedInWithThatDevice = Events.Zoom("someone-else");
        signedInWithThatDevice["anonymous_id"] = "erase-me";
        using (var r = await host.PostBatchAsync(erasedUser, anonymousOnly, signedInWithThatDevice, Events.Zoom("keep-me"))) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);

        // The provider is down: the events wait in the forwarding queue.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (sink.Attempts == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(sink.Attempts > 0);

        var erased = await DeleteJsonAsync(host, "/admin/users?id=erase-me");
        Assert.Equal(3, (long)erased["deleted_events"]!);
        Assert.Equal(3, (long)erased["forward_queue_removed"]!);
        Assert.Equal(3, (long)erased["archive_lines_removed"]!);
        Assert.Equal(3, (long)erased["removed"]!["forward_queue"]!);

        // The provider comes back: only the bystander's event is delivered.
        sink.Up = true;
        using (var flush = await host.Admin.PostAsync("/admin/flush", null)) Assert.Equal(HttpStatusCode.OK, flush.StatusCode);
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (sink.Delivered.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Task.Delay(300);
        var delivered = Assert.Single(sink.Delivered);
        Assert.Equal("keep-me", delivered.UserId);
        Assert.DoesNotContain("erase-me", Encoding.UTF8.GetString(delivered.Json.Span));
    }

    public static async Task TheGdprFlowLogsNoIdAsync(string? postgres)
    {
        var capture = new CapturingLoggerProvider();
        await using var host = await IngestHost.StartAsync(
            postgres: postgres,
            services: s =>
            {
                s.AddSingleton<ILoggerProvider>(capture);
                s.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Information);
            });
        string[] ids = { "log-canary-user-8191", "log/canary/..", "log-canary@example.org" };
        using (var r = await host.PostBatchAsync(ids.Select(id => Events.Zoom(id)).ToArray())) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);

        await host.AdminJsonAsync("/admin/users/" + ids[0] + "/events");
        await host.AdminJsonAsync("/admin/users/events?id=" + Uri.EscapeDataString(ids[1]));
        await PostJsonAsync(host, "/admin/users/export", new JsonObject { ["user_id"] = ids[2] });
        using (var r = await host.Admin.DeleteAsync("/admin/users/" + ids[0])) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await DeleteJsonAsync(host, "/admin/users?id=" + Uri.EscapeDataString(ids[1]));
        await PostJsonAsync(host, "/admin/users/erase", new JsonObject { ["user_id"] = ids[2] });
        using (var r = await host.Admin.GetAsync("/admin/users/" + ids[0] + "/nothing-here")) Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);

        var log = capture.Text;

        // Information is on and requests are logged (the check below can fail) ...
        Assert.Contains("HTTP DELETE /admin/users/{id} answered 200", log);
        Assert.Contains("HTTP GET /admin/users/events answered 200", log);
        Assert.Contains("HTTP POST /admin/users/erase answered 200", log);

        // ... and no line names a user, plain or URL-encoded.
        foreach (var id in ids)
        {
            Assert.True(!log.Contains(id, StringComparison.Ordinal), "leaked: " + string.Join("\n", capture.Lines.Where(l => l.Contains(id, StringComparison.Ordinal))));
            Assert.DoesNotContain(Uri.EscapeDataString(id), log);
        }

        var leaks = capture.Lines.Where(l => l.Contains("log-canary", StringComparison.Ordinal) || l.Contains("log%2Fcanary", StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static async Task<JsonNode> PostJsonAsync(IngestHost host, string path, JsonObject body)
    {
        using var response = await host.Admin.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode> DeleteJsonAsync(IngestHost host, string path)
    {
        using var response = await host.Admin.DeleteAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"DELETE {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A provider that answers 503 until <see cref="Up"/>, then records what it is sent.</summary>
    private sealed class SwitchableSink : ITelemetrySink
    {
        private int _attempts;

        public volatile bool Up;

        public int Attempts => Volatile.Read(ref _attempts);

        public System.Collections.Concurrent.ConcurrentQueue<OutgoingEvent> Delivered { get; } = new();

        public string Name => "switchable";

        public int MaxBatchSize => 100;

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (!Up) return ValueTask.FromResult(new SinkResult(SinkOutcome.RetryLater, Detail: "503 from the provider"));
            foreach (var e in batch) Delivered.Enqueue(e);
            return ValueTask.FromResult(SinkResult.Success);
        }
    }
}

public sealed class SqliteGdprTests
{
    [Fact]
    public Task Every_stored_user_id_can_be_exported_and_erased_and_the_archive_matches_exactly() => GdprScenarios.EveryStoredIdIsAddressableAsync(null);

    [Fact]
    public Task Erasure_with_the_provider_down_removes_the_users_events_from_the_forwarding_queue() => GdprScenarios.ErasureReachesTheForwardingQueueAsync(null);

    [Fact]
    public Task The_gdpr_flow_at_information_level_logs_no_user_id() => GdprScenarios.TheGdprFlowLogsNoIdAsync(null);
}

public sealed class PostgresGdprTests
{
    [PostgresFact]
    public async Task Every_stored_user_id_can_be_exported_and_erased_and_the_archive_matches_exactly()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await GdprScenarios.EveryStoredIdIsAddressableAsync(db.ConnectionString);
    }

    [PostgresFact]
    public async Task Erasure_with_the_provider_down_removes_the_users_events_from_the_forwarding_queue()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await GdprScenarios.ErasureReachesTheForwardingQueueAsync(db.ConnectionString);
    }

    [PostgresFact]
    public async Task The_gdpr_flow_at_information_level_logs_no_user_id()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await GdprScenarios.TheGdprFlowLogsNoIdAsync(db.ConnectionString);
    }
}
