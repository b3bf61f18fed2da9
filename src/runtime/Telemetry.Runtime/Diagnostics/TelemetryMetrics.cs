using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace Telemetry.Runtime;

/// <summary>
/// The pipeline's instruments, all in one <see cref="Meter"/> named <see cref="MeterName"/>, with
/// OpenTelemetry-style names. Counters are observable over <see cref="PipelineCounters"/>, so
/// Track pays an interlocked add, not a listener dispatch.
/// </summary>
public sealed class TelemetryMetrics : IDisposable
{
    /// <summary>Name of the meter every pipeline reports through.</summary>
    public const string MeterName = "Telemetry.Runtime";

    /// <summary><c>telemetry.client.events.tracked</c>: events accepted by Track.</summary>
    public const string TrackedName = "telemetry.client.events.tracked";

    /// <summary><c>telemetry.client.events.sampled_out</c>: events kept out by sampling (tag <c>reason</c>).</summary>
    public const string SampledOutName = "telemetry.client.events.sampled_out";

    /// <summary><c>telemetry.client.events.aggregated</c>: raw interactions folded into aggregate events.</summary>
    public const string AggregatedName = "telemetry.client.events.aggregated";

    /// <summary><c>telemetry.client.events.queued</c>: events written to the offline queue.</summary>
    public const string QueuedName = "telemetry.client.events.queued";

    /// <summary><c>telemetry.client.events.sent</c>: events confirmed by the sink.</summary>
    public const string SentName = "telemetry.client.events.sent";

    /// <summary><c>telemetry.client.events.retried</c>: event sends scheduled for retry.</summary>
    public const string RetriedName = "telemetry.client.events.retried";

    /// <summary><c>telemetry.client.events.resent</c>: events sent again after an attempt the provider may have ingested (tags <c>sink</c>, <c>reason</c>).</summary>
    public const string ResentName = "telemetry.client.events.resent";

    /// <summary><c>telemetry.client.events.dropped</c>: events dropped (tags <c>reason</c>, <c>tier</c>).</summary>
    public const string DroppedName = "telemetry.client.events.dropped";

    /// <summary><c>telemetry.client.values.clamped</c>: property values clamped to their catalog constraint (<c>on_violation: clamp</c>).</summary>
    public const string ClampedName = "telemetry.client.values.clamped";

    /// <summary><c>telemetry.client.queue.depth</c>: events waiting in the offline queue.</summary>
    public const string QueueDepthName = "telemetry.client.queue.depth";

    /// <summary><c>telemetry.client.queue.size</c>: payload bytes in the offline queue.</summary>
    public const string QueueSizeName = "telemetry.client.queue.size";

    /// <summary><c>telemetry.client.buffer.depth</c>: events captured by Track and not yet serialised.</summary>
    public const string BufferDepthName = "telemetry.client.buffer.depth";

    /// <summary><c>telemetry.client.batch.duration</c>: time of one sink call (tags <c>outcome</c>, <c>sink</c>).</summary>
    public const string BatchDurationName = "telemetry.client.batch.duration";

    private readonly Meter _meter;
    private readonly Histogram<double> _batchDuration;

    internal TelemetryMetrics(PipelineCounters counters, Func<long> queueDepth, Func<long> queueBytes, Func<long> buffered, string sinkName = "")
    {
        _meter = new Meter(MeterName, typeof(TelemetryMetrics).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableCounter(TrackedName, () => counters.Tracked, "{event}", "Events accepted by Track after consent and sampling.");
        _meter.CreateObservableCounter(SampledOutName, () => SampledOut(counters), "{event}", "Events kept out by sampling.");
        _meter.CreateObservableCounter(AggregatedName, () => counters.Aggregated, "{event}", "Raw interactions folded into aggregate events.");
        _meter.CreateObservableCounter(QueuedName, () => counters.Queued, "{event}", "Events written to the offline queue.");
        _meter.CreateObservableCounter(SentName, () => counters.Sent, "{event}", "Events confirmed by the sink.");
        _meter.CreateObservableCounter(RetriedName, () => counters.Retried, "{event}", "Event sends scheduled for retry.");
        _meter.CreateObservableCounter(ResentName, () => Resent(counters, sinkName), "{event}", "Events sent again after an attempt the provider may have ingested, by sink and reason.");
        _meter.CreateObservableCounter(DroppedName, () => Dropped(counters), "{event}", "Events dropped, by reason and tier.");
        _meter.CreateObservableCounter(ClampedName, () => counters.Clamped, "{value}", "Property values clamped to their catalog constraint; the events were kept.");
        _meter.CreateObservableGauge(QueueDepthName, queueDepth, "{event}", "Events waiting in the offline queue.");
        _meter.CreateObservableGauge(QueueSizeName, queueBytes, "By", "Payload bytes in the offline queue.");
        _meter.CreateObservableGauge(BufferDepthName, buffered, "{event}", "Events captured by Track and not yet serialised.");
        _batchDuration = _meter.CreateHistogram<double>(BatchDurationName, "s", "Duration of one sink call.");
    }

    /// <summary>The meter of this pipeline (several pipelines each have their own, all named <see cref="MeterName"/>).</summary>
    internal Meter Meter => _meter;

    internal void RecordBatch(TimeSpan duration, string outcome, string sink) =>
        _batchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("sink", sink));

    /// <summary>Disposes the meter (its instruments stop reporting).</summary>
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> SampledOut(PipelineCounters counters)
    {
        for (var r = 0; r < PipelineCounters.SampledOutReasonCount; r++)
        {
            var reason = (SampledOutReason)r;
            yield return new Measurement<long>(counters.SampledOut(reason), new KeyValuePair<string, object?>("reason", TelemetryTagNames.Of(reason)));
        }
    }

    private static IEnumerable<Measurement<long>> Resent(PipelineCounters counters, string sinkName)
    {
        for (var r = 0; r < PipelineCounters.ResendReasonCount; r++)
        {
            var reason = (ResendReason)r;
            yield return new Measurement<long>(
                counters.Resent(reason),
                new KeyValuePair<string, object?>("sink", sinkName),
                new KeyValuePair<string, object?>("reason", TelemetryTagNames.Of(reason)));
        }
    }

    private static IEnumerable<Measurement<long>> Dropped(PipelineCounters counters)
    {
        for (var r = 0; r < PipelineCounters.DropReasonCount; r++)
        {
            for (var t = 0; t < PipelineCounters.TierCount; t++)
            {
                var reason = (DropReason)r;
                var tier = (EventTier)t;
                var value = counters.Dropped(reason, tier);
                if (value == 0) continue;
                yield return new Measurement<long>(
                    value,
                    new KeyValuePair<string, object?>("reason", TelemetryTagNames.Of(reason)),
                    new KeyValuePair<string, object?>("tier", TelemetryTagNames.Of(tier)));
            }
        }
    }
}
