using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Hosting;

public sealed class AddTelemetryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private HostApplicationBuilder NewHost()
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        return builder;
    }

    private void Configure(TelemetryOptions o)
    {
        o.ApplicationName = "hosted-tests";
        o.ClientVersion = "2.0.0";
        o.StorageDirectory = _directory.Path;
        o.FlushInterval = TimeSpan.FromMinutes(5);
    }

    [Fact]
    public async Task The_host_starts_the_pipeline_and_its_shutdown_delivers_what_was_tracked()
    {
        var sink = new ScriptedSink();
        var builder = NewHost();
        builder.Services.AddTelemetry(Configure).AddSink(sink);
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<ITelemetryClient>();
        var pipeline = host.Services.GetRequiredService<TelemetryPipeline>();
        Assert.Same(pipeline, client);
        Assert.True(pipeline.IsRunning);
        Assert.StartsWith("sqlite:" + _directory.Path, pipeline.QueueLocation);
        for (var i = 0; i < 12; i++) client.TrackProbeStep(i);

        await host.StopAsync();
        Assert.Equal(12, sink.AcceptCountById.Count);
        Assert.False(pipeline.IsRunning);
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_from_starting()
    {
        var builder = NewHost();
        builder.Services.AddTelemetry(o =>
        {
            Configure(o);
            o.BufferCapacity = 1;
            o.DefaultConsent = ConsentState.Unknown;
        }).AddSink(new ScriptedSink());
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("BufferCapacity", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("DefaultConsent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_without_a_sink_fails_at_start_with_a_clear_message()
    {
        var builder = NewHost();
        builder.Services.AddTelemetry(Configure);
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("AddSink", error.Message);
    }

    [Fact]
    public async Task A_typed_sink_gets_the_shared_factory_HttpClient_injected()
    {
        var builder = NewHost();
        builder.Services.AddTelemetry(Configure).AddSink<HttpProbeSink>();
        using var host = builder.Build();
        await host.StartAsync();
        var sink = Assert.IsType<HttpProbeSink>(host.Services.GetRequiredService<TelemetryPipeline>().Sink);
        Assert.Equal(Timeout.InfiniteTimeSpan, sink.Http.Timeout);
        await host.StopAsync();
    }

    [Fact]
    public void Options_bind_validate_and_resolve_through_the_options_system()
    {
        var services = new ServiceCollection();
        services.AddTelemetry(o =>
        {
            Configure(o);
            o.Sampling["probe.rare"] = SamplingRule.Throttled(5, TimeSpan.FromSeconds(1));
        });
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        Assert.Equal("2.0.0", options.ClientVersion);
        Assert.Equal(SamplingStrategy.Throttled, options.Sampling["probe.rare"].Strategy);
    }

    internal sealed class HttpProbeSink : ITelemetrySink
    {
        public HttpProbeSink(HttpClient http) => Http = http;

        public HttpClient Http { get; }

        public string Name => "http-probe";

        public int MaxBatchSize => 10;

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken) => new(SinkResult.Success);
    }
}
