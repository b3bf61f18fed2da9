using System.Collections.Generic;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// Cumulative counts of one pipeline. Plain interlocked fields, so the caller's thread pays one
/// atomic add per event; the metrics instruments and <see cref="TelemetryStatistics"/> read them.
/// </summary>
internal sealed class PipelineCounters
{
    internal const int TierCount = 3;
    internal static readonly int DropReasonCount = System.Enum.GetValues<DropReason>().Length;
    internal static readonly int SampledOutReasonCount = System.Enum.GetValues<SampledOutReason>().Length;

    private readonly long[] _dropped = new long[DropReasonCount * TierCount];
    private readonly long[] _sampledOut = new long[SampledOutReasonCount];
    private long _tracked;
    private long _aggregated;
    private long _queued;
    private long _sent;
    private long _retried;

    public long Tracked => Volatile.Read(ref _tracked);

    public long Aggregated => Volatile.Read(ref _aggregated);

    public long Queued => Volatile.Read(ref _queued);

    public long Sent => Volatile.Read(ref _sent);

    public long Retried => Volatile.Read(ref _retried);

    public void AddTracked() => Interlocked.Increment(ref _tracked);

    public void AddAggregated(long count) => Interlocked.Add(ref _aggregated, count);

    public void AddQueued(long count) => Interlocked.Add(ref _queued, count);

    public void AddSent(long count) => Interlocked.Add(ref _sent, count);

    public void AddRetried(long count) => Interlocked.Add(ref _retried, count);

    public void AddSampledOut(SampledOutReason reason) => Interlocked.Increment(ref _sampledOut[(int)reason]);

    public void AddDropped(DropReason reason, EventTier tier, long count = 1) =>
        Interlocked.Add(ref _dropped[((int)reason * TierCount) + (int)tier], count);

    public long SampledOut(SampledOutReason reason) => Volatile.Read(ref _sampledOut[(int)reason]);

    public long Dropped(DropReason reason, EventTier tier) => Volatile.Read(ref _dropped[((int)reason * TierCount) + (int)tier]);

    public long Dropped(DropReason reason)
    {
        long total = 0;
        for (var t = 0; t < TierCount; t++) total += Dropped(reason, (EventTier)t);
        return total;
    }

    public long SampledOutTotal()
    {
        long total = 0;
        for (var r = 0; r < SampledOutReasonCount; r++) total += Volatile.Read(ref _sampledOut[r]);
        return total;
    }

    public Dictionary<(DropReason Reason, EventTier Tier), long> DroppedSnapshot()
    {
        var map = new Dictionary<(DropReason, EventTier), long>();
        for (var r = 0; r < DropReasonCount; r++)
        {
            for (var t = 0; t < TierCount; t++)
            {
                var value = Dropped((DropReason)r, (EventTier)t);
                if (value != 0) map[((DropReason)r, (EventTier)t)] = value;
            }
        }

        return map;
    }
}
