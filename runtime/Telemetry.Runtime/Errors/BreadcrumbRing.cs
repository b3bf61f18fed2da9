using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The last N breadcrumbs: tracked event names (written by <c>Track</c> on the caller's thread) and logged warnings and
/// errors (written by <see cref="TelemetryBreadcrumbLoggerProvider"/>). A fixed array of slots allocated once; a Track
/// breadcrumb is one interlocked increment and four field stores into a slot, no allocation, no lock. Readers take a
/// consistent snapshot by checking each slot's sequence number before and after copying it (a slot overwritten
/// meanwhile is skipped). Event names only: a breadcrumb never carries property values, so it cannot carry personal data.
/// </summary>
internal sealed class BreadcrumbRing
{
    private const byte TrackKind = 1;
    private const byte LogKind = 2;
    private const int MaxLogMessageChars = 200;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private long _next;

    public BreadcrumbRing(int capacity)
    {
        if (capacity < 1 || capacity > ErrorTrackingOptions.BreadcrumbLimit) throw new ArgumentOutOfRangeException(nameof(capacity));
        Capacity = capacity;
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Slot[size];
        _mask = size - 1;
    }

    /// <summary>Breadcrumbs returned at most.</summary>
    public int Capacity { get; }

    /// <summary>Breadcrumbs written since creation.</summary>
    public long Written => Volatile.Read(ref _next);

    /// <summary>Records a tracked event (hot path: no allocation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTrack(EventDescriptor descriptor, long utcTicks) => Write(TrackKind, 0, utcTicks, descriptor, null);

    /// <summary>Records a log entry (its text is scrubbed when the snapshot is rendered).</summary>
    public void AddLog(LogLevel level, long utcTicks, string category, string message) =>
        Write(LogKind, (byte)level, utcTicks, null, category + ": " + (message.Length > MaxLogMessageChars * 2 ? message.Substring(0, MaxLogMessageChars * 2) : message));

    private void Write(byte kind, byte level, long utcTicks, EventDescriptor? descriptor, string? text)
    {
        var sequence = Interlocked.Increment(ref _next);
        ref var slot = ref _slots[(int)(sequence & _mask)];
        Volatile.Write(ref slot.Sequence, 0);
        slot.Kind = kind;
        slot.Level = level;
        slot.UtcTicks = utcTicks;
        slot.Descriptor = descriptor;

        // A track breadcrumb leaves a stale Text behind (the reader ignores it by Kind): one reference store less on the hot path.
        if (kind != TrackKind) slot.Text = text;
        Volatile.Write(ref slot.Sequence, sequence);
    }

    /// <summary>The last <see cref="Capacity"/> breadcrumbs, oldest first, rendered and scrubbed.</summary>
    public List<string> Snapshot()
    {
        var last = Volatile.Read(ref _next);
        var first = Math.Max(1, last - Capacity + 1);
        var result = new List<string>((int)Math.Max(0, last - first + 1));
        for (var sequence = first; sequence <= last; sequence++)
        {
            ref var slot = ref _slots[(int)(sequence & _mask)];
            if (Volatile.Read(ref slot.Sequence) != sequence) continue;
            var kind = slot.Kind;
            var level = slot.Level;
            var ticks = slot.UtcTicks;
            var descriptor = slot.Descriptor;
            var text = slot.Text;
            if (Volatile.Read(ref slot.Sequence) != sequence) continue;
            var time = new DateTime(ticks, DateTimeKind.Utc).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            if (kind == TrackKind && descriptor is not null)
            {
                result.Add(time + " track " + descriptor.Name);
            }
            else if (kind == LogKind && text is not null)
            {
                var scrubbed = ErrorScrubbingRules.ScrubAndTruncate(text.Replace('\r', ' ').Replace('\n', ' '), MaxLogMessageChars);
                result.Add(time + " log " + LevelName((LogLevel)level) + " " + scrubbed);
            }
        }

        return result;
    }

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
