using System.Text.Json;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Sampling;

public class EventSamplerTests
{
    /// <summary>A user id whose bucket is below <paramref name="maxBucket"/> (or at/above it when <paramref name="inside"/> is false).</summary>
    internal static string UserWithBucket(bool inside, int maxBucket)
    {
        for (var i = 0; ; i++)
        {
            var id = "sampled-user-" + i;
            var bucket = Fnv1a32.Bucket(id);
            if (inside ? bucket < maxBucket : bucket >= maxBucket) return id;
        }
    }

    [Fact]
    public async Task A_user_outside_the_catalog_rate_records_nothing_of_that_event_and_counts_it_sampled_out()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UserId = UserWithBucket(inside: false, ProbeRare.Descriptor.SampledBuckets));
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeRare(i);
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();

        Assert.Single(sink.Accepted);
        Assert.Equal(10, t.Stats.SampledOutByReason[SampledOutReason.Bucket]);
    }

    [Fact]
    public async Task Counts_from_many_threads_and_two_pipelines_on_the_same_threads_are_exact()
    {
        // The tracked and sampled-out counts live in per-thread blocks without atomics: no increment may be lost, and a
        // thread that alternates between pipelines must count each in its own pipeline.
        var sinkA = new ScriptedSink();
        var sinkB = new ScriptedSink();
        await using var a = TestPipeline.Create(sinkA, o => o.UserId = UserWithBucket(inside: false, ProbeRare.Descriptor.SampledBuckets));
        await using var b = TestPipeline.Create(sinkB, o => o.UserId = UserWithBucket(inside: false, ProbeRare.Descriptor.SampledBuckets));
        const int Threads = 8;
        const int PerThread = 50_000;
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                a.Pipeline.TrackProbeRare(i);
                if (i % 2 == 0) b.Pipeline.TrackProbeRare(i);
                if (i % 1000 == 0) a.Pipeline.TrackProbeStep(1);
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.Equal(Threads * PerThread, a.Stats.SampledOutByReason[SampledOutReason.Bucket]);
        Assert.Equal(Threads * PerThread / 2, b.Stats.SampledOutByReason[SampledOutReason.Bucket]);
        Assert.Equal(Threads * (PerThread / 1000), a.Pipeline.Statistics.Tracked);
        Assert.Equal(0, b.Pipeline.Statistics.Tracked);
    }

    [Fact]
    public async Task A_user_inside_the_rate_sends_every_event_stamped_with_the_rate()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UserId = UserWithBucket(inside: true, ProbeRare.Descriptor.SampledBuckets));
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeRare(i);
        await t.DeliverAllAsync();

        Assert.Equal(10, sink.Accepted.Count);
        foreach (var e in sink.Accepted)
        {
            using var json = JsonDocument.Parse(e.Json);
            Assert.Equal(0.1, json.RootElement.GetProperty("sampling_rate").GetDouble());
        }
    }

    [Fact]
    public async Task Never_switches_an_event_off()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.Sampling["probe.step"] = SamplingRule.Never());
        Assert.False(t.Pipeline.IsEnabled(ProbeStep.Descriptor));
        t.Pipeline.TrackProbeStep(1);
        t.Pipeline.TrackProbePing(1);
        await t.DeliverAllAsync();

        Assert.Equal("probe.ping", Assert.Single(sink.Accepted).Name);
        Assert.True(t.Stats.SampledOutByReason[SampledOutReason.Never] >= 1);
    }

    [Fact]
    public async Task Always_sends_a_sampled_event_for_every_user_at_rate_one()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.UserId = UserWithBucket(inside: false, ProbeRare.Descriptor.SampledBuckets);
            o.Sampling["probe.rare"] = SamplingRule.Always();
        });
        t.Pipeline.TrackProbeRare(1);
        await t.DeliverAllAsync();

        using var json = JsonDocument.Parse(Assert.Single(sink.Accepted).Json);
        Assert.Equal(1.0, json.RootElement.GetProperty("sampling_rate").GetDouble());
    }

    [Fact]
    public async Task Probabilistic_overrides_the_catalog_rate_by_user_bucket_and_stamps_the_new_rate()
    {
        var sink = new ScriptedSink();
        var user = UserWithBucket(inside: true, 5_000);
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.UserId = user;
            o.Sampling["probe.*"] = SamplingRule.Probabilistic(0.5);
        });
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();

        using var json = JsonDocument.Parse(Assert.Single(sink.Accepted).Json);
        Assert.Equal(0.5, json.RootElement.GetProperty("sampling_rate").GetDouble());

        var outside = new ScriptedSink();
        await using var other = TestPipeline.Create(outside, o =>
        {
            o.UserId = UserWithBucket(inside: false, 5_000);
            o.Sampling["probe.*"] = SamplingRule.Probabilistic(0.5);
        });
        other.Pipeline.TrackProbeStep(1);
        await other.DeliverAllAsync();
        Assert.Empty(outside.Accepted);
    }

    [Fact]
    public async Task Throttled_allows_N_per_window_then_opens_again_in_the_next_window()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.Sampling["probe.step"] = SamplingRule.Throttled(3, TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 10; i++) t.Pipeline.TrackProbeStep(i);
        Assert.False(t.Pipeline.IsEnabled(ProbeStep.Descriptor));
        t.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(t.Pipeline.IsEnabled(ProbeStep.Descriptor));
        for (var i = 10; i < 20; i++) t.Pipeline.TrackProbeStep(i);
        await t.DeliverAllAsync();

        var seqs = sink.Accepted.Select(e => ScriptedSink.IntProperty(e, "seq")).OrderBy(s => s).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 10, 11, 12 }, seqs);
        Assert.Equal(15, t.Stats.SampledOutByReason[SampledOutReason.Throttled]);
    }

    [Fact]
    public async Task Session_data_is_never_sampled_even_when_a_rule_asks_for_it()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.UserId = UserWithBucket(inside: false, 10);
            o.Sampling["*"] = SamplingRule.Probabilistic(0.001);
        });
        t.Pipeline.TrackProbeSessionOpen(1);
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();

        Assert.Equal("probe.session_open", Assert.Single(sink.Accepted).Name);
    }

    [Fact]
    public void The_exact_name_wins_over_a_feature_prefix_and_the_wildcard()
    {
        var sampler = new EventSampler(
            new Dictionary<string, SamplingRule>
            {
                ["*"] = SamplingRule.Never(),
                ["probe.*"] = SamplingRule.Probabilistic(0.3),
                ["probe.step"] = SamplingRule.Always(),
            },
            TimeProvider.System);
        Assert.Equal(SamplingStrategy.Always, sampler.FindRule("probe.step")!.Strategy);
        Assert.Equal(SamplingStrategy.Probabilistic, sampler.FindRule("probe.ping")!.Strategy);
        Assert.Equal(SamplingStrategy.Never, sampler.FindRule("other.thing")!.Strategy);
    }
}
