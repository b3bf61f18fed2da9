namespace Telemetry.Runtime.Tests.Delivery;

public class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), new Random(3));

    [Fact]
    public void The_ceiling_doubles_per_failure_up_to_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Policy.CeilingFor(1));
        Assert.Equal(TimeSpan.FromSeconds(2), Policy.CeilingFor(2));
        Assert.Equal(TimeSpan.FromSeconds(16), Policy.CeilingFor(5));
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.CeilingFor(6));
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.CeilingFor(1000));
    }

    [Fact]
    public void Full_jitter_spreads_delays_uniformly_below_the_ceiling()
    {
        var delays = Enumerable.Range(0, 10_000).Select(_ => Policy.NextDelay(4, retryAfter: null)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        var mean = delays.Average(d => d.TotalSeconds);
        Assert.InRange(mean, 3.8, 4.2);
        Assert.True(delays.Count(d => d < TimeSpan.FromSeconds(1)) > 1000, "full jitter reaches down to zero");
    }

    [Fact]
    public void Retry_after_wins_over_backoff_and_is_capped()
    {
        Assert.Equal(TimeSpan.FromSeconds(42), Policy.NextDelay(1, TimeSpan.FromSeconds(42)));
        Assert.Equal(TimeSpan.FromSeconds(42), Policy.NextDelay(9, TimeSpan.FromSeconds(42)));
        Assert.Equal(TimeSpan.FromMinutes(5), Policy.NextDelay(1, TimeSpan.FromHours(3)));
    }
}
