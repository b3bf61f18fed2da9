using System;

namespace Telemetry.Runtime;

/// <summary>
/// Exponential backoff with full jitter (a uniform delay between zero and a ceiling that doubles per
/// consecutive failure up to <see cref="MaxDelay"/>), so many clients coming back online do not
/// retry in step. A server's Retry-After wins over the backoff, capped at <see cref="MaxRetryAfter"/>.
/// </summary>
/// <remarks>Serves the Telemetry packages (the ingest server uses it); not meant to be called by app code.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class RetryPolicy
{
    private readonly Random _random;

    /// <summary>Creates the policy.</summary>
    /// <param name="initialDelay">Ceiling after the first failure.</param>
    /// <param name="maxDelay">Largest ceiling.</param>
    /// <param name="maxRetryAfter">Largest server-requested delay honoured.</param>
    /// <param name="random">Jitter source (seed it in tests); <see cref="Random.Shared"/> by default.</param>
    public RetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, TimeSpan maxRetryAfter, Random? random = null)
    {
        if (initialDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(initialDelay));
        if (maxDelay < initialDelay) throw new ArgumentOutOfRangeException(nameof(maxDelay));
        if (maxRetryAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxRetryAfter));
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        MaxRetryAfter = maxRetryAfter;
        _random = random ?? Random.Shared;
    }

    /// <summary>Ceiling after the first failure.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>Largest ceiling.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Largest server-requested delay honoured.</summary>
    public TimeSpan MaxRetryAfter { get; }

    /// <summary>The backoff ceiling after <paramref name="consecutiveFailures"/> failures: initial × 2^(n-1), capped.</summary>
    public TimeSpan CeilingFor(int consecutiveFailures)
    {
        if (consecutiveFailures <= 1) return InitialDelay;
        var exponent = Math.Min(consecutiveFailures - 1, 40);
        var ticks = InitialDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before the next attempt: the server's <paramref name="retryAfter"/> when given, else full jitter under the ceiling.</summary>
    public TimeSpan NextDelay(int consecutiveFailures, TimeSpan? retryAfter)
    {
        if (retryAfter is { } requested && requested > TimeSpan.Zero) return requested > MaxRetryAfter ? MaxRetryAfter : requested;
        var ceiling = CeilingFor(consecutiveFailures);
        return TimeSpan.FromTicks((long)(_random.NextDouble() * ceiling.Ticks));
    }
}
