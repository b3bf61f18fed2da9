using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Storage;

public sealed class SqliteStoreTests
{
    [Fact]
    public Task Reports_give_totals_unique_users_and_sessions_top_events_and_hourly_trend() => StoreScenarios.ReportsAsync(null);

    [Fact]
    public Task Gdpr_export_and_erase_answer_with_counts_and_remove_archive_lines() => StoreScenarios.GdprAsync(null);

    [Fact]
    public Task Retention_deletes_events_received_before_the_cutoff() => StoreScenarios.RetentionAsync(null);

    [Fact]
    public Task Concurrent_retries_are_stored_once() => StoreScenarios.ConcurrentRetriesAsync(null);
}

public sealed class PostgresStoreTests
{
    [PostgresFact]
    public async Task Reports_give_totals_unique_users_and_sessions_top_events_and_hourly_trend()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await StoreScenarios.ReportsAsync(db.ConnectionString);
    }

    [PostgresFact]
    public async Task Gdpr_export_and_erase_answer_with_counts_and_remove_archive_lines()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await StoreScenarios.GdprAsync(db.ConnectionString);
    }

    [PostgresFact]
    public async Task Retention_drops_whole_day_partitions_and_deletes_the_rest()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await StoreScenarios.RetentionAsync(db.ConnectionString);
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM events"));
    }

    [PostgresFact]
    public async Task Concurrent_retries_are_stored_once()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await StoreScenarios.ConcurrentRetriesAsync(db.ConnectionString);
        Assert.Equal(41, await db.ScalarAsync("SELECT count(*) FROM ingest_event_ids"));
    }

    [PostgresFact]
    public async Task A_lost_database_connection_answers_503_once_and_the_writer_reconnects()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var host = await IngestHost.StartAsync(postgres: db.ConnectionString);
        var first = Events.Zoom();
        using (var r = await host.PostBatchAsync(first)) Assert.Equal(System.Net.HttpStatusCode.Accepted, r.StatusCode);

        // The database drops every connection of this database (a failover, a restart, an idle-connection killer).
        await db.ScalarAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

        var second = Events.Zoom();
        var statuses = new List<System.Net.HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var r = await host.PostBatchAsync(second);
            statuses.Add(r.StatusCode);
            if (r.StatusCode == System.Net.HttpStatusCode.Accepted) break;
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.NotNull(r.Headers.RetryAfter);
        }

        Assert.Equal(System.Net.HttpStatusCode.Accepted, statuses[^1]);
        Assert.True(statuses.Count <= 2, string.Join(", ", statuses));
        Assert.Equal(2, await db.ScalarAsync("SELECT count(*) FROM events"));
    }

    [PostgresFact]
    public async Task Schema_has_day_partitions_and_the_report_indexes()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using (var host = await IngestHost.StartAsync(postgres: db.ConnectionString))
        {
            using var r = await host.PostBatchAsync(Events.Zoom());
        }

        var today = "events_p" + DateTime.UtcNow.ToString("yyyyMMdd");
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM pg_class WHERE relname = '{today}'"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'events'"));
        foreach (var index in new[] { "ix_events_event_timestamp", "ix_events_user_timestamp", "ix_events_session" })
        {
            Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE tablename = 'events' AND indexname = '{index}'"));
        }

        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM {today}"));
    }

    [PostgresFact]
    public async Task Happy_path_and_bad_inputs_store_only_what_was_accepted()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var host = await IngestHost.StartAsync(postgres: db.ConnectionString);
        var sql = Events.Annotation("x'); DROP TABLE events;--", userId: "u' OR '1'='1");
        sql["session_id"] = "nul\u0000inside";
        using (var r = await host.PostBatchAsync(Events.Zoom(), Events.PlaceSim(), sql)) Assert.Equal(System.Net.HttpStatusCode.Accepted, r.StatusCode);
        using (var r = await host.PostJsonAsync("/v1/batch", "{\"events\":[{\"event\":")) Assert.Equal(System.Net.HttpStatusCode.BadRequest, r.StatusCode);

        Assert.Equal(3, await host.StoredCountAsync());
        var export = await host.AdminJsonAsync("/admin/users/" + Uri.EscapeDataString("u' OR '1'='1") + "/events");
        Assert.Equal("x'); DROP TABLE events;--", (string?)export["events"]![0]!["event"]!["symbol"]);
        Assert.Equal("nul\u0000inside", (string?)export["events"]![0]!["event"]!["session_id"]);
    }
}
