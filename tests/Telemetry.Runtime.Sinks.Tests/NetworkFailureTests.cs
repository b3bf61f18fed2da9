using System.Diagnostics;
using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

/// <summary>Every HTTP sink turns network failures and its own timeouts into RetryLater, and never throws for them.</summary>
public sealed class NetworkFailureTests
{
    private static readonly HttpClient Http = new();

    public static TheoryData<string> Sinks => new() { "segment", "amplitude", "mixpanel", "ingest" };

    private static ITelemetrySink Create(string name, Uri address, TimeSpan timeout, HttpClient? http = null)
    {
        http ??= Http;
        return name switch
        {
            "segment" => new SegmentSink(http, new SegmentSinkOptions { WriteKey = "k", Host = address, RequestTimeout = timeout }),
            "amplitude" => new AmplitudeSink(http, new AmplitudeSinkOptions { ApiKey = "k", Host = address, RequestTimeout = timeout }),
            "mixpanel" => new MixpanelSink(http, new MixpanelSinkOptions { ProjectToken = "k", Host = address, RequestTimeout = timeout }),
            "ingest" => new IngestSink(http, new IngestSinkOptions { WriteKey = "k", BaseUrl = address, RequestTimeout = timeout }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(Sinks))]
    public async Task Connection_refused_retries_later(string sink)
    {
        var closed = new Uri($"http://127.0.0.1:{Events.ClosedPort()}");

        var result = await Create(sink, closed, TimeSpan.FromSeconds(5)).SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.StartsWith("network error", result.Detail);
    }

    [Theory]
    [MemberData(nameof(Sinks))]
    public async Task Request_timeout_retries_later(string sink)
    {
        await using var server = await FakeProvider.StartAsync();
        server.Answer(new Reply(200, "{}", Delay: TimeSpan.FromSeconds(10)));
        var clock = Stopwatch.StartNew();

        var result = await Create(sink, server.BaseAddress, TimeSpan.FromMilliseconds(200)).SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.StartsWith("timeout", result.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task HttpClient_timeout_retries_later_too()
    {
        await using var server = await FakeProvider.StartAsync();
        server.Answer(new Reply(200, "{}", Delay: TimeSpan.FromSeconds(10)));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };

        var result = await Create("segment", server.BaseAddress, TimeSpan.FromSeconds(30), impatient).SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
    }

    [Theory]
    [MemberData(nameof(Sinks))]
    public async Task Cancellation_by_the_caller_throws_instead_of_reporting_a_result(string sink)
    {
        await using var server = await FakeProvider.StartAsync();
        server.Answer(new Reply(200, "{}", Delay: TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Create(sink, server.BaseAddress, TimeSpan.FromSeconds(30)).SendAsync(Events.Several(1), cancel.Token));
    }
}
