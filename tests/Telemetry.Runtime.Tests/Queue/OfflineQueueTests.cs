using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Queue;

/// <summary>The same contract for both queues: bounds, tier-first drops, leases, purge, expiry.</summary>
public sealed class OfflineQueueTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string> Kinds => new() { "sqlite", "memory" };

    public void Dispose() => _directory.Dispose();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Appended_events_are_leased_oldest_first_and_completed_ones_are_gone(string kind)
    {
        using var queue = Open(kind, new QueueLimits(1000, 1_000_000));
        var events = Enumerable.Range(0, 10).Select(i => QueueTestData.Event(EventTier.B, seq: i)).ToList();
        Assert.Equal(10, queue.Append(events).Appended);

        var first = queue.Lease(4, long.MaxValue);
        Assert.Equal(new[] { 0, 1, 2, 3 }, first.Select(QueueTestData.Seq));
        var second = queue.Lease(4, long.MaxValue);
        Assert.Equal(new[] { 4, 5, 6, 7 }, second.Select(QueueTestData.Seq));

        queue.Complete(first.Select(e => e.Event.EventId).ToList());
        queue.Release(second.Select(e => e.Event.EventId).ToList());
        Assert.Equal(6, queue.Count);
        Assert.Equal(new[] { 4, 5, 6, 7, 8, 9 }, queue.Lease(100, long.MaxValue).Select(QueueTestData.Seq));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_lease_stops_at_the_byte_limit_but_always_takes_one_event(string kind)
    {
        using var queue = Open(kind, new QueueLimits(1000, 1_000_000));
        queue.Append(Enumerable.Range(0, 5).Select(i => QueueTestData.Event(EventTier.A, bytes: 1000, seq: i)).ToList());
        Assert.Equal(2, queue.Lease(100, 2500).Count);
        Assert.Single(queue.Lease(100, 10));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void At_the_row_bound_lower_tiers_are_dropped_first_oldest_first_and_counted(string kind)
    {
        using var queue = Open(kind, new QueueLimits(10, 1_000_000));
        var c = Enumerable.Range(0, 4).Select(i => QueueTestData.Event(EventTier.C, seq: 100 + i)).ToList();
        var b = Enumerable.Range(0, 4).Select(i => QueueTestData.Event(EventTier.B, seq: 200 + i)).ToList();
        var a = Enumerable.Range(0, 2).Select(i => QueueTestData.Event(EventTier.A, seq: 300 + i)).ToList();
        Assert.Equal(default, queue.Append(c.Concat(b).Concat(a).ToList()).Dropped);

        // 6 more A events: all 4 C go first, then the 2 oldest B.
        var more = Enumerable.Range(0, 6).Select(i => QueueTestData.Event(EventTier.A, seq: 400 + i)).ToList();
        var result = queue.Append(more);
        Assert.Equal(6, result.Appended);
        Assert.Equal(new TierCounts(0, 2, 4), result.Dropped);
        Assert.Equal(10, queue.Count);
        var left = queue.Lease(100, long.MaxValue).Select(QueueTestData.Seq).OrderBy(x => x).ToArray();
        Assert.Equal(new[] { 202, 203, 300, 301, 400, 401, 402, 403, 404, 405 }, left);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Incoming_low_tier_events_are_refused_when_only_higher_tiers_are_stored(string kind)
    {
        using var queue = Open(kind, new QueueLimits(3, 1_000_000));
        queue.Append(Enumerable.Range(0, 3).Select(i => QueueTestData.Event(EventTier.A, seq: i)).ToList());
        var result = queue.Append(new[] { QueueTestData.Event(EventTier.C, seq: 9) });
        Assert.Equal(0, result.Appended);
        Assert.Equal(new TierCounts(0, 0, 1), result.Dropped);
        Assert.Equal(new[] { 0, 1, 2 }, queue.Lease(10, long.MaxValue).Select(QueueTestData.Seq));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_byte_bound_holds_and_leased_events_are_never_evicted(string kind)
    {
        using var queue = Open(kind, new QueueLimits(1000, 5_000));
        queue.Append(Enumerable.Range(0, 5).Select(i => QueueTestData.Event(EventTier.C, bytes: 1000, seq: i)).ToList());
        var inFlight = queue.Lease(2, long.MaxValue);
        var result = queue.Append(Enumerable.Range(0, 3).Select(i => QueueTestData.Event(EventTier.B, bytes: 1000, seq: 10 + i)).ToList());

        Assert.Equal(3, result.Appended);
        Assert.Equal(new TierCounts(0, 0, 3), result.Dropped);
        Assert.True(queue.Bytes <= 5_000);
        queue.Complete(inFlight.Select(e => e.Event.EventId).ToList());
        Assert.Equal(new[] { 10, 11, 12 }, queue.Lease(10, long.MaxValue).Select(QueueTestData.Seq));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Purge_removes_only_the_subjects_events_including_leased_ones(string kind)
    {
        using var queue = Open(kind, new QueueLimits(1000, 1_000_000));
        queue.Append(new[]
        {
            QueueTestData.Event(EventTier.A, subject: "alice", seq: 1),
            QueueTestData.Event(EventTier.B, subject: "bob", seq: 2),
            QueueTestData.Event(EventTier.C, subject: "alice", seq: 3),
        });
        queue.Lease(1, long.MaxValue);
        Assert.Equal(new TierCounts(1, 0, 1), queue.Purge("alice"));
        Assert.Equal(new[] { 2 }, queue.Lease(10, long.MaxValue).Select(QueueTestData.Seq));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Expired_events_are_removed_but_not_while_leased(string kind)
    {
        using var queue = Open(kind, new QueueLimits(1000, 1_000_000));
        var old = DateTimeOffset.UtcNow.AddDays(-10);
        queue.Append(new[]
        {
            QueueTestData.Event(EventTier.A, at: old, seq: 1),
            QueueTestData.Event(EventTier.A, at: old, seq: 2),
            QueueTestData.Event(EventTier.A, seq: 3),
        });
        var leased = queue.Lease(1, long.MaxValue);
        Assert.Equal(1, QueueTestData.Seq(leased[0]));
        Assert.Equal(new TierCounts(1, 0, 0), queue.RemoveOlderThan(DateTimeOffset.UtcNow.AddDays(-7)));
        queue.Release(leased.Select(e => e.Event.EventId).ToList());
        Assert.Equal(new[] { 1, 3 }, queue.Lease(10, long.MaxValue).Select(QueueTestData.Seq));
    }

    [Fact]
    public void The_sqlite_queue_survives_reopening_with_ids_payloads_and_totals_intact()
    {
        var events = Enumerable.Range(0, 20).Select(i => QueueTestData.Event((EventTier)(i % 3), seq: i)).ToList();
        using (var queue = new SqliteOfflineQueue(_directory.Path))
        {
            queue.Append(events);
            queue.Lease(5, long.MaxValue); // leased, never completed: the process "died"
        }

        using var reopened = new SqliteOfflineQueue(_directory.Path);
        Assert.Equal(20, reopened.Count);
        Assert.Equal(events.Sum(e => e.Bytes), reopened.Bytes);
        var all = reopened.Lease(100, long.MaxValue);
        Assert.Equal(events.Select(e => e.Event.EventId), all.Select(e => e.Event.EventId));
        Assert.Equal(events[7].Event.Json.ToArray(), all[7].Event.Json.ToArray());
        Assert.Equal(events[7].Event.Timestamp, all[7].Event.Timestamp);
        Assert.Equal(events[7].Event.Tier, all[7].Event.Tier);
    }

    [Fact]
    public void The_queue_folder_is_created_owner_only_and_the_database_is_not_world_readable()
    {
        if (OperatingSystem.IsWindows()) return;
        var nested = Path.Combine(_directory.Path, "app", "telemetry");
        using var queue = new SqliteOfflineQueue(nested);
        Assert.Equal(SecureDirectory.OwnerOnly, File.GetUnixFileMode(nested));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(queue.DatabasePath));
    }

    [Fact]
    public void An_existing_folder_with_loose_permissions_is_tightened()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(_directory.Path);
        File.SetUnixFileMode(_directory.Path, (UnixFileMode)0b111_111_111);
        using var queue = new SqliteOfflineQueue(_directory.Path);
        Assert.Equal(SecureDirectory.OwnerOnly, File.GetUnixFileMode(_directory.Path));
    }

    [Fact]
    public void A_corrupt_database_is_moved_aside_and_a_fresh_queue_starts()
    {
        Directory.CreateDirectory(_directory.Path);
        File.WriteAllText(Path.Combine(_directory.Path, SqliteOfflineQueue.FileName), string.Concat(Enumerable.Repeat("this is not a database. ", 200)));
        using var queue = new SqliteOfflineQueue(_directory.Path);
        Assert.Equal(0, queue.Count);
        queue.Append(new[] { QueueTestData.Event(EventTier.A) });
        Assert.Equal(1, queue.Count);
        Assert.Single(Directory.GetFiles(_directory.Path, SqliteOfflineQueue.FileName + ".corrupt-*"));
    }

    [Fact]
    public void The_default_location_is_a_per_user_folder_and_never_the_temp_folder()
    {
        var location = TelemetryStorageLocation.DefaultFor("My App");
        Assert.NotNull(location);
        Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), location);
        Assert.False(location!.StartsWith(Path.GetTempPath(), StringComparison.Ordinal));
        Assert.EndsWith(Path.Combine("My App", "telemetry"), location);
    }

    private IOfflineQueue Open(string kind, QueueLimits limits) =>
        kind == "sqlite" ? new SqliteOfflineQueue(Path.Combine(_directory.Path, Guid.NewGuid().ToString("N")), limits) : new InMemoryOfflineQueue(limits);
}
