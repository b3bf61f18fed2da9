using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Security;

/// <summary>
/// Fixed-window limits per write key and per client address whose counts live in the database, so several nodes
/// behind a load balancer enforce one limit together. Plugged into ASP.NET Core's rate-limiting middleware as its
/// global limiter (429, <c>Retry-After</c> and the <c>OnRejected</c> answer come from there).
/// <para>
/// Each node decides locally, without a database round trip per request: a request is admitted while
/// <c>last known total + this node's not yet reported count</c> stays within the limit. Every
/// <see cref="RateLimitOptions.SyncMilliseconds"/> the node adds its counts to the shared counters in one statement
/// and reads back the totals of all nodes (<see cref="IControlStore.AddRateCountsAsync"/>). A limit can therefore be
/// exceeded by at most about (nodes - 1) x the per-node rate x the sync interval. Windows are aligned to the Unix epoch,
/// so all nodes use the same ones. When the database cannot be reached, each node keeps limiting on what it knows.
/// </para>
/// </summary>
internal sealed partial class SharedRateLimiter : PartitionedRateLimiter<HttpContext>, IHostedService
{
    private readonly IControlStore _store;
    private readonly Func<HttpContext, RateLimitOptions?> _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedRateLimiter> _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly TimeSpan _syncInterval;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private long _lastCleanup;
    private long _exchanges;
    private const int IdleRefreshEvery = 4;

    public SharedRateLimiter(IControlStore store, Func<HttpContext, RateLimitOptions?> settings, TimeSpan syncInterval, TimeProvider time, ILogger<SharedRateLimiter> logger)
    {
        _store = store;
        _settings = settings;
        _syncInterval = syncInterval < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : syncInterval;
        _time = time;
        _logger = logger;
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>
    /// Decides from what this node knows. The first request of a partition in a window fails here without a verdict, so
    /// the middleware calls <see cref="AcquireAsyncCore"/>, which reads the partition's total from the database first: a
    /// node that has not seen a key or address yet still knows what the other nodes admitted for it.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        var request = Describe(resource, permitCount);
        if (request is null) return Lease.Granted;
        lock (_gate)
        {
            return Decide(request.Value, requireLoaded: true) ?? Lease.NotLoaded;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        var request = Describe(resource, permitCount);
        if (request is null) return Lease.Granted;
        var r = request.Value;
        List<RateCount>? missing = null;
        lock (_gate)
        {
            foreach (var (partition, limit) in r.Partitions)
            {
                if (partition is null) continue;
                if (!CounterFor(partition, r.Window, r.WindowSeconds, limit).Loaded) (missing ??= new()).Add(new RateCount(partition, r.Window, 0));
            }
        }

        if (missing is not null)
        {
            IReadOnlyList<RateCount>? totals = null;
            try
            {
                totals = await _store.AddRateCountsAsync(missing, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSyncFailed(ex); // limit on this node's counts alone
            }

            lock (_gate)
            {
                foreach (var (partition, limit) in r.Partitions)
                {
                    if (partition is null) continue;
                    var counter = CounterFor(partition, r.Window, r.WindowSeconds, limit);
                    counter.Loaded = true;
                    if (totals is null) continue;
                    foreach (var t in totals)
                    {
                        if (t.Partition == partition && t.WindowStart == r.Window) counter.Reported = Math.Max(counter.Reported, t.Count);
                    }
                }
            }
        }

        lock (_gate)
        {
            return Decide(r, requireLoaded: false)!;
        }
    }

    private Request? Describe(HttpContext resource, int permitCount)
    {
        var o = _settings(resource);
        if (o is null) return null;
        var windowSeconds = o.WindowSeconds;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = now / 1000 / windowSeconds * windowSeconds;
        var key = KeyRing.PresentedKey(resource.Request);
        var keyPartition = string.IsNullOrEmpty(key) ? null : "key:" + KeyRing.PartitionOf(key);
        var ipPartition = "ip:" + (resource.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return new Request(window, windowSeconds, now, Math.Max(1, permitCount),
            new (string?, int)[] { (keyPartition, o.PerKeyPermits), (ipPartition, o.PerIpPermits) });
    }

    /// <summary>Admits (counting it in every partition) or refuses; null when a partition has not been loaded and <paramref name="requireLoaded"/>.</summary>
    private Lease? Decide(Request r, bool requireLoaded)
    {
        var admitted = true;
        var counters = new Counter?[r.Partitions.Length];
        for (var i = 0; i < r.Partitions.Length; i++)
        {
            var (partition, limit) = r.Partitions[i];
            if (partition is null) continue;
            var counter = CounterFor(partition, r.Window, r.WindowSeconds, limit);
            if (requireLoaded && !counter.Loaded) return null;
            counters[i] = counter;
            if (!counter.Admits(r.Permits)) admitted = false;
        }

        if (!admitted) return new Lease(false, TimeSpan.FromMilliseconds(Math.Max(1000, (r.Window + r.WindowSeconds) * 1000 - r.NowMilliseconds)));
        foreach (var counter in counters)
        {
            if (counter is not null) counter.Unreported += r.Permits;
        }

        return Lease.Granted;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null || _loop is null) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Report what this node admitted since the last exchange, so the other nodes count it.
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSyncFailed(ex);
        }
    }

    /// <summary>One exchange with the database: adds this node's unreported counts and reads back every node's totals.</summary>
    internal async Task SyncAsync(CancellationToken cancellationToken)
    {
        var nowSeconds = _time.GetUtcNow().ToUnixTimeSeconds();

        // Partitions this node admitted requests for are reported every exchange; the totals of idle ones are only
        // re-read every fourth exchange (a read, no write), so thousands of quiet addresses cost the database little.
        var refreshIdle = _exchanges++ % IdleRefreshEvery == 0;
        List<RateCount> deltas;
        lock (_gate)
        {
            deltas = new List<RateCount>(_counters.Count);
            List<string>? expired = null;
            foreach (var (partition, counter) in _counters)
            {
                if (counter.Window + counter.WindowSeconds <= nowSeconds)
                {
                    (expired ??= new List<string>()).Add(partition);
                    continue;
                }

                if (counter.Unreported == 0 && !refreshIdle) continue;
                counter.InFlight = counter.Unreported;
                counter.Unreported = 0;
                deltas.Add(new RateCount(partition, counter.Window, counter.InFlight));
            }

            if (expired is not null)
            {
                foreach (var partition in expired) _counters.Remove(partition);
            }
        }

        if (deltas.Count == 0) return;
        IReadOnlyList<RateCount> totals;
        try
        {
            totals = await _store.AddRateCountsAsync(deltas, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                foreach (var delta in deltas)
                {
                    if (_counters.TryGetValue(delta.Partition, out var counter) && counter.Window == delta.WindowStart)
                    {
                        counter.Unreported += counter.InFlight;
                        counter.InFlight = 0;
                    }
                }
            }

            throw;
        }

        lock (_gate)
        {
            foreach (var total in totals)
            {
                if (_counters.TryGetValue(total.Partition, out var counter) && counter.Window == total.WindowStart)
                {
                    counter.Reported = total.Count;
                    counter.InFlight = 0;
                    counter.Loaded = true;
                }
            }
        }

        if (nowSeconds - Interlocked.Read(ref _lastCleanup) >= 300)
        {
            Interlocked.Exchange(ref _lastCleanup, nowSeconds);
            await _store.DeleteRateCountsBeforeAsync(nowSeconds - 2 * 86_400, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _stop?.Cancel();
        base.Dispose(disposing);
    }

    private Counter CounterFor(string partition, long window, int windowSeconds, int limit)
    {
        if (!_counters.TryGetValue(partition, out var counter) || counter.Window != window)
        {
            counter = new Counter { Window = window, WindowSeconds = windowSeconds };
            _counters[partition] = counter;
        }

        counter.Limit = limit;
        return counter;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_syncInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await SyncAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSyncFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Exchanging rate-limit counts with the database failed; limiting on this node's counts until it answers")]
    private partial void LogSyncFailed(Exception exception);

    private readonly record struct Request(long Window, int WindowSeconds, long NowMilliseconds, int Permits, (string? Partition, int Limit)[] Partitions);

    private sealed class Counter
    {
        public long Window;
        public int WindowSeconds = 1;
        public int Limit;
        public long Reported;   // total over all nodes at the last exchange (includes this node's reported counts)
        public long InFlight;   // this node's counts being reported right now
        public long Unreported; // this node's counts since
        public bool Loaded;     // the total was read from the database in this window (or that failed)

        public bool Admits(int count) => Reported + InFlight + Unreported + count <= Limit;
    }

    private sealed class Lease : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotLoaded = new(false, null);

        private readonly TimeSpan? _retryAfter;

        public Lease(bool acquired, TimeSpan? retryAfter)
        {
            IsAcquired = acquired;
            _retryAfter = retryAfter;
        }

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? Array.Empty<string>() : new[] { MetadataName.RetryAfter.Name };

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (_retryAfter is not null && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = _retryAfter.Value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
