using System;

namespace Telemetry.Runtime;

/// <summary>The delivery health of a pipeline at one moment (<see cref="TelemetryPipeline.Health"/>).</summary>
/// <param name="Time">When it was taken.</param>
/// <param name="QueueDepth">Events in the offline queue.</param>
/// <param name="QueueLimit">The queue's row bound.</param>
/// <param name="QueueBytes">Payload bytes in the queue.</param>
/// <param name="QueueByteLimit">The queue's byte bound.</param>
/// <param name="OldestEventAge">Age of the oldest queued event (null when the queue is empty).</param>
/// <param name="LastSuccessfulDelivery">When the sink last confirmed events (null: not since the pipeline started).</param>
/// <param name="ConsecutiveFailures">Failed delivery attempts in a row.</param>
/// <param name="Dropped">Events dropped since the pipeline started, all reasons.</param>
/// <param name="Started">When the pipeline was created.</param>
public sealed record TelemetryHealthSnapshot(
    DateTimeOffset Time,
    long QueueDepth,
    long QueueLimit,
    long QueueBytes,
    long QueueByteLimit,
    TimeSpan? OldestEventAge,
    DateTimeOffset? LastSuccessfulDelivery,
    int ConsecutiveFailures,
    long Dropped,
    DateTimeOffset Started)
{
    /// <summary>The fuller of the queue's two bounds, 0..1.</summary>
    public double QueueFill => Math.Max(
        QueueLimit > 0 ? (double)QueueDepth / QueueLimit : 0,
        QueueByteLimit > 0 ? (double)QueueBytes / QueueByteLimit : 0);
}
