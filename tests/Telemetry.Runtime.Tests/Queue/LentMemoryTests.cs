using System.Text;
using CsCheck;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Queue;

/// <summary>
/// The queues copy what they store (the caller reuses its buffer after <see cref="IOfflineQueue.Append"/>) and lend
/// slices of pooled pages to a lease: a leased event's bytes stay its own until the lease ends, whatever else happens
/// meanwhile, and a page's memory is reused only after that.
/// </summary>
public sealed class LentMemoryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> Kinds => new() { "sqlite", "memory" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Leased_bytes_stay_intact_until_the_lease_ends_whatever_the_queue_does_meanwhile(string kind)
    {
        // (operation, a, b): append, lease, settle, end a lease, purge, evict by appending past the bound.
        var operations = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[1, 40];
        operations.Sample(
            ops =>
            {
                using var queue = Open(kind, new QueueLimits(300, 120_000));
                var expected = new Dictionary<Guid, byte[]>();
                var leases = new List<IReadOnlyList<QueuedEvent>>();
                var caller = new byte[256 * 1024];
                var seq = 0;
                foreach (var (op, a, b) in ops)
                {
                    switch (op)
                    {
                        case 0 or 1 or 2 or 3:
                            // Events whose bytes are slices of one caller buffer, overwritten as soon as Append returns.
                            var batch = new List<QueuedEvent>();
                            var at = 0;
                            for (var i = 0; i < (a % 60) + 1; i++)
                            {
                                var bytes = Json(seq++, 100 + ((b * (i + 1)) % 900));
                                bytes.CopyTo(caller, at);
                                var id = Guid.CreateVersion7();
                                expected[id] = bytes;
                                var tier = (EventTier)((a + i) % 3);
                                var e = new OutgoingEvent(id, "probe.lent", tier, DateTimeOffset.UtcNow, "user-" + (i % 3), "anon", new ReadOnlyMemory<byte>(caller, at, bytes.Length));
                                batch.Add(new QueuedEvent(e, "subject-" + (i % 3)));
                                at += bytes.Length;
                            }

                            queue.Append(batch);
                            Array.Fill(caller, (byte)0xEE);
                            break;
                        case 4 or 5:
                            leases.Add(queue.Lease((a % 120) + 1, b % 2 == 0 ? 20_000 : long.MaxValue));
                            break;
                        case 6 when leases.Count > 0:
                            // Settle a lease (complete some, release the rest), then end it.
                            var lease = leases[a % leases.Count];
                            leases.Remove(lease);
                            var ids = lease.Select(e => e.Event.EventId).ToList();
                            queue.Complete(ids.Where((_, i) => (i + b) % 3 != 0).ToList());
                            queue.Release(ids.Where((_, i) => (i + b) % 3 == 0).ToList());
                            queue.EndLease(lease);
                            break;
                        case 7:
                            queue.Purge("subject-" + (a % 3));
                            break;
                        case 8:
                            queue.PurgeIdentity("user-" + (a % 3));
                            break;
                        default:
                            var outstanding = leases.SelectMany(l => l.Select(e => e.Event.EventId)).ToList();
                            queue.Complete(outstanding.Where((_, i) => i % 2 == 0).ToList());
                            break;
                    }

                    // Every event of every lease not ended yet still reads as appended.
                    foreach (var lease in leases)
                    {
                        foreach (var e in lease) Assert.Equal(expected[e.Event.EventId], e.Event.Json.ToArray());
                    }
                }

                // What the queue still holds reads as appended too.
                foreach (var lease in leases)
                {
                    queue.Release(lease.Select(e => e.Event.EventId).ToList());
                    queue.EndLease(lease);
                }

                foreach (var e in queue.Lease(int.MaxValue, long.MaxValue)) Assert.Equal(expected[e.Event.EventId], e.Event.Json.ToArray());
            },
            iter: 60);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_exported_copy_outlives_the_events_it_copied(string kind)
    {
        using var queue = Open(kind, new QueueLimits(1000, 1_000_000));
        queue.Append(Enumerable.Range(0, 50).Select(i => QueueTestData.Event(EventTier.B, bytes: 500, subject: "subject-1", seq: i)).ToList());
        var export = queue.Export("subject-1");
        var before = export.Select(e => Convert.ToHexString(e.Event.Json.Span)).ToList();

        // The events leave, and their pages are reused by others.
        var lease = queue.Lease(int.MaxValue, long.MaxValue);
        queue.Complete(lease.Select(e => e.Event.EventId).ToList());
        queue.EndLease(lease);
        queue.Append(Enumerable.Range(0, 50).Select(i => QueueTestData.Event(EventTier.B, bytes: 500, subject: "subject-2", seq: 100 + i)).ToList());

        Assert.Equal(before, export.Select(e => Convert.ToHexString(e.Event.Json.Span)));
        Assert.Equal(Enumerable.Range(0, 50), export.Select(QueueTestData.Seq));
    }

    [Fact]
    public void A_purged_event_of_the_memory_queue_is_zeroed_in_its_page_while_the_page_holds_other_events()
    {
        var queue = new InMemoryOfflineQueue(new QueueLimits(1000, 1_000_000));
        queue.Append([QueueTestData.Event(EventTier.B, bytes: 400, subject: "subject-gone", seq: 1), QueueTestData.Event(EventTier.B, bytes: 400, subject: "subject-kept", seq: 2)]);

        // The page, through a leased event's slice (the lease ended: nothing reads the page any more).
        var page = PageOf(queue);
        Assert.Contains("\"seq\":1,", Encoding.UTF8.GetString(page), StringComparison.Ordinal);

        Assert.Equal(1, queue.Purge("subject-gone").Total);
        Assert.DoesNotContain("\"seq\":1,", Encoding.UTF8.GetString(page), StringComparison.Ordinal);
        Assert.Contains("\"seq\":2,", Encoding.UTF8.GetString(page), StringComparison.Ordinal);
    }

    [Fact]
    public void The_memory_queue_gives_back_the_pages_of_evicted_events_so_memory_follows_its_byte_bound()
    {
        // Mixed tiers at the bound: every append evicts C events from all over the stored pages, leaving them sparse.
        var limits = new QueueLimits(100_000, 2_000_000);
        var queue = new InMemoryOfflineQueue(limits);
        var worst = 0.0;
        for (var round = 0; round < 200; round++)
        {
            var batch = Enumerable.Range(0, 100).Select(i => QueueTestData.Event(i % 10 == 0 ? EventTier.A : EventTier.C, bytes: 1000, seq: (round * 100) + i)).ToList();
            queue.Append(batch);
            if (queue.Bytes > limits.MaxBytes / 2) worst = Math.Max(worst, (double)queue.PageBytes / queue.Bytes);
        }

        Assert.True(queue.Bytes <= limits.MaxBytes);
        Assert.True(worst <= 2.2, $"pages held {worst:0.00} times the stored bytes");
    }

    /// <summary>The page array the queue's oldest stored event is a slice of.</summary>
    private static byte[] PageOf(InMemoryOfflineQueue queue)
    {
        var lease = queue.Lease(1, long.MaxValue);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(lease[0].Event.Json, out var segment));
        queue.Release([lease[0].Event.EventId]);
        queue.EndLease(lease);
        return segment.Array!;
    }

    private static byte[] Json(int seq, int length)
    {
        var prefix = $"{{\"event\":\"probe.lent\",\"seq\":{seq},\"pad\":\"";
        return Encoding.UTF8.GetBytes(prefix + new string((char)('a' + (seq % 26)), Math.Max(0, length - prefix.Length - 2)) + "\"}");
    }

    private IOfflineQueue Open(string kind, QueueLimits limits) =>
        kind == "sqlite" ? new SqliteOfflineQueue(Path.Combine(_directory.Path, Guid.NewGuid().ToString("N")), limits) : new InMemoryOfflineQueue(limits);
}
