using System.Net;
using System.Text;
using System.Text.Json;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>
/// A batch the sink keeps answering with 5xx is bisected to find the event(s) causing it: those are dropped as
/// <c>poison</c>, the rest delivered once. Tested with the real <see cref="IngestSink"/> against a fake ingest endpoint
/// that answers 500 (empty body) to any batch holding particular events.
/// </summary>
public class PoisonEventTests
{
    [Fact]
    public async Task A_poison_event_is_isolated_by_bisection_dropped_as_poison_and_the_rest_delivered_once()
    {
        using var endpoint = new FakeIngestEndpoint(poisonSeqs: new[] { 7 });
        await using var t = TestPipeline.Create(endpoint.Sink());
        for (var i = 0; i < 20; i++) t.Pipeline.TrackProbeStep(i);

        await t.DeliverAllAsync();

        Assert.Equal(Enumerable.Range(0, 20).Where(i => i != 7), endpoint.AcceptedSeqs.OrderBy(x => x));
        Assert.All(endpoint.AcceptCountById.Values, n => Assert.Equal(1, n));
        Assert.Equal(1, t.Stats.DroppedFor(DropReason.Poison));
        Assert.Equal(19, t.Stats.Sent);
        Assert.Equal(0, t.Stats.QueueDepth);
        // Three whole-batch 500s before the search starts; the search itself is bounded by the halvings.
        Assert.Equal(3, endpoint.Requests.TakeWhile(r => r.Count == 20).Count());
        Assert.True(endpoint.Requests.Count <= 3 + (2 * 5) + 2, "requests: " + endpoint.Requests.Count);
        Assert.DoesNotContain(endpoint.Requests.Skip(3), r => r.Count == 20);
    }

    [Fact]
    public async Task Several_poison_events_are_all_found_and_every_other_event_is_delivered()
    {
        using var endpoint = new FakeIngestEndpoint(poisonSeqs: new[] { 0, 13, 14, 39 });
        await using var t = TestPipeline.Create(endpoint.Sink(), o => o.PoisonBatchThreshold = 2);
        for (var i = 0; i < 40; i++) t.Pipeline.TrackProbeStep(i);

        await t.DeliverAllAsync();

        Assert.Equal(Enumerable.Range(0, 40).Except(new[] { 0, 13, 14, 39 }), endpoint.AcceptedSeqs.OrderBy(x => x));
        Assert.All(endpoint.AcceptCountById.Values, n => Assert.Equal(1, n));
        Assert.Equal(4, t.Stats.DroppedFor(DropReason.Poison));
        Assert.Equal(2, endpoint.Requests.TakeWhile(r => r.Count == 40).Count());
    }

    [Fact]
    public async Task A_sink_that_is_down_loses_nothing_to_the_poison_search_and_delivers_everything_when_it_recovers()
    {
        using var endpoint = new FakeIngestEndpoint(poisonSeqs: Array.Empty<int>()) { Down = true };
        await using var t = TestPipeline.Create(endpoint.Sink());
        for (var i = 0; i < 32; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();

        for (var attempt = 0; attempt < 12; attempt++)
        {
            Assert.False(await t.Pipeline.DeliverAsync(CancellationToken.None));
            t.Time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(0, t.Stats.DroppedFor(DropReason.Poison));
        Assert.Equal(32, t.Stats.QueueDepth);
        // Each search gives up after log2(n) + 2 blind failures instead of sending all 2n - 1 parts.
        Assert.True(endpoint.Requests.Count <= 12 + (3 * (5 + 2)), "requests while down: " + endpoint.Requests.Count);

        endpoint.Down = false;
        await t.DeliverAllAsync();
        Assert.Equal(Enumerable.Range(0, 32), endpoint.AcceptedSeqs.OrderBy(x => x));
        Assert.All(endpoint.AcceptCountById.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Without_the_threshold_a_poison_batch_is_only_retried()
    {
        using var endpoint = new FakeIngestEndpoint(poisonSeqs: new[] { 3 });
        await using var t = TestPipeline.Create(endpoint.Sink(), o => o.PoisonBatchThreshold = 0);
        for (var i = 0; i < 8; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();

        for (var attempt = 0; attempt < 6; attempt++)
        {
            Assert.False(await t.Pipeline.DeliverAsync(CancellationToken.None));
            t.Time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.All(endpoint.Requests, r => Assert.Equal(8, r.Count));
        Assert.Equal(0, t.Stats.DroppedFor(DropReason.Poison));
        Assert.Equal(8, t.Stats.QueueDepth);
    }

    [Fact]
    public async Task Rate_limiting_and_timeouts_do_not_count_toward_the_poison_threshold()
    {
        // 500, 429, 500, 429, ...: never three 5xx in a row, so nothing is bisected or dropped.
        using var endpoint = new FakeIngestEndpoint(poisonSeqs: new[] { 5 }) { AlternateWith429 = true };
        await using var t = TestPipeline.Create(endpoint.Sink());
        for (var i = 0; i < 8; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();

        for (var attempt = 0; attempt < 10; attempt++)
        {
            Assert.False(await t.Pipeline.DeliverAsync(CancellationToken.None));
            t.Time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.All(endpoint.Requests, r => Assert.Equal(8, r.Count));
        Assert.Equal(0, t.Stats.DroppedFor(DropReason.Poison));
    }

    /// <summary>An ingest endpoint (as an HTTP handler) answering 500 with an empty body to any batch holding a poison event.</summary>
    private sealed class FakeIngestEndpoint : HttpMessageHandler
    {
        private readonly HashSet<int> _poison;
        private readonly object _gate = new();
        private int _answers;

        public FakeIngestEndpoint(IEnumerable<int> poisonSeqs) => _poison = new HashSet<int>(poisonSeqs);

        public bool Down { get; set; }

        public bool AlternateWith429 { get; set; }

        public List<List<int>> Requests { get; } = new();

        public Dictionary<Guid, int> AcceptCountById { get; } = new();

        public List<int> AcceptedSeqs { get; } = new();

        public IngestSink Sink() => new(new HttpClient(this, disposeHandler: false),
            new IngestSinkOptions { BaseUrl = new Uri("http://127.0.0.1:9"), WriteKey = "wk", Gzip = false });

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(body);
            var events = document.RootElement.GetProperty("events").EnumerateArray()
                .Select(e => (Seq: e.GetProperty("seq").GetInt32(), Id: Guid.Parse(e.GetProperty("event_id").GetString()!))).ToList();
            lock (_gate)
            {
                Requests.Add(events.Select(e => e.Seq).ToList());
                _answers++;
                if (AlternateWith429 && _answers % 2 == 0) return new HttpResponseMessage((HttpStatusCode)429);
                if (Down || events.Any(e => _poison.Contains(e.Seq))) return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new ByteArrayContent(Array.Empty<byte>()) };
                foreach (var (seq, id) in events)
                {
                    AcceptCountById[id] = AcceptCountById.GetValueOrDefault(id) + 1;
                    if (AcceptCountById[id] == 1) AcceptedSeqs.Add(seq);
                }
            }

            return new HttpResponseMessage(HttpStatusCode.Accepted)
            {
                Content = new StringContent("{\"accepted\":" + events.Count + ",\"duplicates\":0,\"rejected\":[]}", Encoding.UTF8, "application/json"),
            };
        }
    }
}
