using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Telemetry.Ingest.Archive;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>A server killed with SIGKILL right after answering 202 loses nothing: every acknowledged event is there after a restart.</summary>
public sealed class CrashDurabilityTests
{
    [Fact]
    public Task Sqlite_server_killed_after_202_loses_no_acknowledged_event() => RunAsync(postgres: null);

    [PostgresFact]
    public async Task Postgres_server_killed_after_202_loses_no_acknowledged_event()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await RunAsync(database.ConnectionString);
    }

    private static async Task RunAsync(string? postgres)
    {
        using var data = new TempFolder();
        var acknowledged = new ConcurrentBag<string>();
        await using (var server = await ServerProcess.StartAsync(data.Path, postgres))
        {
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                var n = 0;
                while (!stop.IsCancellationRequested)
                {
                    var events = Enumerable.Range(0, 20).Select(_ => Events.Zoom(userId: "crash-user")).ToArray();
                    try
                    {
                        using var response = await server.Client.PostAsync("/v1/batch", new StringContent(Events.Batch(events), System.Text.Encoding.UTF8, "application/json"));
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            foreach (var e in events) acknowledged.Add((string)e["event_id"]!);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        // In flight when the process died: not acknowledged, so it may or may not be stored.
                    }

                    n++;
                }
            })).ToArray();

            // Let acknowledged batches pile up, then kill mid-traffic.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (acknowledged.Count < 2_000 && DateTime.UtcNow < deadline) await Task.Delay(50);
            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(senders);
        }

        Assert.True(acknowledged.Count >= 200, "too few acknowledged events before the kill: " + acknowledged.Count);

        await using var restarted = await ServerProcess.StartAsync(data.Path, postgres);
        using var export = await restarted.Admin.GetAsync("/admin/users/crash-user/events");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var stored = JsonNode.Parse(await export.Content.ReadAsStringAsync())!["events"]!.AsArray()
            .Select(e => (string)e!["event_id"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged events are missing after SIGKILL and restart");

        // The audit archive is written before each 202, so it holds every acknowledged event too.
        var archived = new FileArchive(Path.Combine(data.Path, "archive")).DataFiles()
            .SelectMany(FileArchive.ReadLines)
            .Select(line => (string)JsonNode.Parse(line)!["event_id"]!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(acknowledged, id => Assert.Contains(id, archived));
    }
}
