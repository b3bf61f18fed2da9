using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The production <see cref="ITelemetryClient"/>: consent, sampling, capture, background
/// serialisation with PII scrubbing, aggregation windows, a durable offline queue, batching and
/// delivery with retries, metrics and an orderly shutdown.
/// </summary>
/// <remarks>
/// <para>
/// On the caller's thread <see cref="Track{TEvent}"/> reads the current identity (one volatile
/// load), checks sampling (an integer comparison, or a rule compiled once per event type), reads
/// the clock, and copies the generated struct into its type's capture buffer after one interlocked
/// reservation. No I/O, no lock, no serialisation, no syscall per event (the clock is read through
/// the vDSO), and nothing that can block: when the buffer is full the event is dropped and counted.
/// </para>
/// <para>
/// A background loop drains the buffers every <see cref="TelemetryOptions.DrainInterval"/>,
/// serialises each event with its envelope, scrubs every string, and appends the batch to the
/// offline queue in one transaction. A second loop leases batches from the queue and delivers
/// them; rows are deleted only after the sink confirmed them.
/// </para>
/// </remarks>
public sealed class TelemetryPipeline : ITelemetryClient, IAsyncDisposable, IDisposable
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Stopping = 2;
    private const int Stopped = 3;

    private static readonly TimeSpan LoopFailureDelay = TimeSpan.FromSeconds(1);

    private readonly TelemetryOptions _options;
    private readonly ITelemetrySink _sink;
    private readonly IOfflineQueue _queue;
    private readonly bool _ownsQueue;
    private readonly IConsentStore _consentStore;
    private readonly ConcurrentDictionary<string, bool> _consentBySubject = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PipelineCounters _counters = new();
    private readonly TelemetryMetrics _metrics;
    private readonly EventSampler _sampler;
    private readonly CaptureBuffers _buffers;
    private readonly AggregatorRegistry _aggregators;
    private readonly EventSerializer _serializer;
    private readonly EventDispatcher _dispatcher;
    private readonly AsyncSignal _ingestSignal = new();
    private readonly AsyncSignal _deliverySignal = new();
    private readonly object _ingestGate = new();
    private readonly SemaphoreSlim _dispatchGate = new(1, 1);
    private readonly object _stateGate = new();
    private readonly CancellationTokenSource _loopCancellation = new();
    private readonly bool _runLoops;
    private ClientIdentity _identity;
    private volatile bool _accepting = true;
    private int _state;
    private Task _ingestLoop = Task.CompletedTask;
    private Task _deliveryLoop = Task.CompletedTask;
    private Task? _stopTask;
    private long _retryNotBeforeTicks = DateTimeOffset.MinValue.UtcTicks;
    private long _bufferFullLogged;

    internal TelemetryPipeline(
        TelemetryOptions options,
        ITelemetrySink sink,
        IOfflineQueue queue,
        bool ownsQueue,
        IConsentStore consentStore,
        string anonymousId,
        IPersonalDataProtector? privacy,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Random? jitter,
        bool runLoops)
    {
        _options = options;
        _sink = sink;
        _queue = queue;
        _ownsQueue = ownsQueue;
        _consentStore = consentStore;
        _time = time;
        _runLoops = runLoops;
        _logger = loggerFactory.CreateLogger("Telemetry.Runtime.TelemetryPipeline");
        Privacy = options.Privacy ?? privacy ?? HmacPersonalDataProtector.CreateEphemeral();

        var sessionId = options.SessionId ?? Guid.NewGuid();
        var subject = string.IsNullOrEmpty(options.UserId) ? anonymousId : options.UserId!;
        _identity = new ClientIdentity(options.UserId, anonymousId, sessionId, ResolveConsent(subject, inherit: null));

        _sampler = new EventSampler(options.Sampling, time);
        _buffers = new CaptureBuffers(options.BufferCapacity, _ingestSignal.Set);
        _aggregators = new AggregatorRegistry(time, _counters, _logger, () => Volatile.Read(ref _identity).ConsentGranted && _accepting);
        _metrics = new TelemetryMetrics(_counters, () => _queue.Count, () => _queue.Bytes, () => _buffers.Count);
        _serializer = new EventSerializer(new EventIdGenerator(time), options.ClientVersion, options.MaxEventBytes, id => IsSubjectAllowed(id.Subject), _counters, _logger);
        var retry = new RetryPolicy(options.InitialRetryDelay, options.MaxRetryDelay, options.MaxRetryAfter, jitter);
        _dispatcher = new EventDispatcher(sink, queue, retry, options, IsSubjectAllowed, _aggregators.OverrideWindow, _counters, _metrics, _logger, time);
    }

    /// <summary>A builder for use without dependency injection: <c>TelemetryPipeline.CreateBuilder().WithSink(sink).Build()</c>.</summary>
    public static TelemetryPipelineBuilder CreateBuilder() => new();

    /// <inheritdoc/>
    public IPersonalDataProtector Privacy { get; }

    /// <summary>The sink events go to.</summary>
    public ITelemetrySink Sink => _sink;

    /// <summary>Where queued events live (<c>sqlite:/path</c> or <c>memory</c>).</summary>
    public string QueueLocation => _queue.Description;

    /// <summary>The current user's sampling bucket, 0..9999.</summary>
    public int UserBucket => Volatile.Read(ref _identity).Bucket;

    /// <summary>The signed-in user's id, if any.</summary>
    public string? UserId => Volatile.Read(ref _identity).UserId;

    /// <summary>The anonymous/device id.</summary>
    public string AnonymousId => Volatile.Read(ref _identity).AnonymousId;

    /// <summary>The session id stamped on each event.</summary>
    public Guid SessionId => Volatile.Read(ref _identity).SessionId;

    /// <summary>The current user's effective consent (<see cref="ConsentState.Granted"/> or <see cref="ConsentState.Denied"/>).</summary>
    public ConsentState Consent => Volatile.Read(ref _identity).ConsentGranted ? ConsentState.Granted : ConsentState.Denied;

    /// <summary>True between <see cref="Start"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>A copy of the counters behind the <c>Telemetry.Runtime</c> metrics.</summary>
    public TelemetryStatistics Statistics => new(_counters, _buffers.Count, _queue.Count, _queue.Bytes);

    /// <summary>The server's aggregation window, once a sink reported X-AGG-WINDOW-OVERRIDE.</summary>
    public TimeSpan? AggregationWindowOverride => _aggregators.WindowOverride;

    /// <inheritdoc/>
    public bool IsEnabled(EventDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var identity = Volatile.Read(ref _identity);
        if (!identity.ConsentGranted || !_accepting) return false;
        if (_sampler.IsEnabled(descriptor, identity.Bucket, out var reason)) return true;
        _counters.AddSampledOut(reason);
        return false;
    }

    /// <inheritdoc/>
    public void Track<TEvent>(in TEvent telemetryEvent)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var identity = Volatile.Read(ref _identity);
        if (!identity.ConsentGranted) return;
        var descriptor = TEvent.Descriptor;
        if (!_accepting)
        {
            _counters.AddDropped(DropReason.Shutdown, descriptor.Tier);
            return;
        }

        var utcTicks = _time.GetUtcNow().UtcTicks;
        if (!_sampler.TryAccept(descriptor, identity.Bucket, utcTicks, out var rate, out var reason))
        {
            _counters.AddSampledOut(reason);
            return;
        }

        if (!_buffers.TryCapture(in telemetryEvent, utcTicks, identity, rate))
        {
            _counters.AddDropped(DropReason.BufferFull, descriptor.Tier);
            return;
        }

        _counters.AddTracked();
    }

    /// <inheritdoc/>
    public TAggregator Aggregator<TAggregator>()
        where TAggregator : class, ITelemetryAggregator, new() => _aggregators.GetOrAdd<TAggregator>();

    /// <summary>Starts the background loops (the builder and the hosted service call it). Idempotent.</summary>
    public void Start()
    {
        lock (_stateGate)
        {
            if (_state != Created) return;
            _state = Running;
        }

        Log.Started(_logger, _sink.Name, _queue.Description, _queue.Count);
        if (!_runLoops) return;

        // Events left by an earlier run go out without waiting a flush interval.
        if (_queue.Count > 0) _deliverySignal.Set();
        var token = _loopCancellation.Token;
        _ingestLoop = Task.Run(() => IngestLoopAsync(token), CancellationToken.None);
        _deliveryLoop = Task.Run(() => DeliveryLoopAsync(token), CancellationToken.None);
    }

    /// <summary>
    /// Switches to another user (sign-in with an id, sign-out with null). The bucket and consent
    /// follow the new user; a user with no recorded choice inherits the current one.
    /// </summary>
    public void Identify(string? userId)
    {
        lock (_stateGate)
        {
            var current = _identity;
            var normalized = string.IsNullOrEmpty(userId) ? null : userId;
            if (string.Equals(current.UserId, normalized, StringComparison.Ordinal)) return;
            var subject = normalized ?? current.AnonymousId;
            var granted = ResolveConsent(subject, inherit: current.ConsentGranted);
            Volatile.Write(ref _identity, new ClientIdentity(normalized, current.AnonymousId, current.SessionId, granted));
        }
    }

    /// <summary>
    /// Records the current user's choice. The effect on Track is immediate (before this returns); the
    /// choice is persisted, and on a denial the user's queued events are purged and open aggregation
    /// windows discarded, on a background thread: await the task to know that happened.
    /// </summary>
    public Task SetConsentAsync(bool granted, CancellationToken cancellationToken = default)
    {
        ClientIdentity identity;
        lock (_stateGate)
        {
            identity = _identity.WithConsent(granted);
            _consentBySubject[identity.Subject] = granted;
            Volatile.Write(ref _identity, identity);
        }

        var state = granted ? ConsentState.Granted : ConsentState.Denied;
        return Task.Run(
            () =>
            {
                _consentStore.Set(identity.Subject, state);
                var purged = 0;
                if (!granted)
                {
                    // Tracking is off, so the aggregates these flushes emit are discarded, not recorded.
                    _aggregators.FlushAll(this);
                    var removed = _queue.Purge(identity.Subject);
                    for (var tier = EventTier.A; tier <= EventTier.C; tier++) _counters.AddDropped(DropReason.Consent, tier, removed[tier]);
                    purged = removed.Total;
                }

                Log.ConsentChanged(_logger, state, purged);
            },
            cancellationToken);
    }

    /// <summary>
    /// Serialises what Track captured into the queue now and tries to deliver everything queued,
    /// without waiting for the flush interval. Returns true when the queue is empty afterwards;
    /// false when the sink asked to retry later or a retry delay (Retry-After, backoff) is running.
    /// Never call it with <c>.Result</c> on a UI thread; await it.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _state) == Stopped) return _queue.Count == 0;
        await Task.Run(Ingest, cancellationToken).ConfigureAwait(false);
        if (_time.GetUtcNow() < RetryNotBefore) return _queue.Count == 0;
        return await DeliverAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the pipeline: flushes every aggregation window, serialises everything captured into the
    /// queue (on disk), then delivers for at most <see cref="TelemetryOptions.ShutdownTimeout"/> (or
    /// until <paramref name="cancellationToken"/>); what is left stays queued for the next run.
    /// Later calls return the same task.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateGate)
        {
            return _stopTask ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <summary>Stops the pipeline (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Stops the pipeline, blocking at most <see cref="TelemetryOptions.ShutdownTimeout"/> plus a
    /// second; prefer <see cref="DisposeAsync"/> or <see cref="StopAsync"/> where you can await.
    /// </summary>
    public void Dispose()
    {
        var stop = Task.Run(() => StopAsync());
        stop.Wait(_options.ShutdownTimeout + TimeSpan.FromSeconds(1));
    }

    /// <summary>Serialises captured events into the queue and flushes due aggregation windows (the background stage's one pass).</summary>
    internal int Ingest()
    {
        lock (_ingestGate)
        {
            _aggregators.FlushDue(this);
            var batch = new List<QueuedEvent>();
            var drained = _buffers.DrainAll(_serializer, batch);
            LogBufferDrops();
            if (batch.Count == 0) return drained;

            // Buffers drain per event type; the queue (and so delivery) keeps the order events happened in.
            var ordered = batch.Count == 1 ? batch : batch.OrderBy(e => e.Event.Timestamp).ToList();
            try
            {
                var result = _queue.Append(ordered);
                _counters.AddQueued(result.Appended);
                for (var tier = EventTier.A; tier <= EventTier.C; tier++)
                {
                    var dropped = result.Dropped[tier];
                    if (dropped == 0) continue;
                    _counters.AddDropped(DropReason.QueueFull, tier, dropped);
                    Log.QueueEvicted(_logger, dropped, tier, _queue.Limits.MaxRows, _queue.Limits.MaxBytes);
                }
            }
            catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or ObjectDisposedException or InvalidOperationException)
            {
                foreach (var e in ordered) _counters.AddDropped(DropReason.StorageError, e.Event.Tier);
                Log.QueueWriteFailed(_logger, ex, ordered.Count);
            }

            if (_queue.Count >= _dispatcher.BatchSize) _deliverySignal.Set();
            return drained;
        }
    }

    /// <summary>Delivers queued events until the queue is empty (true) or the sink asks to retry later (false).</summary>
    internal async Task<bool> DeliverAsync(CancellationToken cancellationToken)
    {
        await _dispatchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var result = await _dispatcher.DispatchOnceAsync(cancellationToken).ConfigureAwait(false);
                if (result.RetryDelay is { } delay)
                {
                    Interlocked.Exchange(ref _retryNotBeforeTicks, (_time.GetUtcNow() + delay).UtcTicks);
                    return false;
                }

                if (result.Leased == 0 || _queue.Count == 0) return _queue.Count == 0;
            }
        }
        finally
        {
            _dispatchGate.Release();
        }
    }

    // Browser page lifecycle (the browser package): on page hide, close the aggregation windows and queue everything
    // captured now, synchronously, while the page still runs; when the network returns, retry without waiting out the backoff.
    internal void CloseWindowsAndIngest()
    {
        if (Volatile.Read(ref _state) != Running) return;
        _aggregators.FlushAll(this);
        Ingest();
    }

    internal void ClearRetryDelay() => Interlocked.Exchange(ref _retryNotBeforeTicks, DateTimeOffset.MinValue.UtcTicks);

    /// <summary>This pipeline's instruments.</summary>
    internal TelemetryMetrics Metrics => _metrics;

    /// <summary>When the next delivery attempt may run (after a Retry-After or backoff delay).</summary>
    internal DateTimeOffset RetryNotBefore => new(Interlocked.Read(ref _retryNotBeforeTicks), TimeSpan.Zero);

    private async Task IngestLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _ingestSignal.WaitAsync(_options.DrainInterval, _time, cancellationToken).ConfigureAwait(false);
                Ingest();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.LoopFailed(_logger, ex, "ingest", LoopFailureDelay);
                await DelayAsync(LoopFailureDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliveryLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var wait = RetryNotBefore - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    // Backoff or Retry-After: a full batch does not cut the wait short.
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await _deliverySignal.WaitAsync(_options.FlushInterval, _time, cancellationToken).ConfigureAwait(false);
                if (_queue.Count > 0) await DeliverAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.LoopFailed(_logger, ex, "delivery", LoopFailureDelay);
                await DelayAsync(LoopFailureDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        lock (_stateGate) _state = Stopping;
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(_options.ShutdownTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        long delivered = 0;
        try
        {
            // 1. Close every aggregation window while Track still accepts the aggregates.
            await Task.Run(() => _aggregators.FlushAll(this), CancellationToken.None).ConfigureAwait(false);

            // 2. Stop taking events and stop the loops (an in-flight send is cancelled; its batch stays queued).
            _accepting = false;
            _loopCancellation.Cancel();
            await Task.WhenAll(_ingestLoop, _deliveryLoop).ConfigureAwait(false);

            // 3. Persist everything captured before trying the network.
            await Task.Run(Ingest, CancellationToken.None).ConfigureAwait(false);

            // 4. Deliver what fits in the time left, unless a Retry-After or backoff delay is running.
            if (_time.GetUtcNow() >= RetryNotBefore && _queue.Count > 0)
            {
                var before = _counters.Sent;
                try
                {
                    await DeliverAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Log.ShutdownTimedOut(_logger, _time.GetElapsedTime(started), _queue.Count);
                }

                delivered = _counters.Sent - before;
            }

            Log.Stopped(_logger, delivered, _queue.Count);
        }
        finally
        {
            lock (_stateGate) _state = Stopped;
            _metrics.Dispose();
            if (_ownsQueue) _queue.Dispose();
            _loopCancellation.Dispose();
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private bool IsSubjectAllowed(string subject)
    {
        if (_consentBySubject.TryGetValue(subject, out var granted)) return granted;
        return ResolveConsent(subject, inherit: null);
    }

    private bool ResolveConsent(string subject, bool? inherit)
    {
        var state = _consentStore.Get(subject);
        var granted = state switch
        {
            ConsentState.Granted => true,
            ConsentState.Denied => false,
            _ => inherit ?? _options.DefaultConsent == ConsentState.Granted,
        };
        _consentBySubject[subject] = granted;
        return granted;
    }

    private void LogBufferDrops()
    {
        long total = 0;
        var worst = EventTier.A;
        for (var tier = EventTier.A; tier <= EventTier.C; tier++)
        {
            var dropped = _counters.Dropped(DropReason.BufferFull, tier);
            if (dropped > 0) worst = tier;
            total += dropped;
        }

        if (total == _bufferFullLogged) return;
        _bufferFullLogged = total;
        Log.BufferFull(_logger, worst, _buffers.Capacity);
    }
}
