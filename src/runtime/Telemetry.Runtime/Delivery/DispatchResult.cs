using System;

namespace Telemetry.Runtime;

/// <summary>What one delivery attempt did.</summary>
/// <param name="Leased">Events taken from the queue for this attempt.</param>
/// <param name="Sent">Events the sink confirmed.</param>
/// <param name="Dropped">Events dropped for good (rejected, too large, consent, expired).</param>
/// <param name="Retried">Events sent and to be retried later.</param>
/// <param name="RetryDelay">When the sink asked to retry: how long to wait before the next attempt.</param>
internal readonly record struct DispatchResult(int Leased, int Sent, int Dropped, int Retried, TimeSpan? RetryDelay)
{
    public static DispatchResult Empty => default;

    public bool Failed => RetryDelay is not null;
}
