using System.Threading;

namespace Telemetry.Runtime;

/// <summary>Gives every aggregator type a small dense index, so clients find their instance with an array lookup.</summary>
internal static class AggregatorSlot
{
    private static int s_next = -1;

    /// <summary>Number of slots handed out so far.</summary>
    public static int Count => Volatile.Read(ref s_next) + 1;

    /// <summary>The slot of <typeparamref name="TAggregator"/>.</summary>
    public static int Of<TAggregator>() where TAggregator : ITelemetryAggregator => Slot<TAggregator>.Value;

    private static class Slot<T>
    {
        public static readonly int Value = Interlocked.Increment(ref s_next);
    }
}
