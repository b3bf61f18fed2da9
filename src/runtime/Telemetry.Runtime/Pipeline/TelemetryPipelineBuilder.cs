using System;
using System.Net.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Telemetry.Runtime;

/// <summary>
/// Builds a <see cref="TelemetryPipeline"/> without dependency injection:
/// <code>
/// await using var telemetry = TelemetryPipeline.CreateBuilder()
///     .Configure(o => o.ClientVersion = "1.4.2")
///     .WithSink(http => new MySink(http))   // the process-wide HttpClient
///     .Build();
/// </code>
/// </summary>
public sealed class TelemetryPipelineBuilder
{
    private readonly TelemetryOptions _options = new();
    private Func<HttpClient, ITelemetrySink>? _sinkFactory;
    private IOfflineQueue? _queue;
    private IConsentStore? _consentStore;
    private TimeProvider _time = TimeProvider.System;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private Random? _jitter;
    private bool _runLoops = true;

    internal TelemetryPipelineBuilder()
    {
    }

    /// <summary>Changes the options (applied in order).</summary>
    public TelemetryPipelineBuilder Configure(Action<TelemetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Sends to <paramref name="sink"/>.</summary>
    public TelemetryPipelineBuilder WithSink(ITelemetrySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sinkFactory = _ => sink;
        return this;
    }

    /// <summary>Sends to the sink <paramref name="factory"/> makes from the shared <see cref="TelemetryHttp.Shared"/> client.</summary>
    public TelemetryPipelineBuilder WithSink(Func<HttpClient, ITelemetrySink> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _sinkFactory = factory;
        return this;
    }

    /// <summary>Uses <paramref name="queue"/> instead of the SQLite queue in the per-user folder (the caller disposes it).</summary>
    public TelemetryPipelineBuilder WithQueue(IOfflineQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _queue = queue;
        return this;
    }

    /// <summary>Keeps consent in <paramref name="store"/> instead of <c>consent.json</c> in the per-user folder.</summary>
    public TelemetryPipelineBuilder WithConsentStore(IConsentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _consentStore = store;
        return this;
    }

    /// <summary>Clock for timestamps, ids, windows, intervals and retry delays (a fake one in tests).</summary>
    public TelemetryPipelineBuilder WithTimeProvider(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        return this;
    }

    /// <summary>Where the pipeline logs.</summary>
    public TelemetryPipelineBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Jitter source of the retry backoff (seeded in tests).</summary>
    internal TelemetryPipelineBuilder WithJitter(Random random)
    {
        _jitter = random;
        return this;
    }

    /// <summary>Builds without the background loops: tests drive <see cref="TelemetryPipeline.Ingest"/> and <see cref="TelemetryPipeline.DeliverAsync"/> themselves.</summary>
    internal TelemetryPipelineBuilder WithoutBackgroundLoops()
    {
        _runLoops = false;
        return this;
    }

    /// <summary>Validates the options, opens the queue and consent store, and returns the started pipeline.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No sink was given.</exception>
    public TelemetryPipeline Build()
    {
        var validation = new TelemetryOptionsValidator().Validate(Options.DefaultName, _options);
        if (validation.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(TelemetryOptions), validation.Failures);
        if (_sinkFactory is null) throw new InvalidOperationException("A telemetry pipeline needs a sink: call WithSink(...) (NoOpSink sends nothing).");

        var sink = _sinkFactory(TelemetryHttp.Shared) ?? throw new InvalidOperationException("The sink factory returned null.");
        var pipeline = Create(_options, sink, _queue, _consentStore, privacy: null, _time, _loggerFactory, _jitter, _runLoops);
        pipeline.Start();
        return pipeline;
    }

    /// <summary>Resolves storage (queue, consent, anonymous id) the way the options say and creates the pipeline (not started).</summary>
    internal static TelemetryPipeline Create(
        TelemetryOptions options,
        ITelemetrySink sink,
        IOfflineQueue? queue,
        IConsentStore? consentStore,
        IPersonalDataProtector? privacy,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Random? jitter,
        bool runLoops,
        IPersonalDataProtector? installKey = null)
    {
        var logger = loggerFactory.CreateLogger("Telemetry.Runtime.TelemetryPipeline");
        var directory = ResolveDirectory(options, logger);
        var ownsQueue = queue is null;
        var limits = new QueueLimits(options.MaxQueueRows, options.MaxQueueBytes);
        if (queue is null)
        {
            if (options.UseDurableQueue && directory is not null)
            {
                try
                {
                    queue = new SqliteOfflineQueue(directory, limits, options.SqliteSynchronous, logger);
                }
                catch (Exception ex) when (options.StorageDirectory is null && ex is SqliteException or System.IO.IOException or UnauthorizedAccessException)
                {
                    // The default location failed: telemetry must not stop the app. A configured folder fails loudly instead.
                    Log.QueueUnavailable(logger, ex, directory);
                }
            }
            else if (options.UseDurableQueue)
            {
                Log.NoStorageFolder(logger);
            }

            queue ??= new InMemoryOfflineQueue(limits);
        }

        // The per-install key: keys the subject hashes in the queue and consent file, and the hash treatment by default.
        // A host without a folder (a browser) may bring its own persisted key.
        IPersonalDataProtector? localKey = installKey;
        if (localKey is null && directory is not null)
        {
            try
            {
                localKey = HmacPersonalDataProtector.ForInstall(directory);
            }
            catch (Exception ex) when (options.StorageDirectory is null && ex is System.IO.IOException or UnauthorizedAccessException)
            {
                Log.StorageFolderFailed(logger, ex, directory);
            }
        }

        localKey ??= HmacPersonalDataProtector.CreateEphemeral();
        consentStore ??= directory is not null ? new FileConsentStore(directory, localKey) : new InMemoryConsentStore();
        var anonymousId = options.AnonymousId
            ?? (directory is not null ? AnonymousIdStore.GetOrCreate(directory) : Guid.NewGuid().ToString("D"));
        return new TelemetryPipeline(options, sink, queue, ownsQueue, consentStore, anonymousId, privacy, localKey, directory, time, loggerFactory, jitter, runLoops);
    }

    private static string? ResolveDirectory(TelemetryOptions options, ILogger logger)
    {
        // A browser has no per-user folder (its file system is in memory): storage comes from the browser package.
        if (OperatingSystem.IsBrowser()) return null;
        if (options.StorageDirectory is { } configured)
        {
            SecureDirectory.Ensure(configured);
            return configured;
        }

        var directory = TelemetryStorageLocation.DefaultFor(options.ApplicationName);
        if (directory is null) return null;
        try
        {
            SecureDirectory.Ensure(directory);
            return directory;
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException)
        {
            Log.StorageFolderFailed(logger, ex, directory);
            return null;
        }
    }
}
