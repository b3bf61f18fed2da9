using System.Text;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>
/// A sink that declares <see cref="ITelemetrySink.ReadsBatchOnlyDuringSend"/> borrows the queue's memory for the send;
/// the pipeline reuses that memory only after the send is over, never while a sink that ignored its timeout may still
/// read it. A sink that does not declare it may keep what it got.
/// </summary>
public sealed class BorrowedBatchTests
{
    public static TheoryData<bool> Queues => new() { false, true };

    [Theory]
    [MemberData(nameof(Queues))]
    public async Task A_borrowing_sink_that_ignores_its_timeout_still_reads_its_own_events_while_delivery_goes_on(bool durable)
    {
        var sink = new HangingBorrower();
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.SendTimeout = TimeSpan.FromMilliseconds(50);
            o.UseDurableQueue = durable;
        });
        for (var i = 0; i < 200; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();
        var first = t.Pipeline.DeliverAsync(CancellationToken.None);
        while (!first.IsCompleted)
        {
            t.Time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }

        // Many more events pass through the queue's pages while the first send still holds its batch.
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 200; i++) t.Pipeline.TrackProbeStep(1000 + (round * 200) + i);
            await t.DeliverAllAsync();
        }

        Assert.True(sink.Sends > 20);
        Assert.Equal(sink.FirstBatchAsSent, sink.FirstBatch!.Select(e => Encoding.UTF8.GetString(e.Json.Span)).ToList());
    }

    [Theory]
    [MemberData(nameof(Queues))]
    public async Task A_sink_that_keeps_its_batches_reads_them_unchanged_after_later_deliveries(bool durable)
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UseDurableQueue = durable);
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 100; i++) t.Pipeline.TrackProbeStep((round * 100) + i);
            await t.DeliverAllAsync();
        }

        Assert.False(((ITelemetrySink)sink).ReadsBatchOnlyDuringSend);
        Assert.Equal(Enumerable.Range(0, 2000), sink.Accepted.Select(e => ScriptedSink.IntProperty(e, "seq")));
    }

    [Theory]
    [MemberData(nameof(Queues))]
    public async Task One_delivery_pass_sends_every_queued_batch_to_a_borrowing_sink(bool durable)
    {
        var sink = new CountingBorrower();
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.MaxBatchSize = 500;
            o.UseDurableQueue = durable;
        });
        for (var i = 0; i < 1_200; i++) t.Pipeline.TrackProbeStep(i);
        t.Ingest();

        Assert.True(await t.Pipeline.DeliverAsync(CancellationToken.None));
        Assert.Equal(new[] { 500, 500, 200 }, sink.BatchSizes);
        Assert.Equal(1_200, t.Stats.Sent);
    }

    /// <summary>Borrows its batches and counts them.</summary>
    private sealed class CountingBorrower : ITelemetrySink
    {
        public string Name => "counting-borrower";

        public int MaxBatchSize => 10_000;

        public bool ReadsBatchOnlyDuringSend => true;

        public List<int> BatchSizes { get; } = new();

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
        {
            BatchSizes.Add(batch.Count);
            return new(SinkResult.Success);
        }
    }

    /// <summary>Borrows its batches; hangs on the first send, ignoring its token, and keeps that batch.</summary>
    private sealed class HangingBorrower : ITelemetrySink
    {
        public string Name => "hanging-borrower";

        public int MaxBatchSize => 500;

        public bool ReadsBatchOnlyDuringSend => true;

        public IReadOnlyList<OutgoingEvent>? FirstBatch { get; private set; }

        public List<string> FirstBatchAsSent { get; } = new();

        public int Sends { get; private set; }

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
        {
            Sends++;
            if (FirstBatch is not null) return new(SinkResult.Success);
            FirstBatch = batch;
            foreach (var e in batch) FirstBatchAsSent.Add(Encoding.UTF8.GetString(e.Json.Span));
            return new(new TaskCompletionSource<SinkResult>().Task);
        }
    }
}
