using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Storage;
using Telemetry.Ingest.Validation;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Forwarding;

/// <summary>
/// Forwards committed events through a runtime <see cref="ITelemetrySink"/> (Segment, Amplitude, Mixpanel, another
/// ingest server, ...), using a runtime <see cref="IOfflineQueue"/> as its buffer: events are appended before the
/// request's 202, leased in batches of the sink's size, completed when the sink confirms them, and released and retried
/// with the runtime's <see cref="RetryPolicy"/> (exponential backoff with full jitter, or the provider's Retry-After) when
/// it asks to retry. 413 halves the batch; permanent rejections are dropped and counted. By default the queue is the
/// runtime's <see cref="SqliteOfflineQueue"/> in the data folder, so queued events survive a restart.
/// </summary>
internal sealed partial class SinkForwarder : IEventForwarder, IHostedService, IDisposable
{
    private readonly ITelemetrySink _sink;
    private readonly IOfflineQueue _queue;
    private readonly CatalogValidator _catalog;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<SinkForwarder> _logger;
    private readonly ForwardingOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private readonly RetryPolicy _retry;
    private readonly bool _ownsQueue;
    private int _batchSize;
    private int _failures;
    private DateTimeOffset _notBefore;

    /// <summary>Creates the forwarder.</summary>
    /// <param name="sink">Where events go.</param>
    /// <param name="queue">The buffer between commit and delivery.</param>
    /// <param name="catalog">Gives each event's tier (lower tiers are dropped first when the queue is full).</param>
    /// <param name="options">Forwarding settings.</param>
    /// <param name="metrics">Counters.</param>
    /// <param name="time">Clock for backoff.</param>
    /// <param name="logger">Log.</param>
    /// <param name="ownsQueue">True to dispose <paramref name="queue"/> with the forwarder.</param>
    public SinkForwarder(ITelemetrySink sink, IOfflineQueue queue, CatalogValidator catalog, IOptions<IngestOptions> options, IngestMetrics metrics, TimeProvider time, ILogger<SinkForwarder> logger, bool ownsQueue = false)
    {
        _ownsQueue = ownsQueue;
        _sink = sink;
        _queue = queue;
        _catalog = catalog;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _options = options.Value.Forwarding;
        _batchSize = Math.Max(1, Math.Min(_options.BatchSize, sink.MaxBatchSize));
        var initial = TimeSpan.FromSeconds(_options.InitialRetrySeconds);
        var max = TimeSpan.FromSeconds(_options.MaxRetrySeconds);
        _retry = new RetryPolicy(initial, max < initial ? initial : max, TimeSpan.FromMinutes(10));
    }

    /// <inheritdoc/>
    public long QueueDepth => _queue.Count;

    /// <summary>Failed delivery attempts in a row (0 while delivering).</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <summary>The provider's or network's last error, if any delivery failed or was rejected.</summary>
    public string? LastError { get; private set; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt { get; private set; }

    /// <inheritdoc/>
    public string SinkName => _sink.Name;

    /// <inheritdoc/>
    public Task EnqueueAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var queued = new QueuedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var tier = _catalog.Find(e.Event)?.Tier switch
            {
                Telemetry.Catalog.Model.EventTier.A => EventTier.A,
                Telemetry.Catalog.Model.EventTier.B => EventTier.B,
                _ => EventTier.C,
            };
            var outgoing = new OutgoingEvent(e.EventId, e.Event, tier, e.Timestamp, e.UserId, e.AnonymousId, PayloadWithId(e));
            queued[i] = new QueuedEvent(outgoing, e.UserId ?? e.AnonymousId ?? e.SessionId ?? "");
        }

        var result = _queue.Append(queued);
        _metrics.Dropped(result.Dropped.Total, "forward_queue_full");
        _signal.Release();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The payload as received, plus the fingerprint-derived <c>event_id</c> for events that arrived without one, so a
    /// downstream that dedups by id (another ingest server, a provider) sees the id this server stored.
    /// </summary>
    private static byte[] PayloadWithId(StoredEvent e)
    {
        if (!e.IdFromFingerprint) return Encoding.UTF8.GetBytes(e.Payload);
        var node = System.Text.Json.Nodes.JsonNode.Parse(e.Payload)!.AsObject();
        node["event_id"] = e.EventId.ToString("D");
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <inheritdoc/>
    public async Task<long> EraseUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _queue.PurgeIdentity(userId).Total;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <inheritdoc/>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_queue.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            if (!await SendOnceAsync(cancellationToken).ConfigureAwait(false)) return;
        }
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop after one last delivery attempt (bounded by the host's shutdown timeout); what is left stays queued.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stop?.Cancel();
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout passed.
            }
        }

        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Left in the queue.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop?.Dispose();
        _signal.Dispose();
        _sendLock.Dispose();
        if (_ownsQueue) _queue.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var poll = TimeSpan.FromSeconds(_options.PollSeconds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var wait = _notBefore - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, stop).ConfigureAwait(false);
                if (_queue.Count == 0) await _signal.WaitAsync(poll, stop).ConfigureAwait(false);
                while (_queue.Count > 0 && !stop.IsCancellationRequested)
                {
                    if (!await SendOnceAsync(stop).ConfigureAwait(false)) break;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
                await Task.Delay(poll, _time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A provider's answer may quote the payload it refused: what reaches the log passes the PII rules first.</summary>
    private static string? ScrubDetail(string? detail) => detail is null ? null : PersonalDataScrubber.Default.Scrub(detail);

    /// <summary>Sends one leased batch; false when delivery must wait (backoff) or nothing was leased.</summary>
    private async Task<bool> SendOnceAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() < _notBefore) return false;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var leased = _queue.Lease(_batchSize, 5L * 1024 * 1024);
            if (leased.Count == 0) return false;
            try
            {
                return await SendLeasedAsync(leased, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The queue may reuse the events' memory once a sink that reads its batch during the send alone is done.
                if (_sink.ReadsBatchOnlyDuringSend) _queue.EndLease(leased);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends and settles one leased batch; false when delivery must wait (backoff).</summary>
    private async Task<bool> SendLeasedAsync(IReadOnlyList<QueuedEvent> leased, CancellationToken cancellationToken)
    {
        var batch = new OutgoingEvent[leased.Count];
        var ids = new Guid[leased.Count];
        for (var i = 0; i < leased.Count; i++)
        {
            batch[i] = leased[i].Event;
            ids[i] = leased[i].Event.EventId;
        }

        SinkResult result;
        try
        {
            result = await _sink.SendAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _queue.Release(ids);
            throw;
        }
        catch (Exception ex)
        {
            result = new SinkResult(SinkOutcome.RetryLater, Detail: ex.GetType().Name + ": " + ex.Message);
        }

        switch (result.Outcome)
        {
            case SinkOutcome.Delivered:
                _queue.Complete(ids);
                var rejected = result.Rejected?.Count ?? 0;
                _metrics.Forwarded(ids.Length - rejected);
                _metrics.Dropped(rejected, "provider_rejected");
                _failures = 0;
                _batchSize = Math.Max(1, Math.Min(_options.BatchSize, _sink.MaxBatchSize));
                return true;
            case SinkOutcome.TooLarge when ids.Length > 1:
                _queue.Release(ids);
                _batchSize = Math.Max(1, ids.Length / 2);
                return true;
            case SinkOutcome.TooLarge:
            case SinkOutcome.Rejected:
                _queue.Complete(ids);
                _metrics.Dropped(ids.Length, "provider_rejected");
                (LastError, LastErrorAt) = ("rejected: " + ScrubDetail(result.Detail), _time.GetUtcNow());
                LogRejected(_sink.Name, ids.Length, ScrubDetail(result.Detail));
                return true;
            default:
                _queue.Release(ids);
                _failures++;
                var delay = _retry.NextDelay(_failures, result.RetryAfter);
                _notBefore = _time.GetUtcNow() + delay;
                (LastError, LastErrorAt) = (ScrubDetail(result.Detail), _time.GetUtcNow());
                LogRetry(_sink.Name, ids.Length, delay.TotalSeconds, ScrubDetail(result.Detail));
                return false;
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Forwarding {Count} events to {Sink} failed; retrying in {Seconds:0.#} s ({Detail})")]
    private partial void LogRetry(string sink, int count, double seconds, string? detail);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "{Sink} rejected {Count} events permanently; dropped ({Detail})")]
    private partial void LogRejected(string sink, int count, string? detail);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "The forwarding loop failed")]
    private partial void LogLoopFailed(Exception exception);
}
