using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Archive;
using Telemetry.Ingest.Forwarding;
using Telemetry.Ingest.Operations;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// Group commit: requests hand their validated events to this single writer and wait; the writer takes everything
/// that queued up while the previous commit ran (up to <see cref="StorageOptions.MaxEventsPerCommit"/>), commits it in
/// one transaction, appends the newly stored events to the archive, hands the batch to forwarding and only then completes
/// the waiting requests, which answer 202. So an acknowledged
/// event is always on disk, and a server killed after a 202 loses nothing; throughput comes from batching many
/// requests per commit, not from acknowledging early.
/// </summary>
internal sealed partial class EventWriter : IHostedService, IDisposable
{
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IEventStore _store;
    private readonly IArchive? _archive;
    private readonly IEventForwarder? _forwarder;
    private readonly Errors.ErrorIssueTracker? _errors;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<EventWriter> _logger;
    private readonly int _maxPerCommit;
    private readonly int _maxPending;
    private Task? _loop;
    private long _pending;
    private long _commits;
    private volatile bool _stopping;
    private volatile Exception? _lastError;
    private DateTimeOffset _lastCommit;

    /// <summary>Creates the writer.</summary>
    public EventWriter(IEventStore store, IOptions<IngestOptions> options, IngestMetrics metrics, ILogger<EventWriter> logger, IArchive? archive = null, IEventForwarder? forwarder = null,
        Errors.ErrorIssueTracker? errors = null)
    {
        _errors = errors;
        _store = store;
        _archive = archive;
        _forwarder = forwarder;
        _metrics = metrics;
        _logger = logger;
        _maxPerCommit = options.Value.Storage.MaxEventsPerCommit;
        _maxPending = options.Value.Storage.MaxPendingEvents;
    }

    /// <summary>Events waiting for a commit.</summary>
    public long PendingEvents => Interlocked.Read(ref _pending);

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>The last commit's failure, cleared by the next successful commit.</summary>
    public Exception? LastError => _lastError;

    /// <summary>When the last commit finished.</summary>
    public DateTimeOffset LastCommit => _lastCommit;

    /// <summary>
    /// Stores <paramref name="events"/> and returns once they are committed (or were already stored).
    /// </summary>
    /// <exception cref="WriterUnavailableException">The server is stopping, overloaded, or the commit failed; nothing of this call was acknowledged.</exception>
    public async Task<WriteResult> WriteAsync(IReadOnlyList<StoredEvent> events)
    {
        if (events.Count == 0) return new WriteResult(0, 0);
        if (_stopping) throw new WriterUnavailableException("The server is shutting down.", TimeSpan.FromSeconds(5));
        if (Interlocked.Add(ref _pending, events.Count) > _maxPending && events.Count < _maxPending)
        {
            Interlocked.Add(ref _pending, -events.Count);
            throw new WriterUnavailableException("Too many events are waiting to be stored.", TimeSpan.FromSeconds(2));
        }

        var pending = new Pending(events);
        if (!_channel.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _pending, -events.Count);
            throw new WriterUnavailableException("The server is shutting down.", TimeSpan.FromSeconds(5));
        }

        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Waits until every event handed over before this call is committed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new Pending(Array.Empty<StoredEvent>());
        if (!_channel.Writer.TryWrite(marker)) return;
        await marker.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking events and commits everything already handed over (the graceful-shutdown drain).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _channel.Writer.TryComplete();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => _channel.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var group = new List<Pending>();
        var events = new List<StoredEvent>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            events.Clear();
            while (events.Count < _maxPerCommit && reader.TryRead(out var next))
            {
                group.Add(next);
                events.AddRange(next.Events);
            }

            await CommitAsync(group, events).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<Pending> group, List<StoredEvent> events)
    {
        try
        {
            IReadOnlySet<Guid> inserted = EmptySet;
            if (events.Count > 0)
            {
                inserted = await _store.WriteBatchAsync(events, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _commits);
                _lastCommit = DateTimeOffset.UtcNow;
                _lastError = null;

                // The archive gets each newly stored event once, after the commit and before the 202: an erased user's events
                // that a client resends later are duplicates and stay out of it.
                if (_archive is not null && inserted.Count > 0)
                {
                    var records = new List<ArchiveRecord>(inserted.Count);
                    var archived = new HashSet<Guid>();
                    foreach (var e in events)
                    {
                        if (inserted.Contains(e.EventId) && archived.Add(e.EventId))
                        {
                            records.Add(new ArchiveRecord(e.ReceivedAt, e.Project, e.EventId, e.UserId, e.AnonymousId, e.Payload));
                        }
                    }

                    try
                    {
                        await _archive.AppendAsync(records, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        LogArchiveFailed(ex, records.Count);
                        throw new WriterUnavailableException("The events were stored but could not be archived; retry later (the retry is stored once).", TimeSpan.FromSeconds(5), ex);
                    }
                }

                // Forward every accepted event, duplicates included: a request whose commit landed but whose 202 was lost (or
                // whose hand-over to the forwarding queue failed, answered 503 below) is retried and then stored as "duplicate"
                // but still queued for forwarding; providers dedupe by event id, so this is at-least-once without an outbox.
                if (_forwarder is not null)
                {
                    try
                    {
                        await _forwarder.EnqueueAsync(events, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        LogForwardEnqueueFailed(ex, events.Count);
                        throw new WriterUnavailableException("The events were stored but could not be queued for forwarding; retry later (the retry is stored once).", TimeSpan.FromSeconds(5), ex);
                    }
                }

                // Error events: group into issues, count, signal new fingerprints (never throws).
                if (_errors is not null && inserted.Count > 0) await _errors.OnStoredAsync(events, inserted).ConfigureAwait(false);
            }

            var claimed = new HashSet<Guid>();
            long duplicates = 0;
            foreach (var p in group)
            {
                var mine = 0;
                foreach (var e in p.Events)
                {
                    if (inserted.Contains(e.EventId) && claimed.Add(e.EventId))
                    {
                        mine++;
                        _metrics.Stored(e.Event);
                    }
                }

                duplicates += p.Events.Count - mine;
                Interlocked.Add(ref _pending, -p.Events.Count);
                p.Done.TrySetResult(new WriteResult(mine, p.Events.Count - mine));
            }

            _metrics.Duplicates(duplicates);
        }
        catch (Exception ex)
        {
            _lastError = ex;
            LogCommitFailed(ex, events.Count);
            var failure = ex as WriterUnavailableException ?? new WriterUnavailableException("The events could not be stored; retry later.", TimeSpan.FromSeconds(5), ex);
            foreach (var p in group)
            {
                Interlocked.Add(ref _pending, -p.Events.Count);
                p.Done.TrySetException(failure);
            }
        }
    }

    private static readonly IReadOnlySet<Guid> EmptySet = new HashSet<Guid>();

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Committing {Count} events failed; the requests were answered 503")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Archiving {Count} stored events failed; the requests were answered 503")]
    private partial void LogArchiveFailed(Exception exception, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Handing {Count} stored events to the forwarder failed; the requests were answered 503")]
    private partial void LogForwardEnqueueFailed(Exception exception, int count);

    private sealed class Pending
    {
        public Pending(IReadOnlyList<StoredEvent> events) => Events = events;

        public IReadOnlyList<StoredEvent> Events { get; }

        public TaskCompletionSource<WriteResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What happened to one request's events.</summary>
/// <param name="Stored">Newly stored.</param>
/// <param name="Duplicates">Already stored (client retry or repeated id); acknowledged, not stored again.</param>
internal sealed record WriteResult(int Stored, int Duplicates);

/// <summary>The writer cannot take or commit events now; the request answers 503 with Retry-After and nothing is acknowledged.</summary>
internal sealed class WriterUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WriterUnavailableException(string message, TimeSpan retryAfter, Exception? inner = null)
        : base(message, inner)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the client should wait.</summary>
    public TimeSpan RetryAfter { get; }
}
