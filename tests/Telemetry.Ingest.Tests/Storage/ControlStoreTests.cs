using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>The shared rate counters of both stores: deltas add up across callers, a zero delta only reads.</summary>
public sealed class ControlStoreTests
{
    [Fact]
    public async Task Sqlite_rate_counts_add_up_and_a_zero_delta_only_reads()
    {
        using var folder = new TempFolder();
        await using var store = new SqliteEventStore("Data Source=" + Path.Combine(folder.Path, "ingest.db"));
        await store.InitializeAsync(CancellationToken.None);
        await RateCountsAsync(store, async () =>
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(folder.Path, "ingest.db"));
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM ingest_rate_counts";
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        });
    }

    [PostgresFact]
    public async Task Postgres_rate_counts_add_up_and_a_zero_delta_only_reads()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var store = new PostgresEventStore(db.ConnectionString);
        await store.InitializeAsync(CancellationToken.None);
        await RateCountsAsync(store, () => db.ScalarAsync("SELECT count(*) FROM ingest_rate_counts"));
    }

    private static async Task RateCountsAsync(IControlStore store, Func<Task<long>> rows)
    {
        var read = await store.AddRateCountsAsync(new[] { new RateCount("ip:203.0.113.0", 3600, 0) }, CancellationToken.None);
        Assert.Equal(0, Assert.Single(read).Count);
        Assert.Equal(0, await rows()); // reading created nothing

        await store.AddRateCountsAsync(new[] { new RateCount("ip:203.0.113.0", 3600, 4), new RateCount("key:AB", 3600, 1) }, CancellationToken.None);
        var totals = await store.AddRateCountsAsync(
            new[] { new RateCount("ip:203.0.113.0", 3600, 2), new RateCount("key:AB", 3600, 0), new RateCount("key:AB", 7200, 0) }, CancellationToken.None);

        Assert.Equal(6, totals.Single(t => t.Partition == "ip:203.0.113.0").Count);
        Assert.Equal(1, totals.Single(t => t.Partition == "key:AB" && t.WindowStart == 3600).Count);
        Assert.Equal(0, totals.Single(t => t.Partition == "key:AB" && t.WindowStart == 7200).Count);
        Assert.Equal(2, await rows());

        await store.DeleteRateCountsBeforeAsync(7200, CancellationToken.None);
        Assert.Equal(0, await rows());
    }
}
