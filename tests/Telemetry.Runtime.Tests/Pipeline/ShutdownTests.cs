using System.Diagnostics;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Pipeline;

/// <summary>The real background loops on the real clock: Track never waits for the network, and exit loses nothing.</summary>
public class ShutdownTests
{
    private static TelemetryPipeline Build(ITelemetrySink sink, string directory, Action<TelemetryOptions>? configure = null) =>
        TestPipeline.Running(sink, directory, o =>
        {
            o.DrainInterval = TimeSpan.FromMilliseconds(10);
            o.FlushInterval = TimeSpan.FromMilliseconds(20);
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
            o.SendTimeout = TimeSpan.FromSeconds(30);
            configure?.Invoke(o);
        });

    [Fact]
    public async Task Track_returns_at_once_while_the_network_hangs_and_shutdown_keeps_every_event_on_disk()
    {
        using var directory = new TempDirectory();
        var hanging = new ScriptedSink { Fallback = _ => SinkResult.Success };
        for (var i = 0; i < 100; i++) hanging.ThenHang();
        var pipeline = Build(hanging, directory.Path);

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 1_000; i++) pipeline.TrackProbeStep(i);
        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(500), $"1,000 Track calls took {stopwatch.Elapsed}");

        // Let the loops persist and start a (hanging) send, then exit.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (hanging.Requests.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.NotEmpty(hanging.Requests);

        var stopping = Stopwatch.StartNew();
        await pipeline.StopAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"shutdown took {stopping.Elapsed}");
        Assert.False(pipeline.IsRunning);
        Assert.Equal(1_000, pipeline.Statistics.QueueDepth);

        // Next run: everything is delivered, once.
        var sink = new ScriptedSink(maxBatchSize: 1000);
        await using var next = Build(sink, directory.Path);
        Assert.True(await next.FlushAsync());
        Assert.Equal(1_000, sink.AcceptCountById.Count);
        Assert.Equal(Enumerable.Range(0, 1_000), sink.Accepted.Select(e => ScriptedSink.IntProperty(e, "seq")).OrderBy(x => x));
    }

    [Fact]
    public async Task Shutdown_delivers_what_was_tracked_just_before_it()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink();
        var pipeline = Build(sink, directory.Path, o => o.FlushInterval = TimeSpan.FromMinutes(1));
        for (var i = 0; i < 25; i++) pipeline.TrackProbeMilestone(i);
        await pipeline.DisposeAsync();

        Assert.Equal(25, sink.AcceptCountById.Count);
        Assert.Equal(0, pipeline.Statistics.QueueDepth);
    }

    [Fact]
    public async Task The_background_loops_deliver_without_any_flush_call()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink();
        await using var pipeline = Build(sink, directory.Path);
        for (var i = 0; i < 10; i++) pipeline.TrackProbeStep(i);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sink.Accepted.Count < 10 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(10, sink.Accepted.Count);
    }

    [Fact]
    public async Task Track_after_shutdown_is_dropped_and_counted()
    {
        using var directory = new TempDirectory();
        var pipeline = Build(new ScriptedSink(), directory.Path);
        await pipeline.StopAsync();
        pipeline.Track(new ProbeStep(1));
        Assert.Equal(1, pipeline.Statistics.DroppedFor(DropReason.Shutdown));
        Assert.False(pipeline.IsEnabled(ProbeStep.Descriptor));
    }

    [Fact]
    public void Invalid_options_fail_the_build_with_every_problem_listed()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ClientVersion = string.Empty;
                o.MaxBatchSize = 0;
                o.InitialRetryDelay = TimeSpan.FromMinutes(10);
                o.MaxRetryDelay = TimeSpan.FromMinutes(1);
                o.StorageDirectory = "relative/path";
                o.Sampling["probe.step"] = new SamplingRule { Strategy = SamplingStrategy.Throttled, MaxEvents = 0 };
            })
            .WithSink(new ScriptedSink())
            .Build());
        var message = string.Join("\n", error.Failures);
        Assert.Contains("ClientVersion", message);
        Assert.Contains("MaxBatchSize", message);
        Assert.Contains("MaxRetryDelay", message);
        Assert.Contains("StorageDirectory", message);
        Assert.Contains("MaxEvents", message);
    }

    [Fact]
    public void A_pipeline_without_a_sink_does_not_build()
    {
        Assert.Throws<InvalidOperationException>(() => TelemetryPipeline.CreateBuilder().Build());
    }
}
