using System.Diagnostics.Metrics;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.Sampling;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Diagnostics;

public class MetricsTests
{
    [Fact]
    public async Task The_Telemetry_Runtime_meter_reports_every_stage_with_OpenTelemetry_names()
    {
        var sink = new ScriptedSink()
            .Then(new SinkResult(SinkOutcome.RetryLater, RetryAfter: TimeSpan.FromSeconds(1)))
            .Then(batch => new SinkResult(SinkOutcome.Delivered, Rejected: new[] { new RejectedEvent(batch[0].EventId, "bad") }));
        await using var t = TestPipeline.Create(sink, o => o.UserId = EventSamplerTests.UserWithBucket(inside: false, ProbeRare.Descriptor.SampledBuckets));

        var measurements = new List<(string Name, string? Unit, long Value, Dictionary<string, object?> Tags)>();
        var histograms = new List<(string Name, string? Unit, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Tests run in parallel: listen to this pipeline's meter only.
            if (instrument.Meter.Name == TelemetryMetrics.MeterName && ReferenceEquals(instrument.Meter, t.Pipeline.Metrics.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags) map[tag.Key] = tag.Value;
            lock (measurements) measurements.Add((instrument.Name, instrument.Unit, value, map));
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            lock (histograms) histograms.Add((instrument.Name, instrument.Unit, value));
        });
        listener.Start();

        for (var i = 0; i < 5; i++) t.Pipeline.TrackProbeStep(i);
        t.Pipeline.TrackProbeRare(1); // sampled out for this user
        for (var i = 0; i < 3; i++) t.Pipeline.TrackProbePointerMove(i, ProbePointerMoveArea.Left);
        t.Time.Advance(TimeSpan.FromSeconds(1));
        await t.DeliverAllAsync();
        listener.RecordObservableInstruments();

        long Value(string name, string? reason = null) => measurements
            .Where(m => m.Name == name && (reason is null || Equals(m.Tags.GetValueOrDefault("reason"), reason)))
            .Select(m => m.Value).DefaultIfEmpty(0).Sum();

        Assert.Equal(6, Value("telemetry.client.events.tracked"));
        Assert.Equal(4, Value("telemetry.client.events.sampled_out", "bucket")); // the rare event and 3 raw pointer moves
        Assert.Equal(3, Value("telemetry.client.events.aggregated"));
        Assert.Equal(6, Value("telemetry.client.events.queued"));
        Assert.Equal(5, Value("telemetry.client.events.sent"));
        Assert.Equal(6, Value("telemetry.client.events.retried"));
        Assert.Equal(1, Value("telemetry.client.events.dropped", "rejected"));
        Assert.Contains(measurements, m => m.Name == "telemetry.client.queue.depth" && m.Value == 0);
        Assert.Contains(measurements, m => m.Name == "telemetry.client.events.dropped" && Equals(m.Tags["tier"], "B"));
        Assert.All(measurements.Where(m => m.Name.StartsWith("telemetry.client.events.", StringComparison.Ordinal)), m => Assert.Equal("{event}", m.Unit));
        Assert.Equal(2, histograms.Count(h => h.Name == "telemetry.client.batch.duration" && h.Unit == "s"));
    }
}
