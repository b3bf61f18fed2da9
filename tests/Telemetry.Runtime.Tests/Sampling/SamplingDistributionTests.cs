using Telemetry.Runtime.Tests.Events;

namespace Telemetry.Runtime.Tests.Sampling;

public class SamplingDistributionTests
{
    private const int Users = 1_000_000;

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    public void A_million_synthetic_users_are_sampled_within_one_percent_of_the_rate(double rate)
    {
        var buckets = (int)Math.Round(rate * EventDescriptor.BucketCount);
        var sampled = 0;
        for (var i = 0; i < Users; i++)
        {
            if (Fnv1a32.Bucket("user-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)) < buckets) sampled++;
        }

        var observed = (double)sampled / Users;
        Assert.InRange(observed, rate - 0.01, rate + 0.01);

        // Tighter than the requirement: within 2 % of the rate itself (binomial noise is ~0.3 % at 10 %).
        Assert.InRange(observed, rate * 0.98, rate * 1.02);
    }

    [Fact]
    public void The_generated_descriptor_of_a_ten_percent_event_samples_a_tenth_of_the_buckets()
    {
        Assert.Equal(1_000, ProbeRare.Descriptor.SampledBuckets);
        Assert.Equal(0.1, ProbeRare.Descriptor.EffectiveSampling);
    }

    [Fact]
    public void A_local_only_event_leaves_the_process_for_its_full_stream_share_only()
    {
        Assert.True(ProbePointerMove.Descriptor.LocalOnly);
        Assert.Equal(0.01, ProbePointerMove.Descriptor.EffectiveSampling);
        Assert.Equal(100, ProbePointerMove.Descriptor.SampledBuckets);
    }
}
