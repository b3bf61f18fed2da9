using Microsoft.Extensions.DependencyInjection;

namespace Telemetry.Runtime.Sinks.Tests;

/// <summary>The README's way of plugging a provider sink into <c>AddTelemetry</c>.</summary>
public sealed class PipelineRegistrationTests
{
    [Fact]
    public void AddSink_factory_builds_the_provider_sink_with_the_shared_http_client()
    {
        var services = new ServiceCollection();
        services.AddTelemetry(o => o.ClientVersion = "1.4.2")
            .AddSink((_, http) => new SegmentSink(http, new SegmentSinkOptions { WriteKey = "seg-write-key" }));

        using var provider = services.BuildServiceProvider();
        var sink = provider.GetRequiredService<ITelemetrySink>();

        var segment = Assert.IsType<SegmentSink>(sink);
        Assert.Equal("https://api.segment.io/v1/batch", segment.Endpoint.ToString());
    }
}
