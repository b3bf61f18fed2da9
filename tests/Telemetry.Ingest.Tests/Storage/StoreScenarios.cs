using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Ingest.Archive;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>Scenarios run against each store (SQLite always, PostgreSQL when configured).</summary>
internal static class StoreScenarios
{
    private static readonly DateTimeOffset Day = new(2025, 11, 10, 0, 0, 0, TimeSpan.Zero);

    public static async Task ReportsAsync(string? postgres)
    {
        // The server's clock stands the day after the fixed report day, so the events are within MaxEventAge.
        await using var host = await IngestHost.StartAsync(postgres: postgres, services: s => s.AddSingleton<TimeProvider>(new ManualClock(Day.AddDays(1))));
        var anonymous = Events.Annotation(userId: null, timestamp: Day.AddHours(11).AddMinutes(45));
        anonymous["anonymous_id"] = "anon-1";
        anonymous["session_id"] = "s4";
        using (var r = await host.PostBatchAsync(
            Events.Zoom("user-a", timestamp: Day.AddHours(10).AddMinutes(5), sessionId: "s1"),
            Events.Zoom("user-a", timestamp: Day.AddHours(10).AddMinutes(10), sessionId: "s1"),
            Events.Zoom("user-a", timestamp: Day.AddHours(11).AddMinutes(30), sessionId: "s2"),
            WithTime(Events.PlaceSim("user-b"), Day.AddHours(10).AddMinutes(20), "s3"),
            WithTime(Events.PlaceSim("user-b"), Day.AddHours(12).AddMinutes(15), "s3"),
            anonymous,
            Events.Zoom("user-c", timestamp: Day.AddHours(-15), sessionId: "s9")))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        using (var otherProject = new HttpClient { BaseAddress = host.BaseAddress })
        {
            otherProject.DefaultRequestHeaders.Add("X-Write-Key", IngestHost.OtherWriteKey);
            using var r = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom("user-d", timestamp: Day.AddHours(13), sessionId: "s5")), otherProject);
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        const string Range = "from=2025-11-10T00:00:00Z&to=2025-11-11T00:00:00Z";
        var summary = await host.AdminJsonAsync("/admin/reports/summary?" + Range + "&project=test");
        Assert.Equal(6, (long)summary["events"]!);
        Assert.Equal(3, (long)summary["unique_users"]!);
        Assert.Equal(4, (long)summary["unique_sessions"]!);
        var all = await host.AdminJsonAsync("/admin/reports/summary?" + Range);
        Assert.Equal(7, (long)all["events"]!);

        var top = (await host.AdminJsonAsync("/admin/reports/top-events?" + Range + "&project=test"))["events"]!.AsArray();
        Assert.Equal(new[] { "chart.zoom", "order.place_sim", "chart.annotation_create" }, top.Select(e => (string)e!["event"]!).ToArray());
        Assert.Equal(new long[] { 3, 2, 1 }, top.Select(e => (long)e!["count"]!).ToArray());
        var limited = (await host.AdminJsonAsync("/admin/reports/top-events?" + Range + "&limit=1"))["events"]!.AsArray();
        Assert.Equal("chart.zoom", (string?)Assert.Single(limited)!["event"]);
        Assert.Equal(4, (long)limited[0]!["count"]!);

        var hours = (await host.AdminJsonAsync("/admin/reports/hourly?" + Range + "&project=test"))["hours"]!.AsArray();
        Assert.Equal(new[] { Day.AddHours(10), Day.AddHours(11), Day.AddHours(12) }, hours.Select(h => DateTimeOffset.Parse((string)h!["hour"]!)).ToArray());
        Assert.Equal(new long[] { 3, 2, 1 }, hours.Select(h => (long)h!["events"]!).ToArray());
        Assert.Equal(new long[] { 2, 2, 1 }, hours.Select(h => (long)h!["unique_users"]!).ToArray());
        var zoomHours = (await host.AdminJsonAsync("/admin/reports/hourly?" + Range + "&event=chart.zoom&project=test"))["hours"]!.AsArray();
        Assert.Equal(new long[] { 2, 1 }, zoomHours.Select(h => (long)h!["events"]!).ToArray());

        using var bad = await host.Admin.GetAsync("/admin/reports/summary?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    public static async Task GdprAsync(string? postgres)
    {
        await using var host = await IngestHost.StartAsync(postgres: postgres);
        var anonymous = Events.Zoom(userId: null);
        anonymous["anonymous_id"] = "user-a";
        var userA = new[] { Events.Zoom("user-a"), Events.PlaceSim("user-a"), anonymous };
        using (var r = await host.PostBatchAsync(userA.Append(Events.Zoom("user-b")).Append(Events.Annotation(userId: "user-b")).ToArray()))
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        var export = await host.AdminJsonAsync("/admin/users/user-a/events");
        Assert.Equal(3, (int)export["count"]!);
        Assert.Equal(3, (int)export["archive_lines"]!);
        Assert.Equal(3, export["events"]!.AsArray().Count);

        using var erase = await host.Admin.DeleteAsync("/admin/users/user-a");
        var erased = JsonNode.Parse(await erase.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(3, (long)erased["deleted_events"]!);
        Assert.Equal(3, (long)erased["archive_lines_removed"]!);
        Assert.InRange((int)erased["archive_files_rewritten"]!, 1, 2);

        var after = await host.AdminJsonAsync("/admin/users/user-a/events");
        Assert.Equal(0, (int)after["count"]!);
        Assert.Equal(0, (int)after["archive_lines"]!);
        var other = await host.AdminJsonAsync("/admin/users/user-b/events");
        Assert.Equal(2, (int)other["count"]!);
        Assert.Equal(2, (int)other["archive_lines"]!);
        Assert.Equal(2, await host.StoredCountAsync());

        var lines = new FileArchive(Path.Combine(host.DataPath, "archive")).DataFiles().SelectMany(FileArchive.ReadLines).ToList();
        Assert.Equal(2, lines.Count);
        Assert.DoesNotContain(lines, l => l.Contains("user-a", StringComparison.Ordinal));

        using var again = await host.Admin.DeleteAsync("/admin/users/user-a");
        Assert.Equal(0, (long)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["deleted_events"]!);

        // A late client retry of the erased events is acknowledged as duplicates and does not bring them back.
        using (var retry = await host.PostBatchAsync(userA))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
            var body = JsonNode.Parse(await retry.Content.ReadAsStringAsync())!;
            Assert.Equal(3, (int)body["duplicates"]!);
        }

        var afterRetry = await host.AdminJsonAsync("/admin/users/user-a/events");
        Assert.Equal(0, (int)afterRetry["count"]!);
        Assert.Equal(0, (int)afterRetry["archive_lines"]!);
        Assert.Equal(2, await host.StoredCountAsync());
    }

    public static async Task RetentionAsync(string? postgres)
    {
        var clock = new ManualClock();
        await using var host = await IngestHost.StartAsync(o => o.RetentionDays = 30, postgres, services: s => s.AddSingleton<TimeProvider>(clock));
        using (var r = await host.PostBatchAsync(Enumerable.Range(0, 5).Select(_ => Events.Zoom()).ToArray())) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        clock.Advance(TimeSpan.FromDays(20));
        using (var r = await host.PostBatchAsync(Enumerable.Range(0, 3).Select(_ => Events.Zoom()).ToArray())) Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        clock.Advance(TimeSpan.FromDays(15));

        using var run = await host.Admin.PostAsync("/admin/retention/run", null);
        var result = JsonNode.Parse(await run.Content.ReadAsStringAsync())!;

        Assert.Equal(5, (long)result["deleted_events"]!);
        Assert.Equal(3, await host.StoredCountAsync());

        // The archive file of the first batch's hour is past the cutoff too; the second batch's file stays.
        Assert.Equal(1, (int)result["deleted_archive_files"]!);
        var archive = (FileArchive)host.Services.GetRequiredService<IArchive>();
        var remaining = Assert.Single(archive.DataFiles());
        Assert.Equal(3, FileArchive.ReadLines(remaining).Count());
    }

    public static async Task ConcurrentRetriesAsync(string? postgres)
    {
        await using var host = await IngestHost.StartAsync(postgres: postgres);
        var id = Guid.NewGuid();
        var batch = Events.Batch(Enumerable.Range(0, 40).Select(i => Events.Zoom(userId: "u" + i)).Append(Events.Zoom(id: id)).Append(Events.Zoom(id: id)).ToArray());

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => host.PostJsonAsync("/v1/batch", batch)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var r in responses) r.Dispose();
        Assert.Equal(41, await host.StoredCountAsync());
    }

    private static JsonObject WithTime(JsonObject evt, DateTimeOffset timestamp, string session)
    {
        evt["timestamp"] = timestamp.ToString("O");
        evt["session_id"] = session;
        return evt;
    }
}
