using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>A point-in-time copy of a pipeline's counters (the same numbers its metrics report).</summary>
public sealed class TelemetryStatistics
{
    internal TelemetryStatistics(PipelineCounters counters, long buffered, long queueDepth, long queueBytes)
    {
        Tracked = counters.Tracked;
        Aggregated = counters.Aggregated;
        Queued = counters.Queued;
        Sent = counters.Sent;
        Retried = counters.Retried;
        var resent = new Dictionary<ResendReason, long>();
        for (var r = 0; r < PipelineCounters.ResendReasonCount; r++)
        {
            var value = counters.Resent((ResendReason)r);
            if (value == 0) continue;
            resent[(ResendReason)r] = value;
            Resent += value;
        }

        ResentByReason = resent;
        var sampled = new Dictionary<SampledOutReason, long>();
        for (var r = 0; r < PipelineCounters.SampledOutReasonCount; r++)
        {
            var value = counters.SampledOut((SampledOutReason)r);
            if (value != 0) sampled[(SampledOutReason)r] = value;
        }

        SampledOutByReason = sampled;
        SampledOut = counters.SampledOutTotal();
        DroppedByReasonAndTier = counters.DroppedSnapshot();
        long dropped = 0;
        long evicted = 0;
        foreach (var pair in DroppedByReasonAndTier)
        {
            if (pair.Key.Reason == DropReason.QueueFull) evicted += pair.Value;
            else dropped += pair.Value;
        }

        Dropped = dropped;
        Evicted = evicted;
        Buffered = buffered;
        QueueDepth = queueDepth;
        QueueBytes = queueBytes;
    }

    /// <summary>Events accepted by <see cref="ITelemetryClient.Track{TEvent}"/> (after consent and sampling).</summary>
    public long Tracked { get; }

    /// <summary>Events sent again after an attempt the provider may already have ingested (possible duplicates).</summary>
    public long Resent { get; }

    /// <summary><see cref="Resent"/> by reason.</summary>
    public IReadOnlyDictionary<ResendReason, long> ResentByReason { get; }

    /// <summary>Events kept out by sampling (bucket, throttle or <c>never</c>).</summary>
    public long SampledOut { get; }

    /// <summary><see cref="SampledOut"/> by reason.</summary>
    public IReadOnlyDictionary<SampledOutReason, long> SampledOutByReason { get; }

    /// <summary>Raw interactions folded into aggregate events at window flushes.</summary>
    public long Aggregated { get; }

    /// <summary>Events written to the offline queue.</summary>
    public long Queued { get; }

    /// <summary>Events the sink confirmed.</summary>
    public long Sent { get; }

    /// <summary>Event sends that will be retried (an event retried twice counts twice).</summary>
    public long Retried { get; }

    /// <summary>
    /// Events dropped for any reason but a full queue: calls refused (buffer full, shutdown, constraint) and events lost after
    /// Track accepted them for another reason. Evictions from a full queue are <see cref="Evicted"/>, not here.
    /// </summary>
    public long Dropped { get; }

    /// <summary>
    /// Tracked events a full queue evicted, or had no room for (<see cref="DropReason.QueueFull"/>): already counted in
    /// <see cref="Tracked"/>, so they are kept out of <see cref="Dropped"/> and <c>Tracked + SampledOut + Aggregated + Dropped</c>
    /// stays the number of calls; <c>Tracked = Queued + </c>(the incoming ones not stored) and <c>Queued = Sent + QueueDepth +</c>
    /// (the stored ones evicted) when nothing else was lost. <see cref="DroppedByReasonAndTier"/> and the
    /// <c>dropped{reason="queue_full"}</c> metric report them by tier.
    /// </summary>
    public long Evicted { get; }

    /// <summary>Dropped events by reason and tier (only non-zero entries, evictions as <see cref="DropReason.QueueFull"/> included).</summary>
    public IReadOnlyDictionary<(DropReason Reason, EventTier Tier), long> DroppedByReasonAndTier { get; }

    /// <summary>Events captured by Track and not yet serialised.</summary>
    public long Buffered { get; }

    /// <summary>Events in the offline queue.</summary>
    public long QueueDepth { get; }

    /// <summary>Payload bytes in the offline queue.</summary>
    public long QueueBytes { get; }

    /// <summary>Dropped events of <paramref name="reason"/>, all tiers.</summary>
    public long DroppedFor(DropReason reason)
    {
        long total = 0;
        foreach (var pair in DroppedByReasonAndTier)
        {
            if (pair.Key.Reason == reason) total += pair.Value;
        }

        return total;
    }

    /// <summary>Dropped events of <paramref name="reason"/> and <paramref name="tier"/>.</summary>
    public long DroppedFor(DropReason reason, EventTier tier) =>
        DroppedByReasonAndTier.TryGetValue((reason, tier), out var value) ? value : 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"tracked={Tracked} sampled_out={SampledOut} aggregated={Aggregated} queued={Queued} sent={Sent} retried={Retried} resent={Resent} dropped={Dropped} evicted={Evicted} buffered={Buffered} queue_depth={QueueDepth}";
}
