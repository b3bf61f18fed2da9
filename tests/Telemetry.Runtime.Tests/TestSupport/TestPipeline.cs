using Microsoft.Extensions.Time.Testing;

namespace Telemetry.Runtime.Tests.TestSupport;

/// <summary>
/// A pipeline on virtual time without its background loops: tests run the background stages
/// themselves (<see cref="TelemetryPipeline.Ingest"/>, <see cref="TelemetryPipeline.DeliverAsync"/>)
/// and move the clock, so retries and windows take no real time and no test depends on a race.
/// </summary>
internal sealed class TestPipeline : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 11, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory? _ownedDirectory;

    private TestPipeline(TelemetryPipeline pipeline, FakeTimeProvider time, TempDirectory? ownedDirectory)
    {
        Pipeline = pipeline;
        Time = time;
        _ownedDirectory = ownedDirectory;
    }

    public TelemetryPipeline Pipeline { get; }

    public FakeTimeProvider Time { get; }

    public TelemetryStatistics Stats => Pipeline.Statistics;

    public static TestPipeline Create(
        ITelemetrySink sink,
        Action<TelemetryOptions>? configure = null,
        IOfflineQueue? queue = null,
        IConsentStore? consent = null,
        FakeTimeProvider? time = null,
        string? directory = null,
        int jitterSeed = 1)
    {
        time ??= new FakeTimeProvider(Start);
        var owned = directory is null ? new TempDirectory() : null;
        var builder = TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "runtime-tests";
                o.ClientVersion = "1.2.3";
                o.UserId = "user-1";
                o.StorageDirectory = directory ?? owned!.Path;
                o.UseDurableQueue = false;
                o.SessionId = Guid.Parse("00000000-0000-4000-8000-000000000001");
                configure?.Invoke(o);
            })
            .WithSink(sink)
            .WithTimeProvider(time)
            .WithJitter(new Random(jitterSeed))
            .WithoutBackgroundLoops();
        if (queue is not null) builder.WithQueue(queue);
        builder.WithConsentStore(consent ?? new InMemoryConsentStore());
        return new TestPipeline(builder.Build(), time, owned);
    }

    /// <summary>
    /// A pipeline with its real background loops on the real clock (for what only threads show: shutdown races, drain
    /// windows, accounting under load): the tests' application identity, <paramref name="directory"/> as its folder,
    /// and what <paramref name="configure"/> sets; <paramref name="queue"/> replaces the default queue.
    /// </summary>
    public static TelemetryPipeline Running(ITelemetrySink sink, string directory, Action<TelemetryOptions> configure, IOfflineQueue? queue = null)
    {
        var builder = TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "runtime-tests";
                o.ClientVersion = "1.0.0";
                o.UserId = "user-1";
                o.StorageDirectory = directory;
                configure(o);
            })
            .WithSink(sink);
        if (queue is not null) builder.WithQueue(queue);
        return builder.Build();
    }

    /// <summary>Runs the serialisation stage once.</summary>
    public int Ingest() => Pipeline.Ingest();

    /// <summary>Serialises and delivers; true when the queue is empty.</summary>
    public async Task<bool> FlushOnceAsync()
    {
        Pipeline.Ingest();
        return await Pipeline.DeliverAsync(CancellationToken.None);
    }

    /// <summary>
    /// Delivers until the queue is empty, moving the clock past every retry delay the pipeline
    /// chose (and checking it never sends before that delay). Returns the delays it waited.
    /// </summary>
    public async Task<List<TimeSpan>> DeliverAllAsync(int maxAttempts = 200)
    {
        var waited = new List<TimeSpan>();
        Pipeline.Ingest();
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            if (await Pipeline.DeliverAsync(CancellationToken.None)) return waited;
            var wait = Pipeline.RetryNotBefore - Time.GetUtcNow();
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            waited.Add(wait);
            Time.Advance(wait);
        }

        throw new InvalidOperationException($"The queue did not empty in {maxAttempts} attempts: {Pipeline.Statistics}");
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.StopAsync();
        _ownedDirectory?.Dispose();
    }
}
