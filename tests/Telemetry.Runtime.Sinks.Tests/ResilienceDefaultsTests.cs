using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

/// <summary>
/// An app whose defaults add a resilience handler to every HttpClient (<c>ConfigureHttpClientDefaults(b =>
/// b.AddStandardResilienceHandler())</c>, as .NET Aspire's service defaults do): the pipeline's client stays out of it,
/// so a failing provider gets exactly one request per send (the pipeline retries, not the handler underneath), the
/// sinks still never throw (no timeout or open-circuit exception escapes), and requests are not logged.
/// </summary>
public sealed class ResilienceDefaultsTests : IAsyncLifetime
{
    private FakeProvider _server = null!;

    public async Task InitializeAsync() => _server = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private (ServiceProvider Services, ITelemetrySink Sink, ListLogger Log) Build()
    {
        var log = new ListLogger();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(log));
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.AddTelemetry(o => o.ClientVersion = "1.0.0")
            .AddSink((_, http) => new IngestSink(http, new IngestSinkOptions { BaseUrl = _server.BaseAddress, WriteKey = "ingest-key", RequestTimeout = TimeSpan.FromSeconds(20) }));
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<ITelemetrySink>(), log);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_retryable_answer_is_sent_once_per_send_and_comes_back_as_RetryLater(int status)
    {
        _server.Answer(new Reply(status));
        var (services, sink, _) = Build();
        await using var _ = services;

        var result = await sink.SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Single(_server.Requests); // the standard handler would have made 4 (1 + 3 retries)
    }

    [Fact]
    public async Task Many_failures_never_open_a_circuit_that_throws_out_of_the_sink()
    {
        _server.Answer(new Reply(500));
        var (services, sink, _) = Build();
        await using var _ = services;

        // The standard circuit breaker opens after 10 % failures over 100+ requests in 30 s; nothing may throw either way.
        for (var i = 0; i < 120; i++)
        {
            var result = await sink.SendAsync(Events.Several(1), default);
            Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        }

        Assert.Equal(120, _server.Requests.Count);
    }

    [Fact]
    public async Task A_slow_provider_hits_the_sinks_own_timeout_not_the_handlers_and_nothing_throws()
    {
        // The standard handler's attempt timeout is 10 s: under it this would throw TimeoutRejectedException or be retried.
        _server.Answer(new Reply(202, """{"accepted":1,"rejected":[]}""", Delay: TimeSpan.FromSeconds(12)));
        var (services, sink, _) = Build();
        await using var _ = services;

        var result = await sink.SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Requests_are_not_logged()
    {
        _server.Answer(Reply.Json(202, """{"accepted":1,"rejected":[]}"""));
        var (services, sink, log) = Build();
        await using var _ = services;

        await sink.SendAsync(Events.Several(1), default);

        Assert.DoesNotContain(log.Lines, l => l.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Message.Contains(_server.BaseAddress.Authority, StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILoggerProvider
    {
        public List<(string Category, string Message)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ListLogger owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Lines) owner.Lines.Add((category, formatter(state, exception)));
            }
        }
    }
}
