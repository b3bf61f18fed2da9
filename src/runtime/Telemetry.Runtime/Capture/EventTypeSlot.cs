using System.Threading;

namespace Telemetry.Runtime;

/// <summary>A small dense index per event type, so a pipeline finds its capture buffer for <typeparamref name="TEvent"/> with an array lookup.</summary>
internal static class EventTypeSlot<TEvent>
    where TEvent : struct, ITelemetryEvent<TEvent>
{
    public static readonly int Index = EventTypeSlotCounter.Next();
}

/// <summary>Hands out <see cref="EventTypeSlot{TEvent}.Index"/> values.</summary>
internal static class EventTypeSlotCounter
{
    private static int s_next = -1;

    public static int Count => Volatile.Read(ref s_next) + 1;

    public static int Next() => Interlocked.Increment(ref s_next);
}
