using System.Text.Json;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.Sampling;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Aggregation;

public class AggregationTests
{
    // Outside the 1 % full-stream share, so only aggregates leave the process.
    private static readonly string User = EventSamplerTests.UserWithBucket(inside: false, ProbePointerMove.Descriptor.SampledBuckets);

    [Fact]
    public async Task Window_aggregates_match_a_naive_reference_per_group_and_window()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UserId = User);
        var random = new Random(7);
        var reference = new List<(int Window, ProbePointerMoveArea Area, double Value)>();
        for (var window = 0; window < 3; window++)
        {
            var n = 200 + random.Next(300);
            for (var i = 0; i < n; i++)
            {
                var area = random.Next(3) == 0 ? ProbePointerMoveArea.Right : ProbePointerMoveArea.Left;
                var value = Math.Round((random.NextDouble() * 2000) - 1000, 3);
                t.Pipeline.TrackProbePointerMove(value, area);
                reference.Add((window, area, value));
            }

            t.Time.Advance(TimeSpan.FromSeconds(1));
            t.Ingest();
        }

        await t.DeliverAllAsync();
        Assert.DoesNotContain(sink.Accepted, e => e.Name == "probe.pointer_move");
        var aggregates = sink.Accepted.Where(e => e.Name == "probe.pointer_agg").Select(e => JsonDocument.Parse(e.Json).RootElement).ToList();
        var expected = reference.GroupBy(r => (r.Window, r.Area)).OrderBy(g => g.Key.Window).ThenBy(g => g.Key.Area).ToList();
        Assert.Equal(expected.Count, aggregates.Count);

        var windows = aggregates.Select(a => a.GetProperty("timestamp").GetDateTimeOffset()).Distinct().OrderBy(x => x).ToList();
        Assert.Equal(3, windows.Count);
        foreach (var group in expected)
        {
            var windowStart = windows[group.Key.Window];
            var area = group.Key.Area == ProbePointerMoveArea.Left ? "left" : "right";
            var actual = Assert.Single(aggregates, a => a.GetProperty("area").GetString() == area && a.GetProperty("timestamp").GetDateTimeOffset() == windowStart);
            var values = group.Select(g => g.Value).ToList();
            Assert.Equal(values.Count, actual.GetProperty("count").GetInt64());
            Assert.Equal(values.Min(), actual.GetProperty("value_min").GetDouble());
            Assert.Equal(values.Max(), actual.GetProperty("value_max").GetDouble());
            Assert.Equal(values.Average(), actual.GetProperty("value_avg").GetDouble(), 9);
            Assert.Equal(values[^1], actual.GetProperty("last_value").GetDouble());
            Assert.Equal(1000, actual.GetProperty("window_ms").GetInt32());
        }

        Assert.Equal(reference.Count, t.Stats.Aggregated);
    }

    [Fact]
    public async Task Nothing_is_emitted_before_the_window_ends()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UserId = User);
        t.Pipeline.TrackProbePointerMove(1, ProbePointerMoveArea.Left);
        t.Time.Advance(TimeSpan.FromMilliseconds(999));
        await t.FlushOnceAsync();
        Assert.Empty(sink.Accepted);

        t.Time.Advance(TimeSpan.FromMilliseconds(1));
        await t.FlushOnceAsync();
        Assert.Equal("probe.pointer_agg", Assert.Single(sink.Accepted).Name);
    }

    [Fact]
    public async Task Shutdown_flushes_the_open_window()
    {
        var sink = new ScriptedSink();
        var t = TestPipeline.Create(sink, o => o.UserId = User);
        for (var i = 0; i < 5; i++) t.Pipeline.TrackProbePointerMove(i, ProbePointerMoveArea.Right);
        await t.DisposeAsync();

        var e = Assert.Single(sink.Accepted);
        Assert.Equal(5, JsonDocument.Parse(e.Json).RootElement.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_server_window_override_applies_to_every_aggregator_and_is_clamped()
    {
        var sink = new ScriptedSink().Then(new SinkResult(SinkOutcome.Delivered, AggregationWindowOverride: TimeSpan.FromSeconds(5)));
        await using var t = TestPipeline.Create(sink, o => o.UserId = User);
        var aggregator = t.Pipeline.Aggregator<ProbePointerAggAggregator>();
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();

        Assert.Same(aggregator, t.Pipeline.Aggregator<ProbePointerAggAggregator>());
        Assert.Equal(TimeSpan.FromSeconds(5), aggregator.Window);
        Assert.Equal(TimeSpan.FromSeconds(5), t.Pipeline.AggregationWindowOverride);

        t.Pipeline.TrackProbePointerMove(3, ProbePointerMoveArea.Left);
        t.Time.Advance(TimeSpan.FromSeconds(2));
        await t.FlushOnceAsync();
        Assert.DoesNotContain(sink.Accepted, e => e.Name == "probe.pointer_agg");
        t.Time.Advance(TimeSpan.FromSeconds(3));
        await t.FlushOnceAsync();
        var agg = Assert.Single(sink.Accepted, e => e.Name == "probe.pointer_agg");
        Assert.Equal(5000, JsonDocument.Parse(agg.Json).RootElement.GetProperty("window_ms").GetInt32());

        sink.Fallback = _ => new SinkResult(SinkOutcome.Delivered, AggregationWindowOverride: TimeSpan.FromMinutes(10));
        t.Pipeline.TrackProbeStep(2);
        await t.DeliverAllAsync();
        Assert.Equal(TimeSpan.FromMinutes(1), aggregator.Window);
    }
}
