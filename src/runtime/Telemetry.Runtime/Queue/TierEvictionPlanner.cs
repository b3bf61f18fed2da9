using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// Decides what to drop when an append would pass a queue's bounds: tier C before B before A; within
/// a tier, stored events (oldest first) before incoming ones (the newest). Leased events are in
/// flight and never candidates.
/// </summary>
internal static class TierEvictionPlanner
{
    /// <summary>A stored candidate: an opaque key and its payload size.</summary>
    public readonly record struct Candidate(long Key, int Bytes);

    /// <summary>The plan: stored keys to delete and indexes of incoming events not to store.</summary>
    public sealed class Plan
    {
        public List<long> EvictStored { get; } = new();

        public HashSet<int> SkipIncoming { get; } = new();

        public TierCounts Dropped { get; set; }

        public long FreedBytes { get; set; }
    }

    public static Plan? Make(
        QueueLimits limits,
        long storedRows,
        long storedBytes,
        IReadOnlyList<QueuedEvent> incoming,
        Func<EventTier, IEnumerable<Candidate>> storedOldestFirst)
    {
        var rows = storedRows + incoming.Count;
        var bytes = storedBytes;
        foreach (var e in incoming) bytes += e.Bytes;
        if (rows <= limits.MaxRows && bytes <= limits.MaxBytes) return null;

        var plan = new Plan();
        var dropped = default(TierCounts);
        for (var tier = EventTier.C; tier >= EventTier.A; tier--)
        {
            foreach (var candidate in storedOldestFirst(tier))
            {
                if (rows <= limits.MaxRows && bytes <= limits.MaxBytes) break;
                plan.EvictStored.Add(candidate.Key);
                plan.FreedBytes += candidate.Bytes;
                rows--;
                bytes -= candidate.Bytes;
                dropped = dropped.Add(tier);
            }

            for (var i = 0; i < incoming.Count && (rows > limits.MaxRows || bytes > limits.MaxBytes); i++)
            {
                if (incoming[i].Event.Tier != tier) continue;
                plan.SkipIncoming.Add(i);
                rows--;
                bytes -= incoming[i].Bytes;
                dropped = dropped.Add(tier);
            }

            if (rows <= limits.MaxRows && bytes <= limits.MaxBytes) break;
        }

        plan.Dropped = dropped;
        return plan;
    }
}
