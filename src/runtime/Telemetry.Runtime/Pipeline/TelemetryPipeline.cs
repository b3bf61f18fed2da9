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
/// That is the <see cref="EventDurability.Deferred"/> path (tiers B and C by default); tiers set to
/// <see cref="EventDurability.WriteThrough"/> (A by default) are serialised, scrubbed and committed to the
/// queue on the caller's thread instead, so they survive a killed process once Track returned.
/// </para>
/// <para>
/// A background loop drains the buffers every <see cref="TelemetryOptions.DrainInterval"/>,
/// serialises each event with its envelope, scrubs every string, and appends the batch to the
/// offline queue in one transaction. A second loop leases batches from the queue and delivers
/// them; rows are deleted only after the sink confirmed them.
/// </para>
/// </remarks>
public sealed class TelemetryPipeline : ITelemetryClient, ITelemetryConstraintObserver, IAsyncDisposable, IDisposable
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
    // Keyed by ClientIdentity.SubjectKey, as the queue and the consent store are.
    private readonly ConcurrentDictionary<string, bool> _consentBySubject = new(StringComparer.Ordinal);
    private readonly IPersonalDataProtector _localKey;
    private readonly string? _storageDirectory;
    private readonly TimeProvider _time;
    private readonly CaptureClock _clock;
    private readonly ILogger _logger;
    private readonly PipelineCounters _counters = new();
    private readonly ConstraintLogOnce _constraintLog = new();
    private readonly TelemetryMetrics _metrics;
    private readonly EventSampler _sampler;
    private readonly CaptureBuffers _buffers;
    private readonly AggregatorRegistry _aggregators;
    private readonly EventSerializer _serializer;
    private readonly EventDispatcher _dispatcher;
    // Each loop's wake-up: on a thread of its own, or awaited on a browser page's one thread (ILoopSignal).
    private readonly ILoopSignal _ingestWake = NewLoopSignal();
    private readonly ILoopSignal _deliveryWake = NewLoopSignal();
    private readonly object _ingestGate = new();
    private const int MaxKeptIngestBatch = 64 * 1024;
    private readonly List<QueuedEvent> _ingestBatch = new();
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
    private readonly bool[] _writeThrough = new bool[PipelineCounters.TierCount];
    private readonly EventSerializer _writeThroughSerializer;
    private readonly object _writeThroughGate = new();
    private bool _writeThroughClosed;
    private readonly List<QueuedEvent> _writeThroughScratch = new(1);
    private long _retryNotBeforeTicks = DateTimeOffset.MinValue.UtcTicks;
    private long _bufferFullLogged;
    private UnhandledExceptionCapture? _unhandled;
    private readonly DateTimeOffset _createdAt;

    internal TelemetryPipeline(
        TelemetryOptions options,
        ITelemetrySink sink,
        IOfflineQueue queue,
        bool ownsQueue,
        IConsentStore consentStore,
        string anonymousId,
        IPersonalDataProtector? privacy,
        IPersonalDataProtector localKey,
        string? storageDirectory,
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
        _clock = new CaptureClock(time);
        _runLoops = runLoops;
        _logger = loggerFactory.CreateLogger("Telemetry.Runtime.TelemetryPipeline");
        _localKey = localKey;
        _storageDirectory = storageDirectory;
        Privacy = options.Privacy ?? privacy ?? localKey;

        var sessionId = options.SessionId ?? Guid.NewGuid();
        var identity = new ClientIdentity(options.UserId, anonymousId, sessionId, consentGranted: false, localKey);
        _identity = identity.WithConsent(ResolveConsent(identity, inherit: null));

        _sampler = new EventSampler(options.Sampling, time);
        _buffers = new CaptureBuffers(options.BufferCapacity, _ingestWake.Set);
        // Interactions folded while consent holds count as aggregated, also at shutdown (the aggregate event itself is then
        // counted as dropped, shutdown); a flush after a denial discards them.
        _aggregators = new AggregatorRegistry(time, _counters, _logger, () => Volatile.Read(ref _identity).ConsentGranted);
        _metrics = new TelemetryMetrics(_counters, () => _queue.Count, () => _queue.Bytes, () => _buffers.Count, sink.Name);
        _serializer = new EventSerializer(new EventIdGenerator(time), options.ClientVersion, options.MaxEventBytes, id => IsSubjectAllowed(id.SubjectKey), _counters, _logger, options.RedactFields);
        _writeThroughSerializer = new EventSerializer(new EventIdGenerator(time), options.ClientVersion, options.MaxEventBytes, id => IsSubjectAllowed(id.SubjectKey), _counters, _logger, options.RedactFields);
        for (var tier = EventTier.A; tier <= EventTier.C; tier++) _writeThrough[(int)tier] = options.Durability[tier] == EventDurability.WriteThrough;
        var retry = new RetryPolicy(options.InitialRetryDelay, options.MaxRetryDelay, options.MaxRetryAfter, jitter);
        _dispatcher = new EventDispatcher(sink, queue, retry, options, IsSubjectAllowed, _aggregators.OverrideWindow, _counters, _metrics, _logger, time)
        {
            InFlight = queue is SqliteOfflineQueue sqlite ? InFlightJournal.Open(Path.GetDirectoryName(sqlite.DatabasePath)!, _logger) : null,
        };
        Errors = new ErrorTracker(options.Errors, time);
        if (Errors.Breadcrumbs is { } breadcrumbs)
        {
            // Breadcrumbs follow the capture order: the drain records deferred events under their capture sequence (Track
            // pays nothing for them), and a snapshot first drains what was captured before it.
            breadcrumbs.SequenceSource = _buffers.NextOrder;
            _buffers.Breadcrumbs = breadcrumbs;
            Errors.BeforeSnapshot = DrainForBreadcrumbs;
        }

        _createdAt = time.GetUtcNow();
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

    /// <summary>The delivery health right now: queue depth and bounds, oldest queued event, last delivery, failures, drops.</summary>
    public TelemetryHealthSnapshot Health
    {
        get
        {
            var now = _time.GetUtcNow();
            var oldest = _queue.OldestEventTimestamp;
            return new TelemetryHealthSnapshot(
                now,
                _queue.Count,
                _queue.Limits.MaxRows,
                _queue.Bytes,
                _queue.Limits.MaxBytes,
                oldest is { } o ? (now > o ? now - o : TimeSpan.Zero) : null,
                _dispatcher.LastSuccessfulDelivery,
                _dispatcher.ConsecutiveFailures,
                _counters.DroppedSnapshot().Values.Sum(),
                _createdAt);
        }
    }

    /// <summary>Error capture of this pipeline: breadcrumbs, rate limits and counts (docs/errors.md).</summary>
    public ErrorTracker Errors { get; }

    /// <summary>The server's aggregation window, once a sink reported X-AGG-WINDOW-OVERRIDE.</summary>
    public TimeSpan? AggregationWindowOverride => _aggregators.WindowOverride;

    /// <inheritdoc/>
    public bool IsEnabled(EventDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var identity = Volatile.Read(ref _identity);
        if (!identity.ConsentGranted) return false;
        if (!_accepting)
        {
            // The generated Track methods ask first: a call after shutdown began is counted here, once.
            _counters.AddDropped(DropReason.Shutdown, descriptor.Tier);
            return false;
        }

        if (_sampler.IsEnabled(descriptor, identity.Bucket, out var reason)) return true;
        _counters.AddSampledOut(reason);
        return false;
    }

    /// <inheritdoc/>
    void ITelemetryConstraintObserver.ConstraintViolated(EventDescriptor descriptor, string property, string rule, bool clamped)
    {
        if (clamped) _counters.AddClamped();
        else _counters.AddDropped(DropReason.Constraint, descriptor.Tier);
        if (!_constraintLog.First(descriptor.Name, property)) return;
        if (clamped) Log.ConstraintClamped(_logger, descriptor.Name, property, rule);
        else Log.ConstraintViolated(_logger, descriptor.Name, property, rule);
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

        var utcTicks = _clock.UtcTicks();
        if (!_sampler.TryAccept(descriptor, identity.Bucket, utcTicks, out var rate, out var reason))
        {
            _counters.AddSampledOut(reason);
            return;
        }

        if ((uint)descriptor.Tier < (uint)_writeThrough.Length && _writeThrough[(int)descriptor.Tier])
        {
            // Its breadcrumb now (this path serialises on the caller's thread anyway); a deferred event's breadcrumb is
            // written by the drain under its capture sequence.
            Errors.RecordTrack(in telemetryEvent, utcTicks);
            WriteThrough(in telemetryEvent, utcTicks, identity, rate);
            return;
        }

        var captured = _buffers.TryCapture(in telemetryEvent, utcTicks, identity, rate);
        if (captured != CaptureResult.Captured)
        {
            _counters.AddDropped(captured == CaptureResult.Full ? DropReason.BufferFull : DropReason.Shutdown, descriptor.Tier);
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
        if (_options.Errors.CaptureUnhandledExceptions) _unhandled = UnhandledExceptionCapture.Install(this);

        // Events left by an earlier run go out without waiting a flush interval.
        if (_queue.Count > 0) _deliveryWake.Set();
        var token = _loopCancellation.Token;
        _ingestLoop = _ingestWake.Start("Telemetry ingest", () => IngestLoopAsync(token));
        _deliveryLoop = _deliveryWake.Start("Telemetry delivery", () => DeliveryLoopAsync(token));
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
            var next = new ClientIdentity(normalized, current.AnonymousId, current.SessionId, consentGranted: false, _localKey);
            Volatile.Write(ref _identity, next.WithConsent(ResolveConsent(next, inherit: current.ConsentGranted)));
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
            _consentBySubject[identity.SubjectKey] = granted;
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
                    var removed = _queue.Purge(identity.SubjectKey);
                    for (var tier = EventTier.A; tier <= EventTier.C; tier++) _counters.AddDropped(DropReason.Consent, tier, removed[tier]);
                    purged = removed.Total;
                }

                Log.ConsentChanged(_logger, state, purged);
            },
            cancellationToken);
    }

    /// <summary>
    /// The user's right of access on this device: serialises what Track captured into the queue, then
    /// returns the current user's ids, consent and every event queued locally for them, as they will be sent.
    /// </summary>
    public async Task<LocalDataExport> ExportMyDataAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _state) != Stopped) await Task.Run(Ingest, cancellationToken).ConfigureAwait(false);
        var identity = Volatile.Read(ref _identity);
        var events = new List<string>();
        foreach (var e in _queue.Export(identity.SubjectKey)) events.Add(System.Text.Encoding.UTF8.GetString(e.Event.Json.Span));
        return new LocalDataExport(identity.WireUserId, identity.WireAnonymousId, identity.ConsentGranted ? ConsentState.Granted : ConsentState.Denied, events);
    }

    /// <summary>
    /// The user's right to erasure on this device: opts the current user out (persisted), discards open
    /// aggregation windows and everything captured, physically purges their queued events (user id and
    /// anonymous id), and continues under a new anonymous id with no user id, opted out as well. Track
    /// stops before this returns its task; await the task for the purge. Returns the events deleted.
    /// </summary>
    public Task<int> ForgetMeAsync(CancellationToken cancellationToken = default)
    {
        ClientIdentity old;
        ClientIdentity next;
        lock (_stateGate)
        {
            old = _identity.WithConsent(false);
            var newAnonymousId = Guid.NewGuid().ToString("D");
            next = new ClientIdentity(null, newAnonymousId, Guid.NewGuid(), consentGranted: false, _localKey);
            _consentBySubject[old.SubjectKey] = false;
            _consentBySubject[next.SubjectKey] = false;
            var oldAnonymous = new ClientIdentity(null, old.AnonymousId, old.SessionId, false, _localKey);
            _consentBySubject[oldAnonymous.SubjectKey] = false;
            Volatile.Write(ref _identity, next);
        }

        return Task.Run(
            () =>
            {
                var oldAnonymousKey = new ClientIdentity(null, old.AnonymousId, old.SessionId, false, _localKey).SubjectKey;
                _consentStore.Set(old.Subject, ConsentState.Denied);
                _consentStore.Set(old.AnonymousId, ConsentState.Denied);
                _consentStore.Set(next.Subject, ConsentState.Denied);
                if (_storageDirectory is not null && _options.AnonymousId is null) AnonymousIdStore.Renew(_storageDirectory, next.AnonymousId);

                // Consent is off for every subject involved: these flushes and this drain discard, not record.
                _aggregators.FlushAll(this);
                Ingest();
                var purged = 0;
                foreach (var key in old.SubjectKey == oldAnonymousKey ? new[] { old.SubjectKey } : new[] { old.SubjectKey, oldAnonymousKey })
                {
                    var removed = _queue.Purge(key);
                    for (var tier = EventTier.A; tier <= EventTier.C; tier++) _counters.AddDropped(DropReason.Consent, tier, removed[tier]);
                    purged += removed.Total;
                }

                Log.ConsentChanged(_logger, ConsentState.Denied, purged);
                return purged;
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
        _clock.Refresh();
        lock (_ingestGate)
        {
            _aggregators.FlushDue(this);
            var batch = _ingestBatch;
            batch.Clear();
            // Every type's events captured before this pass, in capture order: the queue (and so delivery) keeps it.
            var drained = _buffers.DrainAll(_serializer, batch);
            LogBufferDrops();
            if (batch.Count == 0) return drained;
            AppendToQueue(batch);

            // Reused by the next pass, bytes included (the queue copied the events); a burst's large array is let go.
            batch.Clear();
            _serializer.ReleaseOutput();
            if (batch.Capacity > MaxKeptIngestBatch) batch.Capacity = MaxKeptIngestBatch;
            return drained;
        }
    }

    /// <summary>
    /// Before a breadcrumb snapshot (an error being captured): drains what Track captured, so the breadcrumbs hold the
    /// Track calls made before the error. Skipped inside a drain (a capture from the ingest thread) and after stopping.
    /// </summary>
    private void DrainForBreadcrumbs()
    {
        if (Volatile.Read(ref _state) == Stopped || Monitor.IsEntered(_ingestGate)) return;
        Ingest();
    }

    /// <summary>
    /// The last drain: interactions recorded since the first window flush close into their windows (their aggregate
    /// events are counted as dropped, shutdown), then everything captured (a reservation still being copied in is
    /// waited for: it takes no lock and cannot block) goes to the queue; write-through calls wait for it and are refused after.
    /// </summary>
    private void FinalIngest()
    {
        _aggregators.FlushAll(this);
        var spin = default(SpinWait);
        while (true)
        {
            Ingest();
            if (_buffers.Count == 0) break;
            spin.SpinOnce();
        }

        lock (_writeThroughGate) _writeThroughClosed = true;
    }

    /// <summary>
    /// <see cref="EventDurability.WriteThrough"/>: serialises, scrubs and commits one event to the queue on the
    /// caller's thread; when this returns the event is in the queue (on disk with the SQLite queue) or counted as dropped.
    /// </summary>
    private void WriteThrough<TEvent>(in TEvent telemetryEvent, long utcTicks, ClientIdentity identity, double rate)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        lock (_writeThroughGate)
        {
            if (_writeThroughClosed)
            {
                // Accepted before shutdown began, but arrived after the final drain: counted, not lost.
                _counters.AddDropped(DropReason.Shutdown, TEvent.Descriptor.Tier);
                return;
            }

            _counters.AddTracked();
            _writeThroughScratch.Clear();
            _writeThroughSerializer.Serialize(new CapturedEvent<TEvent>(in telemetryEvent, utcTicks, identity, rate), _writeThroughScratch);
            if (_writeThroughScratch.Count > 0) AppendToQueue(_writeThroughScratch);
            _writeThroughScratch.Clear();
            _writeThroughSerializer.ReleaseOutput();
        }
    }

    /// <summary>Appends serialised events to the queue in one transaction and counts what it stored, evicted or could not store.</summary>
    private void AppendToQueue(List<QueuedEvent> events)
    {
        try
        {
            var result = _queue.Append(events);
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
            foreach (var e in events) _counters.AddDropped(DropReason.StorageError, e.Event.Tier);
            Log.QueueWriteFailed(_logger, ex, events.Count);
        }

        if (_queue.Count >= _dispatcher.BatchSize) _deliveryWake.Set();
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

    /// <summary>The process is dying: persist what Track captured to the queue now (the next run delivers it).</summary>
    internal void PersistForCrash()
    {
        if (Volatile.Read(ref _state) == Stopped) return;
        Ingest();
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

    /// <summary>The clock of the capture timestamps (docs/runtime.md, "Timestamps").</summary>
    internal CaptureClock Clock => _clock;

    /// <summary>This pipeline's instruments.</summary>
    internal TelemetryMetrics Metrics => _metrics;

    /// <summary>When the next delivery attempt may run (after a Retry-After or backoff delay).</summary>
    internal DateTimeOffset RetryNotBefore => new(Interlocked.Read(ref _retryNotBeforeTicks), TimeSpan.Zero);

    /// <summary>Outside a browser each loop has a thread of its own (<see cref="ThreadSignal.Start"/>); in a browser it is a task on the page's thread.</summary>
    private static ILoopSignal NewLoopSignal() => OperatingSystem.IsBrowser() ? new AsyncSignal() : new ThreadSignal();

    /// <summary>
    /// The ingest loop: a pass every <see cref="TelemetryOptions.DrainInterval"/>, or at once when the buffers pass half
    /// full; after a failed pass it backs off a whole <see cref="LoopFailureDelay"/> (a wake-up from Track does not cut it short).
    /// </summary>
    private async Task IngestLoopAsync(CancellationToken cancellationToken)
    {
        while (await _ingestWake.WaitAsync(_options.DrainInterval, _time, cancellationToken).ConfigureAwait(false))
        {
            if (!IngestPass() && !await _ingestWake.DelayAsync(LoopFailureDelay, _time, cancellationToken).ConfigureAwait(false)) return;
        }
    }

    /// <summary>One pass of the ingest loop; false (and logged) when it failed.</summary>
    private bool IngestPass()
    {
        try
        {
            Ingest();
            return true;
        }
        catch (Exception ex)
        {
            Log.LoopFailed(_logger, ex, "ingest", LoopFailureDelay);
            return false;
        }
    }

    /// <summary>
    /// The delivery loop: delivers when a full batch is queued or every <see cref="TelemetryOptions.FlushInterval"/>; a
    /// backoff or Retry-After is waited out whole (a full batch does not cut it short, and a wake-up during it is kept).
    /// </summary>
    private async Task DeliveryLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var wait = RetryNotBefore - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    if (!await _deliveryWake.DelayAsync(wait, _time, cancellationToken).ConfigureAwait(false)) return;
                    continue;
                }

                if (!await _deliveryWake.WaitAsync(_options.FlushInterval, _time, cancellationToken).ConfigureAwait(false)) return;
                if (_queue.Count > 0) await _deliveryWake.RunAsync(DeliverAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.LoopFailed(_logger, ex, "delivery", LoopFailureDelay);
                if (!await _deliveryWake.DelayAsync(LoopFailureDelay, _time, cancellationToken).ConfigureAwait(false)) return;
            }
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        lock (_stateGate) _state = Stopping;
        _unhandled?.Dispose();
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(_options.ShutdownTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        long delivered = 0;
        try
        {
            // 1. Close every aggregation window while Track still accepts the aggregates.
            await Task.Run(() => _aggregators.FlushAll(this), CancellationToken.None).ConfigureAwait(false);

            // 2. Stop taking events and stop the loops (an in-flight send is cancelled; its batch stays queued).
            //    From here every Track call is counted as dropped (shutdown), whichever check it meets first.
            _accepting = false;
            _buffers.Close();
            _loopCancellation.Cancel();
            await Task.WhenAll(_ingestLoop, _deliveryLoop).ConfigureAwait(false);

            // 3. Persist everything captured before trying the network, including captures that were being copied in when
            //    accepting stopped (the buffers count them from their reservation), and close the write-through path.
            await Task.Run(FinalIngest, CancellationToken.None).ConfigureAwait(false);

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
            _dispatcher.InFlight?.Dispose();
            if (_ownsQueue) _queue.Dispose();
            _loopCancellation.Dispose();
        }
    }

    private bool IsSubjectAllowed(string subjectKey)
    {
        if (_consentBySubject.TryGetValue(subjectKey, out var granted)) return granted;

        // An event queued by an earlier run for a subject not met in this one: the queue holds only the keyed
        // hash, which a keyed store (same per-install key) can look up; another store falls back to the default.
        var state = _consentStore is IKeyedConsentStore keyed ? keyed.GetByKey(subjectKey) : ConsentState.Unknown;
        return Remember(subjectKey, state, inherit: null);
    }

    private bool ResolveConsent(ClientIdentity identity, bool? inherit) =>
        Remember(identity.SubjectKey, _consentStore.Get(identity.Subject), inherit);

    private bool Remember(string subjectKey, ConsentState state, bool? inherit)
    {
        var granted = state switch
        {
            ConsentState.Granted => true,
            ConsentState.Denied => false,
            _ => inherit ?? _options.DefaultConsent == ConsentState.Granted,
        };
        _consentBySubject[subjectKey] = granted;
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
