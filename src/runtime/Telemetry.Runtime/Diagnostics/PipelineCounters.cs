using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// Cumulative counts of one pipeline; the metrics instruments and <see cref="TelemetryStatistics"/> read them.
/// The two counts the caller's thread bumps on every <c>Track</c> (tracked, sampled out) live in per-thread blocks:
/// each thread increments its own block with a plain store, no atomic instruction (an interlocked add costs about
/// 6 ns, more than the whole sampled-out path may), and readers sum the blocks. No increment is lost: a block has
/// one writer. The background loops' counts are rare and stay plain interlocked fields.
/// </summary>
internal sealed class PipelineCounters
{
    internal const int TierCount = 3;
    internal static readonly int DropReasonCount = System.Enum.GetValues<DropReason>().Length;
    internal static readonly int SampledOutReasonCount = System.Enum.GetValues<SampledOutReason>().Length;

    // Block layout: 8 longs of padding on each side of the used slots, so blocks of different threads that the
    // allocator placed next to each other never share a cache line.
    private const int Padding = 8;
    private const int TrackedSlot = Padding;
    private const int SampledOutSlot = Padding + 1;

    [ThreadStatic]
    private static Binding? t_binding;

    internal static readonly int ResendReasonCount = System.Enum.GetValues<ResendReason>().Length;

    private readonly long[] _dropped = new long[DropReasonCount * TierCount];
    private readonly long[] _resent = new long[ResendReasonCount];
    private readonly List<(int ThreadId, long[] Block)> _blocks = new();
    private long _aggregated;
    private long _queued;
    private long _sent;
    private long _retried;
    private long _clamped;

    public long Tracked => SumSlot(TrackedSlot);

    public long Aggregated => Volatile.Read(ref _aggregated);

    public long Queued => Volatile.Read(ref _queued);

    public long Sent => Volatile.Read(ref _sent);

    public long Retried => Volatile.Read(ref _retried);

    public void AddTracked() => Increment(TrackedSlot);

    public void AddAggregated(long count) => Interlocked.Add(ref _aggregated, count);

    public void AddQueued(long count) => Interlocked.Add(ref _queued, count);

    public void AddSent(long count) => Interlocked.Add(ref _sent, count);

    public void AddRetried(long count) => Interlocked.Add(ref _retried, count);

    /// <summary>Values clamped to their catalog constraint (<c>on_violation: clamp</c>); the events were kept.</summary>
    public long Clamped => Volatile.Read(ref _clamped);

    public void AddClamped() => Interlocked.Increment(ref _clamped);
    public void AddResent(ResendReason reason, long count = 1) => Interlocked.Add(ref _resent[(int)reason], count);

    public long Resent(ResendReason reason) => Volatile.Read(ref _resent[(int)reason]);

    public void AddSampledOut(SampledOutReason reason) => Increment(SampledOutSlot + (int)reason);

    public void AddDropped(DropReason reason, EventTier tier, long count = 1) =>
        Interlocked.Add(ref _dropped[((int)reason * TierCount) + (int)tier], count);

    public long SampledOut(SampledOutReason reason) => SumSlot(SampledOutSlot + (int)reason);

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
        for (var r = 0; r < SampledOutReasonCount; r++) total += SampledOut((SampledOutReason)r);
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Increment(int slot)
    {
        var binding = t_binding;
        var block = binding is not null && ReferenceEquals(binding.Owner, this) ? binding.Block : Bind();

        // Only this thread writes the slot; Volatile.Write keeps the 64-bit store whole on 32-bit platforms too.
        Volatile.Write(ref block[slot], block[slot] + 1);
    }

    /// <summary>The calling thread's block of this pipeline (created on its first count), cached in thread-static fields.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long[] Bind()
    {
        var thread = Environment.CurrentManagedThreadId;
        long[]? block = null;
        lock (_blocks)
        {
            foreach (var (id, b) in _blocks)
            {
                if (id == thread)
                {
                    block = b;
                    break;
                }
            }

            if (block is null)
            {
                block = new long[SampledOutSlot + SampledOutReasonCount + Padding];
                _blocks.Add((thread, block));
            }
        }

        t_binding = new Binding(this, block);
        return block;
    }

    /// <summary>The calling thread's current pipeline and block (one thread-static read on the hot path).</summary>
    private sealed class Binding(PipelineCounters owner, long[] block)
    {
        public readonly PipelineCounters Owner = owner;
        public readonly long[] Block = block;
    }

    private long SumSlot(int slot)
    {
        long total = 0;
        lock (_blocks)
        {
            foreach (var (_, block) in _blocks) total += Volatile.Read(ref block[slot]);
        }

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
