namespace Telemetry.Runtime;

/// <summary>What <see cref="IOfflineQueue.Append"/> did.</summary>
/// <param name="Appended">Incoming events stored.</param>
/// <param name="Dropped">Events dropped to stay within the limits: stored ones evicted plus incoming ones not stored, by tier.</param>
public readonly record struct QueueAppendResult(int Appended, TierCounts Dropped);
