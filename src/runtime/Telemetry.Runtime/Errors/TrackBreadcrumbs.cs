using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>One event type's recent Track calls of one <see cref="BreadcrumbRing"/>: rendered only when an error is captured.</summary>
internal interface ITrackBreadcrumbs
{
    /// <summary>Copies every whole entry (a slot being rewritten is skipped) into <paramref name="into"/>, to be rendered later.</summary>
    void Collect(List<(long Sequence, Func<string> Render)> into);

    /// <summary>Forgets the ring's entries for <paramref name="owner"/> (the owner was collected).</summary>
    void Release(int owner);
}

/// <summary>
/// The last Track calls of event type <typeparamref name="TEvent"/> per <see cref="BreadcrumbRing"/>, kept as the event
/// structs themselves (no boxing, no rendering on the hot path). A static class per event type, so Track finds its ring
/// with an array index (the ring's <see cref="BreadcrumbRing.Id"/>) and no dictionary or type test.
/// </summary>
internal static class TrackBreadcrumbs<TEvent>
    where TEvent : struct, ITelemetryEvent<TEvent>
{
    private static readonly object s_gate = new();
    private static Ring?[] s_rings = new Ring?[4];

    /// <summary>The ring of <paramref name="owner"/>, created on its first Track of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Ring For(BreadcrumbRing owner)
    {
        var rings = Volatile.Read(ref s_rings);
        var id = owner.Id;
        return (uint)id < (uint)rings.Length && rings[id] is { } ring ? ring : Create(owner);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Ring Create(BreadcrumbRing owner)
    {
        lock (s_gate)
        {
            var rings = s_rings;
            if ((uint)owner.Id < (uint)rings.Length && rings[owner.Id] is { } existing) return existing;
            if (owner.Id >= rings.Length)
            {
                var grown = new Ring?[Math.Max(rings.Length * 2, owner.Id + 1)];
                Array.Copy(rings, grown, rings.Length);
                rings = grown;
            }

            var ring = new Ring(owner.SlotCount);
            rings[owner.Id] = ring;
            Volatile.Write(ref s_rings, rings);
            owner.Register(ring);
            return ring;
        }
    }

    internal sealed class Ring : ITrackBreadcrumbs
    {
        private readonly Slot[] _slots;
        private readonly int _mask;

        public Ring(int size)
        {
            _slots = new Slot[size];
            _mask = size - 1;
        }

        /// <summary>Stores <paramref name="value"/> under <paramref name="sequence"/> (hot path: field stores only).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(long sequence, long utcTicks, in TEvent value)
        {
            ref var slot = ref _slots[(int)(sequence & _mask)];
            Volatile.Write(ref slot.Sequence, 0);
            slot.UtcTicks = utcTicks;
            slot.Value = value;
            Volatile.Write(ref slot.Sequence, sequence);
        }

        /// <summary>Stores <paramref name="value"/> under <paramref name="sequence"/> unless its slot holds a later entry (the drain's writes).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WriteIfNewer(long sequence, long utcTicks, in TEvent value)
        {
            ref var slot = ref _slots[(int)(sequence & _mask)];
            if (Volatile.Read(ref slot.Sequence) > sequence) return;
            Volatile.Write(ref slot.Sequence, 0);
            slot.UtcTicks = utcTicks;
            slot.Value = value;
            Volatile.Write(ref slot.Sequence, sequence);
        }

        public void Collect(List<(long Sequence, Func<string> Render)> into)
        {
            // Copy first, render later: rendering is slow, and writers keep overwriting slots meanwhile.
            for (var i = 0; i < _slots.Length; i++)
            {
                ref var slot = ref _slots[i];
                var sequence = Volatile.Read(ref slot.Sequence);
                if (sequence == 0) continue;
                var ticks = slot.UtcTicks;
                var value = slot.Value;
                if (Volatile.Read(ref slot.Sequence) != sequence) continue; // overwritten while copied
                into.Add((sequence, () => Render(ticks, in value)));
            }
        }

        public void Release(int owner)
        {
            lock (s_gate)
            {
                if ((uint)owner < (uint)s_rings.Length && ReferenceEquals(s_rings[owner], this)) s_rings[owner] = null;
            }
        }

        private static string Render(long utcTicks, in TEvent value) =>
            TrackBreadcrumbText.Render(utcTicks, TEvent.Descriptor, Write(in value));

        private static ReadOnlyMemory<byte> Write(in TEvent value)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                value.WriteProperties(writer);
                writer.WriteEndObject();
            }

            return buffer.WrittenMemory;
        }
    }

    private struct Slot
    {
        public long Sequence;
        public long UtcTicks;
        public TEvent Value;
    }
}

/// <summary>How a Track breadcrumb reads: <c>HH:mm:ss.fff track name key=value …</c>, personal-data properties left out.</summary>
internal static class TrackBreadcrumbText
{
    /// <summary>Longest rendered value of one property.</summary>
    public const int MaxValueChars = 80;

    /// <summary>Longest breadcrumb.</summary>
    public const int MaxChars = 300;

    /// <summary>
    /// Renders the properties the event's generated writer wrote (<paramref name="json"/>, one object), keeping only those
    /// the catalog lists without a personal-data class; an unlisted name is left out too (fail closed). Each value then
    /// passes the error scrubbing rules like every string of an error report.
    /// </summary>
    public static string Render(long utcTicks, EventDescriptor descriptor, ReadOnlyMemory<byte> json)
    {
        var text = new StringBuilder(64);
        text.Append(new DateTime(utcTicks, DateTimeKind.Utc).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(" track ").Append(descriptor.Name);
        using (var document = JsonDocument.Parse(json))
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!IsShareable(descriptor, property.Name)) continue;
                text.Append(' ').Append(property.Name).Append('=').Append(Value(property.Value));
            }
        }

        return ErrorScrubbingRules.Truncate(text.ToString(), MaxChars);
    }

    private static bool IsShareable(EventDescriptor descriptor, string name)
    {
        // An earlier error as a breadcrumb: its fingerprint and level say which; its trace and breadcrumbs would only nest.
        if (ReferenceEquals(descriptor, ErrorCaptured.Descriptor)) return name is "fingerprint" or "level";

        foreach (var property in descriptor.Properties)
        {
            if (string.Equals(property.Name, name, StringComparison.Ordinal)) return property.Pii is null;
        }

        return false;
    }

    private static string Value(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            _ => value.GetRawText(),
        };
        // Each value on its own (names are the catalog's): a key=value pair must not read as one opaque token.
        return ErrorScrubbingRules.ScrubAndTruncate(text.Replace('\r', ' ').Replace('\n', ' '), MaxValueChars);
    }
}
