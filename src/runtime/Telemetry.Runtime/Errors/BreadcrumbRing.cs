using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The last N breadcrumbs: Track calls and logged warnings and errors (written by
/// <see cref="TelemetryBreadcrumbLoggerProvider"/>), numbered by one sequence. A Track breadcrumb keeps the event struct
/// itself in a ring per event type (<see cref="TrackBreadcrumbs{TEvent}"/>): a few field stores, no allocation, no boxing,
/// no lock. A pipeline numbers every entry by its capture order (<see cref="SequenceSource"/>) and writes the breadcrumbs
/// of deferred events from its background drain (<see cref="AddTrackAt{TEvent}"/>), so Track pays nothing for them. Only when an error is captured are the entries merged by sequence
/// and rendered through the event's generated writer, leaving out every property the catalog classifies as personal
/// data; each slot's sequence number is checked before and after it is copied (a slot overwritten meanwhile is skipped).
/// </summary>
internal sealed class BreadcrumbRing
{
    private const byte TrackKind = 1;
    private const byte LogKind = 2;
    private const int MaxLogMessageChars = 200;

    private static readonly Stack<int> s_freeIds = new();
    private static int s_nextId;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly List<ITrackBreadcrumbs> _typed = new();
    private long _next;

    public BreadcrumbRing(int capacity)
    {
        if (capacity < 1 || capacity > ErrorTrackingOptions.BreadcrumbLimit) throw new ArgumentOutOfRangeException(nameof(capacity));
        Capacity = capacity;
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Slot[size];
        _mask = size - 1;
        lock (s_freeIds) Id = s_freeIds.Count > 0 ? s_freeIds.Pop() : s_nextId++;
    }

    /// <summary>Gives the per-event-type rings of this instance back (they live in static arrays indexed by <see cref="Id"/>).</summary>
    ~BreadcrumbRing()
    {
        ITrackBreadcrumbs[] typed;
        lock (_typed) typed = _typed.ToArray();
        foreach (var ring in typed) ring.Release(Id);
        lock (s_freeIds) s_freeIds.Push(Id);
    }

    /// <summary>Breadcrumbs returned at most.</summary>
    public int Capacity { get; }

    /// <summary>This ring's index into the per-event-type rings.</summary>
    public int Id { get; }

    /// <summary>Slots of every ring (a power of two, at least <see cref="Capacity"/>): slot = sequence modulo this.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Breadcrumbs numbered by this ring's own counter since creation (none when a <see cref="SequenceSource"/> numbers them).</summary>
    public long Written => Volatile.Read(ref _next);

    /// <summary>
    /// The numbers of a pipeline's capture order (set once, before the first entry): log entries and the Track calls recorded
    /// through <see cref="AddTrack{TEvent}"/> take their number from it, so they sort among the deferred events whose
    /// breadcrumbs the background drain writes later with their capture number (<see cref="AddTrackAt{TEvent}"/>).
    /// </summary>
    internal Func<long>? SequenceSource { get; set; }

    /// <summary>Records a Track call with its event (no allocation once the type's ring exists).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTrack<TEvent>(in TEvent telemetryEvent, long utcTicks)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var ring = TrackBreadcrumbs<TEvent>.For(this);
        ring.Write(NextSequence(), utcTicks, in telemetryEvent);
    }

    /// <summary>
    /// Records a Track call under the number it was given when it was captured (the pipeline's drain, in capture order per
    /// event type); a slot already holding a later entry is left alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTrackAt<TEvent>(in TEvent telemetryEvent, long utcTicks, long sequence)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var ring = TrackBreadcrumbs<TEvent>.For(this);
        ring.WriteIfNewer(sequence, utcTicks, in telemetryEvent);
    }

    private long NextSequence() => SequenceSource is { } source ? source() : Interlocked.Increment(ref _next);

    /// <summary>Records a tracked event by name only (clients that hand over no event struct).</summary>
    public void AddTrack(EventDescriptor descriptor, long utcTicks) => Write(TrackKind, 0, utcTicks, descriptor, null);

    /// <summary>Records a log entry (its text is scrubbed when the snapshot is rendered).</summary>
    public void AddLog(LogLevel level, long utcTicks, string category, string message) =>
        Write(LogKind, (byte)level, utcTicks, null, category + ": " + (message.Length > MaxLogMessageChars * 2 ? message.Substring(0, MaxLogMessageChars * 2) : message));

    internal void Register(ITrackBreadcrumbs ring)
    {
        lock (_typed) _typed.Add(ring);
    }

    private void Write(byte kind, byte level, long utcTicks, EventDescriptor? descriptor, string? text)
    {
        var sequence = NextSequence();
        ref var slot = ref _slots[(int)(sequence & _mask)];
        Volatile.Write(ref slot.Sequence, 0);
        slot.Kind = kind;
        slot.Level = level;
        slot.UtcTicks = utcTicks;
        slot.Descriptor = descriptor;
        slot.Text = text;
        Volatile.Write(ref slot.Sequence, sequence);
    }

    /// <summary>The last <see cref="Capacity"/> breadcrumbs, oldest first, rendered and scrubbed.</summary>
    /// <remarks>
    /// Every ring is indexed by the shared sequence modulo <see cref="SlotCount"/> (at least <see cref="Capacity"/>), so an
    /// entry among the last <see cref="Capacity"/> is only ever overwritten by a later one: the newest
    /// <see cref="Capacity"/> entries over all rings are exactly the last ones (while writers keep writing, the newest
    /// whole ones at the moment each slot is copied).
    /// </remarks>
    public List<string> Snapshot()
    {
        var entries = new List<(long Sequence, Func<string> Render)>(_slots.Length * 2);
        for (var i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[i];
            var sequence = Volatile.Read(ref slot.Sequence);
            if (sequence == 0) continue;
            var kind = slot.Kind;
            var level = slot.Level;
            var ticks = slot.UtcTicks;
            var descriptor = slot.Descriptor;
            var text = slot.Text;
            if (Volatile.Read(ref slot.Sequence) != sequence) continue;
            if (kind == TrackKind && descriptor is not null)
            {
                entries.Add((sequence, () => Time(ticks) + " track " + descriptor.Name));
            }
            else if (kind == LogKind && text is not null)
            {
                entries.Add((sequence, () => Time(ticks) + " log " + LevelName((LogLevel)level) + " " + ErrorScrubbingRules.ScrubAndTruncate(text.Replace('\r', ' ').Replace('\n', ' '), MaxLogMessageChars)));
            }
        }

        ITrackBreadcrumbs[] typed;
        lock (_typed) typed = _typed.ToArray();
        foreach (var ring in typed) ring.Collect(entries);
        entries.Sort(static (x, y) => x.Sequence.CompareTo(y.Sequence));
        var skip = Math.Max(0, entries.Count - Capacity);
        var result = new List<string>(entries.Count - skip);
        for (var i = skip; i < entries.Count; i++) result.Add(entries[i].Render());
        return result;
    }

    private static string Time(long utcTicks) => new DateTime(utcTicks, DateTimeKind.Utc).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => level.ToString().ToLowerInvariant(),
    };

    private struct Slot
    {
        public long Sequence;
        public long UtcTicks;
        public EventDescriptor? Descriptor;
        public string? Text;
        public byte Kind;
        public byte Level;
    }
}
