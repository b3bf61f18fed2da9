using System.Text;
using CsCheck;
using Microsoft.Data.Sqlite;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Queue;

/// <summary>
/// The SQLite queue's segment layout (many events per row): it behaves exactly like the in-memory queue under any
/// sequence of appends, leases, confirmations, releases, purges, expiry and restarts; a file written by the
/// earlier one-row-per-event layout is converted without losing an event; a purge inside a segment shared with
/// other users leaves no readable copy of the purged events.
/// </summary>
public sealed class SqliteSegmentQueueTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Any_sequence_of_operations_gives_the_same_answers_as_the_in_memory_queue()
    {
        // (operation, a, b): the operation picks what to do, a and b its arguments.
        var operations = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[1, 30];
        operations.Sample(
            ops =>
            {
                var directory = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N"));
                var limits = new QueueLimits(400, 150_000);
                var sqlite = new SqliteOfflineQueue(directory, limits);
                var model = new InMemoryOfflineQueue(limits);
                var appended = new List<QueuedEvent>();
                var leased = new List<Guid>();
                try
                {
                    var step = 0;
                    foreach (var (op, a, b) in ops)
                    {
                        step++;
                        var what = $"step {step}: op {op} ({a}, {b})";
                        switch (op)
                        {
                            case 0 or 1 or 2:
                                var batch = Batch(a, b, appended);
                                Assert.True(model.Append(batch) == sqlite.Append(batch), what);
                                appended.AddRange(batch);
                                break;
                            case 3 or 4:
                                var maxEvents = (a % 200) + 1;
                                var maxBytes = b % 3 == 0 ? 4_000 : long.MaxValue;
                                var expected = model.Lease(maxEvents, maxBytes).Select(e => e.Event.EventId).ToList();
                                var actual = sqlite.Lease(maxEvents, maxBytes);
                                Assert.True(expected.SequenceEqual(actual.Select(e => e.Event.EventId)), what);
                                foreach (var e in actual) Assert.True(appended.Any(x => x.Event.EventId == e.Event.EventId && x.Event.Json.Span.SequenceEqual(e.Event.Json.Span)), what);
                                leased.AddRange(expected);
                                break;
                            case 5:
                                var confirmed = leased.Where((_, i) => (i + a) % 3 != 0).Append(Guid.NewGuid()).ToList();
                                model.Complete(confirmed);
                                sqlite.Complete(confirmed);
                                leased.RemoveAll(confirmed.Contains);
                                break;
                            case 6:
                                var released = leased.Where((_, i) => (i + b) % 2 == 0).ToList();
                                model.Release(released);
                                sqlite.Release(released);
                                leased.RemoveAll(released.Contains);
                                break;
                            case 7:
                                var subject = "subject-" + (a % 4);
                                Assert.True(b % 2 == 0 ? model.Purge(subject) == sqlite.Purge(subject) : model.PurgeIdentity(subject) == sqlite.PurgeIdentity(subject), what);
                                break;
                            case 8:
                                Assert.True(model.RemoveOlderThan(Now.AddDays(-7)) == sqlite.RemoveOlderThan(Now.AddDays(-7)), what);
                                break;
                            default:
                                // A restart, or a kill (the next run opens what was committed, its own close never ran):
                                // leases end with the process.
                                if (b % 2 == 0)
                                {
                                    sqlite.Dispose();
                                }
                                else
                                {
                                    var killed = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N"));
                                    QueueFiles.CommittedCopy(directory, killed);
                                    sqlite.Dispose();
                                    directory = killed;
                                }

                                sqlite = new SqliteOfflineQueue(directory, limits);
                                model.Release(leased);
                                leased.Clear();
                                break;
                        }

                        Assert.True(model.Count == sqlite.Count, $"{what}: count {model.Count} != {sqlite.Count}");
                        Assert.True(model.Bytes == sqlite.Bytes, $"{what}: bytes {model.Bytes} != {sqlite.Bytes}");
                        Assert.True(model.OldestEventTimestamp == sqlite.OldestEventTimestamp, what);
                    }

                    for (var s = 0; s < 4; s++)
                    {
                        var subject = "subject-" + s;
                        Assert.Equal(model.Export(subject).Select(e => e.Event.EventId), sqlite.Export(subject).Select(e => e.Event.EventId));
                    }

                    // What a restart replays is what the model still holds, in the same order, byte for byte.
                    sqlite.Dispose();
                    sqlite = new SqliteOfflineQueue(directory, limits);
                    model.Release(leased);
                    var rest = model.Lease(int.MaxValue, long.MaxValue);
                    var replayed = sqlite.Lease(int.MaxValue, long.MaxValue);
                    Assert.Equal(rest.Select(e => e.Event.EventId), replayed.Select(e => e.Event.EventId));
                    Assert.Equal(rest.Select(e => Convert.ToHexString(e.Event.Json.Span)), replayed.Select(e => Convert.ToHexString(e.Event.Json.Span)));
                    Assert.Equal(rest.Select(e => (e.Event.Name, e.Event.Tier, e.Event.Timestamp, e.Event.UserId, e.Event.AnonymousId, e.Subject)), replayed.Select(e => (e.Event.Name, e.Event.Tier, e.Event.Timestamp, e.Event.UserId, e.Event.AnonymousId, e.Subject)));
                }
                finally
                {
                    sqlite.Dispose();
                }
            },
            iter: 60,
            threads: 1);
    }

    [Fact]
    public void A_queue_file_written_one_row_per_event_is_converted_without_losing_an_event()
    {
        SecureDirectory.Ensure(_directory.Path);
        var path = Path.Combine(_directory.Path, SqliteOfflineQueue.FileName);
        var events = Enumerable.Range(0, 300).Select(i => Event(i, tier: (EventTier)(i % 3), subject: "subject-" + (i % 2), bytes: 80 + (i * 7 % 900), userId: i % 5 == 0 ? null : "user-" + (i % 2))).ToList();
        using (var connection = new SqliteConnection("Data Source=" + path + ";Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();

            // The schema the queue wrote before segments, as it wrote it.
            command.CommandText =
                "PRAGMA journal_mode = WAL;" +
                "PRAGMA secure_delete = ON;" +
                "CREATE TABLE IF NOT EXISTS events (" +
                " seq INTEGER PRIMARY KEY AUTOINCREMENT," +
                " event_id BLOB NOT NULL UNIQUE," +
                " name TEXT NOT NULL," +
                " tier INTEGER NOT NULL," +
                " timestamp_ticks INTEGER NOT NULL," +
                " user_id TEXT NULL," +
                " anonymous_id TEXT NULL," +
                " subject TEXT NOT NULL," +
                " payload BLOB NOT NULL);" +
                "CREATE INDEX IF NOT EXISTS ix_events_tier_seq ON events (tier, seq);" +
                "CREATE INDEX IF NOT EXISTS ix_events_subject ON events (subject);" +
                "CREATE INDEX IF NOT EXISTS ix_events_timestamp ON events (timestamp_ticks);" +
                "PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO events (event_id, name, tier, timestamp_ticks, user_id, anonymous_id, subject, payload) VALUES ($id, $name, $tier, $ticks, $user, $anon, $subject, $payload)";
            foreach (var e in events)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$id", e.Event.EventId.ToByteArray());
                command.Parameters.AddWithValue("$name", e.Event.Name);
                command.Parameters.AddWithValue("$tier", (int)e.Event.Tier);
                command.Parameters.AddWithValue("$ticks", e.Event.Timestamp.UtcTicks);
                command.Parameters.AddWithValue("$user", (object?)e.Event.UserId ?? DBNull.Value);
                command.Parameters.AddWithValue("$anon", (object?)e.Event.AnonymousId ?? DBNull.Value);
                command.Parameters.AddWithValue("$subject", e.Subject);
                command.Parameters.AddWithValue("$payload", e.Event.Json.ToArray());
                command.ExecuteNonQuery();
            }

            // Two confirmed before the upgrade: gone from the table, not replayed.
            command.Parameters.Clear();
            command.CommandText = "DELETE FROM events WHERE seq IN (1, 2)";
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        var kept = events.Skip(2).ToList();
        using (var queue = new SqliteOfflineQueue(_directory.Path))
        {
            Assert.Equal(kept.Count, queue.Count);
            Assert.Equal(kept.Sum(e => e.Bytes), queue.Bytes);
            var all = queue.Lease(int.MaxValue, long.MaxValue);
            Assert.Equal(kept.Select(e => e.Event.EventId), all.Select(e => e.Event.EventId));
            Assert.Equal(kept.Select(e => Convert.ToHexString(e.Event.Json.Span)), all.Select(e => Convert.ToHexString(e.Event.Json.Span)));
            Assert.Equal(kept.Select(e => (e.Event.Name, e.Event.Tier, e.Event.Timestamp, e.Event.UserId, e.Event.AnonymousId, e.Subject)), all.Select(e => (e.Event.Name, e.Event.Tier, e.Event.Timestamp, e.Event.UserId, e.Event.AnonymousId, e.Subject)));
            queue.Complete(all.Take(100).Select(e => e.Event.EventId).ToList());
            var purged = kept.Skip(100).Where(e => e.Subject == "subject-1").ToList();
            Assert.Equal(new TierCounts(purged.Count(e => e.Event.Tier == EventTier.A), purged.Count(e => e.Event.Tier == EventTier.B), purged.Count(e => e.Event.Tier == EventTier.C)), queue.Purge("subject-1"));
        }

        using (var connection = new SqliteConnection("Data Source=" + path + ";Mode=ReadOnly;Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT type FROM sqlite_master WHERE name = 'events'";
            Assert.Equal("view", command.ExecuteScalar());
            command.CommandText = "PRAGMA user_version";
            Assert.Equal(3L, command.ExecuteScalar());
        }

        using var reopened = new SqliteOfflineQueue(_directory.Path);
        var expected = kept.Skip(100).Where(e => e.Subject != "subject-1").Select(e => e.Event.EventId).ToList();
        Assert.Equal(expected, reopened.Lease(int.MaxValue, long.MaxValue).Select(e => e.Event.EventId));
    }

    [Fact]
    public void A_purge_inside_a_segment_shared_with_another_user_leaves_no_copy_and_keeps_the_other_users_events()
    {
        const string canary = "zq-segment-canary-57721";
        using var queue = new SqliteOfflineQueue(_directory.Path);
        var events = Enumerable.Range(0, 40)
            .Select(i => i % 2 == 0 ? Event(i, subject: "leaving", payloadText: canary + i) : Event(i, subject: "staying", payloadText: "kept-" + i))
            .ToList();
        queue.Append(events);
        Assert.Contains(canary, ReadQueueFiles());

        Assert.Equal(20, queue.Purge("leaving").Total);

        var files = ReadQueueFiles();
        Assert.DoesNotContain(canary, files);
        Assert.Contains("kept-39", files);
        Assert.Equal(events.Where((_, i) => i % 2 == 1).Select(e => e.Event.EventId), queue.Lease(100, long.MaxValue).Select(e => e.Event.EventId));
    }

    [Fact]
    public void Events_confirmed_out_of_order_across_segments_are_never_replayed_and_the_rest_always_is()
    {
        var events = Enumerable.Range(0, 1000).Select(i => Event(i, bytes: 200 + (i % 13 * 100))).ToList();
        using (var queue = new SqliteOfflineQueue(_directory.Path))
        {
            queue.Append(events);
            var leased = queue.Lease(700, long.MaxValue);
            Assert.Equal(events.Take(700).Select(e => e.Event.EventId), leased.Select(e => e.Event.EventId));

            // Every third leased event confirmed; the others stay leased when the process "dies".
            queue.Complete(leased.Where((_, i) => i % 3 == 0).Select(e => e.Event.EventId).ToList());
        }

        using var reopened = new SqliteOfflineQueue(_directory.Path);
        var expected = events.Where((_, i) => i >= 700 || i % 3 != 0).ToList();
        Assert.Equal(expected.Count, reopened.Count);
        Assert.Equal(expected.Sum(e => e.Bytes), reopened.Bytes);
        Assert.Equal(expected.Select(e => e.Event.EventId), reopened.Lease(int.MaxValue, long.MaxValue).Select(e => e.Event.EventId));
    }

    [Fact]
    public void Two_queues_on_one_file_neither_bring_back_what_the_other_purged_nor_fail_on_what_it_delivered()
    {
        const string canary = "zq-shared-canary-14142";
        var events = Enumerable.Range(0, 60)
            .Select(i => i % 3 == 0 ? Event(i, subject: "leaving", payloadText: canary + i) : Event(i, subject: "staying", payloadText: "kept-" + i))
            .ToList();
        using var first = new SqliteOfflineQueue(_directory.Path);
        first.Append(events);
        using var second = new SqliteOfflineQueue(_directory.Path);
        Assert.Equal(60, second.Count);

        // The second queue purges; the first then confirms some events of the same segment, which rewrites it.
        Assert.Equal(20, second.Purge("leaving").Total);
        var leased = first.Lease(10, long.MaxValue);
        first.Complete(leased.Where(e => e.Subject == "staying").Select(e => e.Event.EventId).ToList());
        Assert.DoesNotContain(canary, ReadQueueFiles());

        // The first delivers everything it holds; the second finds those rows gone and leases nothing twice.
        first.Release(leased.Select(e => e.Event.EventId).ToList());
        var rest = first.Lease(1000, long.MaxValue);
        Assert.DoesNotContain(rest, e => e.Subject == "leaving");
        first.Complete(rest.Select(e => e.Event.EventId).ToList());
        Assert.Empty(second.Lease(1000, long.MaxValue));
        Assert.Equal(0, second.Count);
        using var third = new SqliteOfflineQueue(_directory.Path);
        Assert.Equal(0, third.Count);
    }

    [Fact]
    public void A_write_the_database_refuses_changes_nothing_and_the_queue_goes_on()
    {
        using var queue = new SqliteOfflineQueue(_directory.Path);
        var first = Enumerable.Range(0, 30).Select(i => Event(i)).ToList();
        var more = Enumerable.Range(30, 5).Select(i => Event(i)).ToList();
        queue.Append(first);
        var leased = queue.Lease(10, long.MaxValue).Select(e => e.Event.EventId).ToList();

        // Another connection holds the write lock: every write fails once the busy timeout has passed.
        using (var blocker = new SqliteConnection("Data Source=" + queue.DatabasePath + ";Pooling=false"))
        {
            blocker.Open();
            using var command = blocker.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE";
            command.ExecuteNonQuery();
            Assert.Throws<SqliteException>(() => queue.Complete(leased));
            Assert.Throws<SqliteException>(() => queue.Append(more));
            Assert.Equal(30, queue.Count);
            Assert.Equal(first.Sum(e => e.Bytes), queue.Bytes);
            command.CommandText = "ROLLBACK";
            command.ExecuteNonQuery();
        }

        queue.Complete(leased);
        Assert.Equal(20, queue.Count);
        Assert.Equal(5, queue.Append(more).Appended);
        Assert.Equal(first.Skip(10).Concat(more).Select(e => e.Event.EventId), queue.Lease(100, long.MaxValue).Select(e => e.Event.EventId));
    }

    [Fact]
    public void An_event_larger_than_a_segment_is_stored_and_leased_whole()
    {
        using var queue = new SqliteOfflineQueue(_directory.Path);
        var events = new[] { Event(0), Event(1, bytes: 300_000), Event(2) };
        queue.Append(events);
        var leased = queue.Lease(10, long.MaxValue);
        Assert.Equal(events.Select(e => Convert.ToHexString(e.Event.Json.Span)), leased.Select(e => Convert.ToHexString(e.Event.Json.Span)));
    }

    /// <summary>A batch for operation <c>(a, b)</c>: mixed tiers, subjects, sizes and ages; sometimes an id already appended.</summary>
    private static List<QueuedEvent> Batch(int a, int b, List<QueuedEvent> appended)
    {
        var batch = new List<QueuedEvent>();
        var count = (a % 300) + 1;
        for (var k = 0; k < count; k++)
        {
            var n = a + b + k;
            var bytes = n % 97 == 0 ? 70_000 : 60 + (n * 37 % 900);
            var at = n % 7 == 0 ? Now.AddDays(-10).AddMinutes(k) : Now.AddMinutes(k - 500);
            batch.Add(Event(n, tier: (EventTier)(n % 3), subject: "subject-" + (n % 4), bytes: bytes, at: at, userId: n % 5 == 0 ? null : "subject-" + ((n + 1) % 4)));
        }

        if (b % 11 == 0 && appended.Count > 0) batch.Add(appended[b % appended.Count]);
        return batch;
    }

    private static QueuedEvent Event(int seq, EventTier tier = EventTier.B, string subject = "subject-0", int bytes = 120, DateTimeOffset? at = null, string? userId = "user-1", string? payloadText = null)
    {
        var prefix = $"{{\"event\":\"probe.segment\",\"seq\":{seq},\"text\":\"{payloadText}\",\"pad\":\"";
        var json = Encoding.UTF8.GetBytes(prefix + new string('x', Math.Max(0, bytes - prefix.Length - 2)) + "\"}");
        var outgoing = new OutgoingEvent(Guid.CreateVersion7(), seq % 2 == 0 ? "probe.segment" : "probe.other", tier, at ?? Now, userId, "anon-" + (seq % 3), json);
        return new QueuedEvent(outgoing, subject);
    }

    private string ReadQueueFiles() => QueueFiles.Read(_directory.Path);
}
