using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemetry.Catalog;
using Telemetry.Ingest;
using Telemetry.Ingest.Archive;
using Telemetry.Ingest.Forwarding;
using Telemetry.Ingest.Ingestion;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Security;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Validation;
using Telemetry.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ingest server's services; pair with <c>app.MapTelemetryIngest()</c>.</summary>
public static class TelemetryIngestServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ingest server with options bound from <paramref name="configuration"/> (the <c>Ingest</c> section of the
    /// app's configuration, for example) and then adjusted by <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddTelemetryIngest(this IServiceCollection services, IConfiguration configuration, Action<IngestOptions>? configure = null)
    {
        services.AddOptions<IngestOptions>().Bind(configuration);
        return services.AddTelemetryIngest(configure);
    }

    /// <summary>
    /// Adds the ingest server: catalog validator, key ring, storage (<see cref="IEventStore"/>; register your own before
    /// this call to replace it), group-commit writer, archive, forwarding (when enabled: needs an <see cref="ITelemetrySink"/>
    /// registration), retention, rate limiter, health checks and metrics.
    /// </summary>
    public static IServiceCollection AddTelemetryIngest(this IServiceCollection services, Action<IngestOptions>? configure = null)
    {
        var optionsBuilder = services.AddOptions<IngestOptions>().ValidateOnStart();
        if (configure is not null) optionsBuilder.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>());
        services.AddMetrics();
        // ASP.NET Core's request lines and its request log scope ("RequestPath:/admin/users/<id>/events", attached to every
        // line logged during the request) name the path: personal data in the log. Off (the scope exists only while this
        // category is enabled at any level); the ingest server logs requests by route template instead (Telemetry.Ingest.Requests).
        services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, RequestLogging.HostingCategory, LogLevel.None, null)));
        // The forwarding sinks' client: pooled connections recycled every few minutes (PooledConnectionLifetime, so a long-lived
        // server sees DNS changes), no request logging, and no app-wide resilience handler under the forwarder's own retries.
        services.AddHttpClient(ForwardingClient).ConfigureTelemetryClient();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => LoadCatalog(sp.GetRequiredService<IOptions<IngestOptions>>().Value));
        services.TryAddSingleton(sp => new CatalogValidator(sp.GetRequiredService<CatalogSet>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IngestOptions>>().Value;
            return new KeyRing(o.Projects, o.AdminKey, sp.GetService<IControlStore>(), sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp =>
        {
            // Exporters listen before the first measurement, so the counters' initial zeros are exported too.
            foreach (var _ in sp.GetServices<IIngestMetricsExporter>()) { }
            return new IngestMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<CatalogValidator>().EventNames);
        });
        services.TryAddSingleton<IEventStore>(sp => CreateStore(sp.GetRequiredService<IOptions<IngestOptions>>().Value));

        // Keys and rate-limit counters live in the event store's database when it offers them (both built-in stores do).
        services.TryAddSingleton<IControlStore>(sp => (sp.GetRequiredService<IEventStore>() as IControlStore)!);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IngestOptions>>().Value;
            var store = sp.GetService<IControlStore>();
            if (store is null || !(o.RateLimit.Shared ?? o.Storage.Provider == StorageProvider.Postgres)) return new RateLimiterChoice(null);
            return new RateLimiterChoice(new SharedRateLimiter(store, Settings, TimeSpan.FromMilliseconds(o.RateLimit.SyncMilliseconds),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SharedRateLimiter>>()));
        });
        services.TryAddSingleton<IArchive>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IngestOptions>>().Value;
            return o.Archive.Enabled ? new FileArchive(o.Archive.Path ?? Path.Combine(DataPath(o), "archive"), o.Archive.Fsync) : new NullArchive();
        });
        services.TryAddSingleton(sp => new EventWriter(
            sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<IOptions<IngestOptions>>(),
            sp.GetRequiredService<IngestMetrics>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EventWriter>>(),
            sp.GetRequiredService<IArchive>() is NullArchive ? null : sp.GetRequiredService<IArchive>(),
            sp.GetService<IEventForwarder>(),
            sp.GetService<Telemetry.Ingest.Errors.ErrorIssueTracker>()));

        // Error issues live in the event store's database when it offers them (both built-in stores do).
        services.TryAddSingleton<Telemetry.Ingest.Errors.IErrorIssueStore>(sp => (sp.GetRequiredService<IEventStore>() as Telemetry.Ingest.Errors.IErrorIssueStore)!);
        services.TryAddSingleton(sp => sp.GetService<Telemetry.Ingest.Errors.IErrorIssueStore>() is { } issues
            ? new Telemetry.Ingest.Errors.ErrorIssueTracker(issues, sp.GetRequiredService<IngestMetrics>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Telemetry.Ingest.Errors.ErrorIssueTracker>>())
            : null!);
        services.TryAddSingleton<IngestHandler>();
        services.TryAddSingleton<RetentionService>();

        // Forwarding: only when enabled, through the sink the host registered.
        services.TryAddSingleton<IEventForwarder>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IngestOptions>>().Value;
            if (!o.Forwarding.Enabled) return null!;
            var sink = string.IsNullOrEmpty(o.Forwarding.Sink)
                ? sp.GetService<ITelemetrySink>() ?? throw new InvalidOperationException(
                    "Ingest:Forwarding:Enabled is true but neither Ingest:Forwarding:Sink is set nor an ITelemetrySink registered.")
                : CreateSink(o.Forwarding, sp.GetRequiredService<System.Net.Http.IHttpClientFactory>().CreateClient(ForwardingClient));
            var shared = sp.GetService<IOfflineQueue>();
            var queue = shared ?? new SqliteOfflineQueue(
                o.Forwarding.QueuePath ?? Path.Combine(DataPath(o), "forward-queue"),
                new QueueLimits(o.Forwarding.MaxQueueEvents, o.Forwarding.MaxQueueBytes),
                SqliteSynchronousMode.Normal,
                sp.GetService<Microsoft.Extensions.Logging.ILogger<SqliteOfflineQueue>>());
            return new SinkForwarder(sink, queue, sp.GetRequiredService<CatalogValidator>(), sp.GetRequiredService<IOptions<IngestOptions>>(),
                sp.GetRequiredService<IngestMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SinkForwarder>>(),
                ownsQueue: shared is null);
        });

        // Hosted services start in this order and stop in reverse: the store is ready before the writer takes events, and the
        // writer drains (commits everything handed over) before the store is disposed.
        services.AddHostedService<StoreInitializer>();
        services.AddHostedService<KeyRefresher>();
        services.AddHostedService<SharedLimiterHost>();
        services.AddHostedService(sp => sp.GetRequiredService<EventWriter>());
        services.AddHostedService<ForwarderHost>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: new[] { "ready" })
            .AddCheck<QueueHealthCheck>("queue", tags: new[] { "ready" });

        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<IngestOptions>>((cors, ingest) => IngestCors.AddPolicy(cors, ingest.Value.Cors));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((limiter, sp) => ConfigureRateLimiter(limiter, sp.GetRequiredService<RateLimiterChoice>().Shared));
        return services;
    }

    private const string ForwardingClient = "Telemetry.Ingest.Forwarding";

    /// <summary>Creates the runtime sink named by <see cref="ForwardingOptions.Sink"/>.</summary>
    internal static ITelemetrySink CreateSink(ForwardingOptions options, System.Net.Http.HttpClient http) => options.Sink!.ToLowerInvariant() switch
    {
        "segment" => new SegmentSink(http, options.Segment),
        "amplitude" => new AmplitudeSink(http, options.Amplitude),
        "mixpanel" => new MixpanelSink(http, options.Mixpanel),
        "ingest" => new IngestSink(http, options.Ingest),
        "console" => new ConsoleSink(),
        _ => throw new InvalidOperationException("Ingest:Forwarding:Sink '" + options.Sink + "' is not one of segment, amplitude, mixpanel, ingest, console."),
    };

    private static void ConfigureRateLimiter(RateLimiterOptions limiter, SharedRateLimiter? shared)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = shared ?? (PartitionedRateLimiter<HttpContext>)PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var o = Settings(context);
                if (o is null) return RateLimitPartition.GetNoLimiter("");
                var key = KeyRing.PresentedKey(context.Request);
                if (string.IsNullOrEmpty(key)) return RateLimitPartition.GetNoLimiter("");
                return RateLimitPartition.GetFixedWindowLimiter("key:" + KeyRing.PartitionOf(key), _ => Window(o.PerKeyPermits, o.WindowSeconds));
            }),
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var o = Settings(context);
                if (o is null) return RateLimitPartition.GetNoLimiter("");
                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + ip, _ => Window(o.PerIpPermits, o.WindowSeconds));
            }));
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;
            var o = Settings(context);
            context.RequestServices.GetService<IngestMetrics>()?.RateLimited();
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                ? wait
                : TimeSpan.FromSeconds(o?.WindowSeconds ?? 60);
            await ProblemDetailsWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
                "The rate limit of this write key or client address is used up; retry after " + Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + " s.",
                retryAfter).ConfigureAwait(false);
        };
    }

    private static RateLimitOptions? Settings(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IngestEndpointMarker>() is null) return null;
        var o = context.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value.RateLimit;
        return o.Enabled ? o : null;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, int seconds) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromSeconds(seconds),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    internal static string DataPath(IngestOptions options) =>
        Path.GetFullPath(options.Storage.DataPath ?? Path.Combine(Environment.CurrentDirectory, "ingest-data"));

    private static IEventStore CreateStore(IngestOptions options)
    {
        switch (options.Storage.Provider)
        {
            case StorageProvider.Postgres:
                if (string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
                {
                    throw new InvalidOperationException("Ingest:Storage:Provider is Postgres but Ingest:Storage:ConnectionString is empty (e.g. Host=127.0.0.1;Username=postgres;Password=postgres;Database=telemetry).");
                }

                return new PostgresEventStore(options.Storage.ConnectionString);
            default:
                return new SqliteEventStore(SqliteConnectionString(options), options.Storage.SqliteFullSync);
        }
    }

    /// <summary>The SQLite connection string of the built-in store: Ingest:Storage:ConnectionString, else ingest.db in the data folder.</summary>
    internal static string SqliteConnectionString(IngestOptions options) => string.IsNullOrWhiteSpace(options.Storage.ConnectionString)
        ? "Data Source=" + Path.Combine(DataPath(options), "ingest.db")
        : options.Storage.ConnectionString;

    /// <summary>Reads every <c>*.yaml</c>/<c>*.yml</c> file under <see cref="IngestOptions.CatalogPath"/> with the catalog library.</summary>
    internal static CatalogSet LoadCatalog(IngestOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CatalogPath))
        {
            throw new InvalidOperationException("Ingest:CatalogPath is not set: point it at the folder of the catalog YAML files (or register a CatalogSet).");
        }

        var root = Path.GetFullPath(options.CatalogPath);
        if (!Directory.Exists(root)) throw new InvalidOperationException("The catalog folder '" + root + "' does not exist.");
        var files = CatalogFolder.FindFiles(root)
            .Select(file => CatalogFolder.Read(file, f => Path.GetRelativePath(root, f).Replace('\\', '/')))
            .ToList();
        if (files.Count == 0) throw new InvalidOperationException("The catalog folder '" + root + "' has no .yaml or .yml files.");

        // The events the runtime defines itself (error.captured, client.health) are part of every server's catalog.
        files.AddRange(ReservedCatalog.Files.Select(f => new CatalogSourceFile(f.Key, f.Key, f.Value)));
        return CatalogFolder.Parse(files);
    }

    /// <summary>Runs <see cref="IEventStore.InitializeAsync"/> and loads the write keys before anything else starts.</summary>
    private sealed class StoreInitializer : IHostedService
    {
        private readonly IEventStore _store;
        private readonly KeyRing _keys;

        public StoreInitializer(IEventStore store, KeyRing keys, CatalogValidator validator)
        {
            _store = store;
            _keys = keys;
            // Resolving the validator compiles the catalog now: a broken catalog stops startup.
            ArgumentNullException.ThrowIfNull(validator);
        }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await _keys.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Starts and stops the forwarder when forwarding is enabled.</summary>
    private sealed class ForwarderHost : IHostedService
    {
        private readonly IHostedService? _forwarder;

        public ForwarderHost(IServiceProvider services) => _forwarder = services.GetService<IEventForwarder>() as IHostedService;

        public Task StartAsync(CancellationToken cancellationToken) => _forwarder?.StartAsync(cancellationToken) ?? Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => _forwarder?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>The shared (database) rate limiter when one is used, else null (ASP.NET Core's in-process fixed windows).</summary>
    private sealed record RateLimiterChoice(SharedRateLimiter? Shared);

    /// <summary>Starts and stops the shared rate limiter's exchanges with the database.</summary>
    private sealed class SharedLimiterHost : IHostedService
    {
        private readonly SharedRateLimiter? _limiter;

        public SharedLimiterHost(RateLimiterChoice choice) => _limiter = choice.Shared;

        public Task StartAsync(CancellationToken cancellationToken) => _limiter?.StartAsync(cancellationToken) ?? Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => _limiter?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>Stands in when the archive is disabled.</summary>
    private sealed class NullArchive : IArchive
    {
        public Task AppendAsync(IReadOnlyList<ArchiveRecord> records, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<long> CountUserAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(0L);

        public Task<ArchiveErasure> EraseUserAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(new ArchiveErasure(0, 0));

        public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
