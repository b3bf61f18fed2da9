using System.Text;
using Microsoft.Data.Sqlite;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Queue;

/// <summary>
/// A delivered segment is settled first and deleted in the next append's transaction (or on its own after
/// <see cref="SqliteOfflineQueue.DefaultSettleDelay"/>, or when the queue closes). What that must not change: a settled event is
/// never leased, exported, purged or replayed again, by this process, another one sharing the file, or the next run after
/// a kill; its bytes are overwritten once it is deleted; and the file does not grow under steady delivery.
/// </summary>
public sealed class SqliteSettledSegmentTests : IDisposable
{
    /// <summary>A settle delay no test outlasts: the state between a delivery and the deletion stays to be looked at.</summary>
    private static readonly TimeSpan Stretched = TimeSpan.FromHours(1);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_delivered_segment_is_settled_and_deleted_by_the_next_append()
    {
        using var queue = new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched };
        queue.Append(Events(100, "first"));
        Deliver(queue, 100);

        Assert.Equal(0, queue.Count);
        Assert.Equal((1L, 1L), Rows());

        queue.Append(Events(10, "second"));
        Assert.Equal((1L, 0L), Rows());
        Assert.Equal(10, queue.Count);
    }

    [Fact]
    public void With_no_append_a_settled_segment_is_deleted_after_the_settle_delay_and_its_bytes_are_overwritten()
    {
        const string canary = "zq-settled-canary-27182";
        using var queue = new SqliteOfflineQueue(_directory.Path);
        queue.Append(Events(50, canary));
        Deliver(queue, 50);
        Assert.Equal((1L, 1L), Rows());

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Rows() != (0L, 0L))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the settled segment was still in the file after 20 s");
            Thread.Sleep(50);
        }

        // The log still holds the frames of the append; copied into the database and cut, no byte of the events is left.
        Checkpoint();
        Assert.DoesNotContain(canary, ReadQueueFiles());
    }

    [Fact]
    public void Closing_the_queue_deletes_its_settled_segments()
    {
        using (var queue = new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched })
        {
            queue.Append(Events(30, "closing"));
            Deliver(queue, 30);
            Assert.Equal((1L, 1L), Rows());
        }

        Assert.Equal((0L, 0L), Rows());
    }

    [Fact]
    public void After_a_kill_the_next_run_replays_what_was_not_confirmed_and_nothing_that_was()
    {
        var first = Events(60, "confirmed");
        var second = Events(40, "pending");
        var killed = Path.Combine(_directory.Path, "killed");
        using (var queue = new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched })
        {
            queue.Append(first);
            queue.Append(second);
            Deliver(queue, 60);
            Assert.Equal((2L, 1L), Rows());

            // What a killed process leaves: the committed state of the files (the settled segment still in them).
            QueueFiles.CommittedCopy(_directory.Path, killed);
        }

        using var next = new SqliteOfflineQueue(killed);
        Assert.Equal(40, next.Count);
        Assert.Equal(second.Select(e => e.Event.EventId), next.Lease(1000, long.MaxValue).Select(e => e.Event.EventId));
        Assert.Equal((1L, 0L), Rows(killed));
    }

    [Fact]
    public void Another_queue_on_the_file_neither_leases_nor_exports_nor_purges_a_segment_the_first_settled()
    {
        using var first = new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched };
        first.Append(Events(80, "shared", subject: "subject-a"));
        using var second = new SqliteOfflineQueue(_directory.Path);
        Assert.Equal(80, second.Count);

        Deliver(first, 80);
        Assert.Equal((1L, 1L), Rows());

        Assert.Empty(second.Export("subject-a"));
        Assert.Equal(0, second.Purge("subject-a").Total);
        Assert.Empty(second.Lease(1000, long.MaxValue));
        Assert.Equal(0, second.Count);
        using var third = new SqliteOfflineQueue(_directory.Path);
        Assert.Equal(0, third.Count);
    }

    [Fact]
    public void A_purge_run_by_another_queue_on_the_file_leaves_no_copy_of_a_settled_segment()
    {
        const string canary = "zq-settled-purge-31415";
        using var first = new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched };
        first.Append(Events(40, canary, subject: "leaving"));
        using var second = new SqliteOfflineQueue(_directory.Path);
        Deliver(first, 40);
        Assert.Equal((1L, 1L), Rows());

        // The second queue never settled anything itself; its purge still deletes the first one's settled segment.
        Assert.Equal(0, second.Purge("leaving").Total);
        Assert.Equal((0L, 0L), Rows());
        Assert.DoesNotContain(canary, ReadQueueFiles());
    }

    [Fact]
    public void An_append_goes_on_when_the_database_refuses_to_delete_the_settled_segments()
    {
        using var queue = new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched };
        queue.Append(Events(20, "delivered"));
        Deliver(queue, 20);
        Execute("CREATE TRIGGER refuse_delete BEFORE DELETE ON segments BEGIN SELECT RAISE(ABORT, 'refused'); END;");

        // The delete fails inside the append's transaction; the new events are stored all the same.
        var fresh = Events(10, "fresh");
        Assert.Equal(10, queue.Append(fresh).Appended);
        Assert.Equal((2L, 1L), Rows());
        Assert.Equal(10, queue.Count);

        Execute("DROP TRIGGER refuse_delete;");
        queue.Append(Events(5, "later"));
        Assert.Equal((2L, 0L), Rows());
        Assert.Equal(fresh.Select(e => e.Event.EventId), queue.Lease(10, long.MaxValue).Select(e => e.Event.EventId));
    }

    [Fact]
    public void A_file_of_the_previous_version_gets_the_events_view_that_skips_settled_segments()
    {
        using (var queue = new SqliteOfflineQueue(_directory.Path)) queue.Append(Events(5, "old"));

        // As the previous version left it: its view listed every segment.
        Execute("DROP VIEW events; CREATE VIEW events AS SELECT segments.seq AS seq, subject.value AS subject FROM segments, json_each(segments.subjects) AS subject; PRAGMA user_version = 2;");
        using var upgraded = new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched };
        Assert.Equal(3L, Scalar("PRAGMA user_version"));
        Deliver(upgraded, 5);
        Assert.Equal((1L, 1L), Rows());
        Assert.Equal(0L, Scalar("SELECT count(*) FROM events"));

        // A later open of the upgraded file leaves the view and the version as they are.
        using (new SqliteOfflineQueue(_directory.Path) { SettleDelay = Stretched })
        {
        }

        Assert.Equal(3L, Scalar("PRAGMA user_version"));
        Assert.Contains("settled", (string)Scalar("SELECT sql FROM sqlite_master WHERE name = 'events'"), StringComparison.Ordinal);
    }

    [Fact]
    public void Steady_delivery_reuses_the_freed_pages_so_the_file_does_not_grow()
    {
        using var queue = new SqliteOfflineQueue(_directory.Path);
        long PageCount()
        {
            using var connection = Open(_directory.Path);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_count";
            return (long)command.ExecuteScalar()!;
        }

        long? settledSize = null;
        for (var round = 0; round < 40; round++)
        {
            queue.Append(Events(200, "round-" + round, bytes: 900));
            Deliver(queue, 200);
            if (round == 3) settledSize = PageCount();
        }

        // Each round's append takes the pages the previous round's delivery freed: a round holds about 12 pages.
        Assert.InRange(PageCount(), 1, settledSize!.Value + 4);
    }

    private static void Deliver(SqliteOfflineQueue queue, int count)
    {
        var leased = queue.Lease(count, long.MaxValue);
        Assert.Equal(count, leased.Count);
        queue.Complete(leased.Select(e => e.Event.EventId).ToList());
    }

    private static List<QueuedEvent> Events(int count, string text, string subject = "subject-0", int bytes = 200)
    {
        var events = new List<QueuedEvent>();
        for (var i = 0; i < count; i++)
        {
            var prefix = $"{{\"event\":\"probe.settled\",\"seq\":{i},\"text\":\"{text}-{i}\",\"pad\":\"";
            var json = Encoding.UTF8.GetBytes(prefix + new string('x', Math.Max(0, bytes - prefix.Length - 2)) + "\"}");
            var outgoing = new OutgoingEvent(Guid.CreateVersion7(), "probe.settled", EventTier.B, DateTimeOffset.UtcNow, subject, "anon", json);
            events.Add(new QueuedEvent(outgoing, subject));
        }

        return events;
    }

    /// <summary>Rows in <c>segments</c> and in <c>settled</c>, read by a connection of its own.</summary>
    private (long Segments, long Settled) Rows(string? directory = null)
    {
        using var connection = Open(directory ?? _directory.Path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM segments), (SELECT count(*) FROM settled)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private object Scalar(string sql)
    {
        using var connection = Open(_directory.Path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var connection = Open(_directory.Path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Checkpoint()
    {
        using var connection = Open(_directory.Path);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(0, reader.GetInt32(0));
    }

    private static SqliteConnection Open(string directory)
    {
        var connection = new SqliteConnection("Data Source=" + Path.Combine(directory, SqliteOfflineQueue.FileName) + ";Pooling=false");
        connection.Open();
        return connection;
    }

    private string ReadQueueFiles() => QueueFiles.Read(_directory.Path);
}
