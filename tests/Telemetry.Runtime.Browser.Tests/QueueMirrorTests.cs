using System.Text;
using System.Text.Json.Nodes;
using Telemetry.Runtime;
using Telemetry.Runtime.Browser;

namespace Telemetry.Runtime.Browser.Tests;

/// <summary>
/// The IndexedDB mirror, with a dictionary standing in for the object store (same write protocol: deletes then puts
/// per call, records keyed by id). The promise: whatever the queue does, a page loaded afterwards finds exactly the
/// events the queue still holds, in the same order, with the same ids and payload bytes.
/// </summary>
public sealed class QueueMirrorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void After_any_sequence_of_operations_a_reloaded_page_finds_exactly_the_queued_events_in_order(int seed)
    {
        var random = new Random(seed);
        var store = new FakeObjectStore();
        var limits = new QueueLimits(random.Next(5, 40), random.Next(400, 4000));
        var queue = store.Open(limits);
        var leased = new List<Guid>();
        var subjects = new[] { "anon-1", "user-2", "user-3" };

        for (var step = 0; step < 300; step++)
        {
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    var batch = Enumerable.Range(0, random.Next(1, 8)).Select(_ => Event(random, subjects[random.Next(subjects.Length)])).ToList();
                    queue.Append(batch);
                    break;
                case 2:
                    leased.AddRange(queue.Lease(random.Next(1, 10), random.Next(50, 2000)).Select(e => e.Event.EventId));
                    break;
                case 3:
                    var done = leased.Where(_ => random.Next(2) == 0).ToList();
                    queue.Complete(done);
                    leased.RemoveAll(done.Contains);
                    break;
                case 4:
                    queue.Release(leased);
                    leased.Clear();
                    break;
                default:
                    if (random.Next(4) == 0) queue.Purge(subjects[random.Next(subjects.Length)]);
                    else queue.RemoveOlderThan(DateTimeOffset.UnixEpoch.AddSeconds(random.Next(0, 100)));
                    break;
            }

            var reloaded = store.Open(limits);
            Assert.Equal(queue.Count, reloaded.Count);
            Assert.Equal(queue.Bytes, reloaded.Bytes);
            Assert.Equal(store.Count, queue.Count);
        }

        // Order and content: the reloaded queue leases what the original holds, oldest first, byte for byte.
        queue.Release(leased);
        var expected = queue.Lease(int.MaxValue, long.MaxValue);
        var actual = store.Open(limits).Lease(int.MaxValue, long.MaxValue);
        Assert.Equal(expected.Select(e => e.Event.EventId), actual.Select(e => e.Event.EventId));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Subject, actual[i].Subject);
            Assert.Equal(expected[i].Event with { Json = default }, actual[i].Event with { Json = default });
            Assert.True(expected[i].Event.Json.Span.SequenceEqual(actual[i].Event.Json.Span));
        }
    }

    [Fact]
    public void Eviction_drops_lower_tiers_first_and_deletes_them_from_the_store()
    {
        var store = new FakeObjectStore();
        var queue = store.Open(new QueueLimits(3, 1_000_000));
        var c1 = Event(new Random(1), "s", EventTier.C);
        var b1 = Event(new Random(2), "s", EventTier.B);
        var a1 = Event(new Random(3), "s", EventTier.A);
        queue.Append([c1, b1, a1]);
        var a2 = Event(new Random(4), "s", EventTier.A);
        var result = queue.Append([a2]);

        Assert.Equal(1, result.Dropped.C);
        var ids = store.Open(new QueueLimits(3, 1_000_000)).Lease(10, long.MaxValue).Select(e => e.Event.EventId).ToList();
        Assert.Equal([b1.Event.EventId, a1.Event.EventId, a2.Event.EventId], ids);
    }

    [Fact]
    public void Leased_events_of_a_page_that_went_away_are_sent_again_with_the_same_ids()
    {
        var store = new FakeObjectStore();
        var first = store.Open(QueueLimits.Default);
        var e = Event(new Random(5), "s");
        first.Append([e]);
        Assert.Single(first.Lease(10, long.MaxValue));

        // The page closed mid-send: no Complete, no Release.
        var next = store.Open(QueueLimits.Default);
        var again = Assert.Single(next.Lease(10, long.MaxValue));
        Assert.Equal(e.Event.EventId, again.Event.EventId);
    }

    [Fact]
    public void Unreadable_records_are_skipped_and_deleted_and_the_rest_restored()
    {
        var store = new FakeObjectStore();
        var queue = store.Open(QueueLimits.Default);
        queue.Append([Event(new Random(6), "s")]);
        store.Records["broken"] = new JsonObject { ["id"] = "broken", ["order"] = 99, ["tier"] = "Z" };

        var reloaded = new BrowserOfflineQueue(QueueLimits.Default, "db");
        var (restored, skipped) = reloaded.Attach(store.Json(), store.Write);

        Assert.Equal(1, restored);
        Assert.Equal(1, skipped);
        Assert.False(store.Records.ContainsKey("broken"));
    }

    [Fact]
    public void A_queue_used_before_it_is_attached_fails_with_a_clear_storage_error()
    {
        var queue = new BrowserOfflineQueue(QueueLimits.Default, "db");
        var error = Assert.Throws<InvalidOperationException>(() => queue.Append([Event(new Random(7), "s")]));
        Assert.Contains("StartBrowserTelemetryAsync", error.Message);
        Assert.Equal("indexeddb:db", queue.Description);
    }

    private static QueuedEvent Event(Random random, string subject, EventTier? tier = null)
    {
        var id = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray());
        var text = "{\"event\":\"x\",\"note\":\"" + new string('é', random.Next(0, 60)) + "\u20ac\"}";
        var outgoing = new OutgoingEvent(id, "chart.zoom", tier ?? (EventTier)random.Next(3), DateTimeOffset.UnixEpoch.AddSeconds(random.Next(0, 100)).AddTicks(random.Next(10_000)),
            subject.StartsWith("user", StringComparison.Ordinal) ? subject : null, "anon-1", Encoding.UTF8.GetBytes(text));
        return new QueuedEvent(outgoing, subject);
    }

    /// <summary>An IndexedDB object store keyed by "id", written the way telemetry-browser.js writes it.</summary>
    private sealed class FakeObjectStore
    {
        public Dictionary<string, JsonNode> Records { get; } = new(StringComparer.Ordinal);

        public int Count => Records.Count;

        public BrowserOfflineQueue Open(QueueLimits limits)
        {
            var queue = new BrowserOfflineQueue(limits, "db");
            queue.Attach(Json(), Write);
            return queue;
        }

        public string Json() => new JsonArray(Records.Values.Select(r => r.DeepClone()).ToArray()).ToJsonString();

        public void Write(string? deletes, string? puts)
        {
            if (deletes is not null) foreach (var id in JsonNode.Parse(deletes)!.AsArray()) Records.Remove((string)id!);
            if (puts is not null) foreach (var record in JsonNode.Parse(puts)!.AsArray()) Records[(string)record!["id"]!] = record.DeepClone();
        }
    }
}
