using System;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// The capture timestamp of <see cref="TelemetryPipeline.Track{TEvent}"/>. With <see cref="TimeProvider.System"/> it reads the
/// OS coarse monotonic clock (<see cref="Environment.TickCount64"/>, a few nanoseconds) and adds it to an anchor (a precise
/// UTC time and the tick count read together) that the drain loop re-takes about every second, so the timestamp never
/// waits for a timer and follows wall-clock adjustments within a second. Its error is the coarse clock's resolution
/// (the kernel tick: 1–4 ms on Linux, 10–16 ms on Windows) plus one millisecond; docs/runtime.md, "Timestamps". Any other provider
/// (a test's fake time) is asked on every call, so its time is taken exactly.
/// </summary>
internal sealed class CaptureClock
{
    /// <summary>The drain loop re-takes an anchor at least this old.</summary>
    internal const long ReanchorIntervalMilliseconds = 1_000;

    /// <summary>An anchor older than this (no drain loop, or a drain interval above it) is not used: the precise clock answers.</summary>
    internal const long MaxAnchorAgeMilliseconds = 2_000;

    private readonly TimeProvider? _exact;
    private Anchor _anchor;
    private long _reanchors;

    public CaptureClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _exact = ReferenceEquals(time, TimeProvider.System) ? null : time;
        _anchor = Anchor.Now();
    }

    /// <summary>True when timestamps come from the coarse clock (the provider is <see cref="TimeProvider.System"/>).</summary>
    public bool IsCoarse => _exact is null;

    /// <summary>How many anchors were taken after the first.</summary>
    public long Reanchors => Interlocked.Read(ref _reanchors);

    /// <summary>The capture time in UTC ticks.</summary>
    public long UtcTicks()
    {
        if (_exact is not null) return _exact.GetUtcNow().UtcTicks;

        // One immutable anchor read once: its two values always belong together.
        var anchor = Volatile.Read(ref _anchor);
        var elapsed = Environment.TickCount64 - anchor.TickCount;
        if ((ulong)elapsed > MaxAnchorAgeMilliseconds) return DateTime.UtcNow.Ticks;
        return anchor.UtcTicks + (elapsed * TimeSpan.TicksPerMillisecond);
    }

    /// <summary>Re-takes the anchor when it is <see cref="ReanchorIntervalMilliseconds"/> old (every drain pass calls it).</summary>
    public void Refresh()
    {
        if (_exact is not null) return;
        var current = Volatile.Read(ref _anchor);
        if (Environment.TickCount64 - current.TickCount < ReanchorIntervalMilliseconds) return;
        Reanchor(current);
    }

    /// <summary>Takes a new anchor now, whatever the age of the current one.</summary>
    internal void Reanchor() => Reanchor(Volatile.Read(ref _anchor));

    private void Reanchor(Anchor current)
    {
        // Published only over the anchor it replaces, so a slower concurrent re-anchor cannot put an older one back.
        if (ReferenceEquals(Interlocked.CompareExchange(ref _anchor, Anchor.Now(), current), current)) Interlocked.Increment(ref _reanchors);
    }

    private sealed class Anchor
    {
        private Anchor(long utcTicks, long tickCount)
        {
            UtcTicks = utcTicks;
            TickCount = tickCount;
        }

        public long UtcTicks { get; }

        public long TickCount { get; }

        public static Anchor Now()
        {
            var tickCount = Environment.TickCount64;
            return new Anchor(DateTime.UtcNow.Ticks, tickCount);
        }
    }
}
