using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Archive;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Operations;

/// <summary>
/// Deletes events received more than <see cref="IngestOptions.RetentionDays"/> days ago, and the audit archive's hourly
/// files that lie wholly before that cutoff, a minute after start and then hourly.
/// </summary>
internal sealed partial class RetentionService : BackgroundService
{
    private readonly IEventStore _store;
    private readonly IArchive? _archive;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionService> _logger;
    private readonly int _days;

    /// <summary>Creates the service.</summary>
    public RetentionService(IEventStore store, IOptions<IngestOptions> options, TimeProvider time, ILogger<RetentionService> logger, IArchive? archive = null)
    {
        _store = store;
        _archive = archive;
        _time = time;
        _logger = logger;
        _days = options.Value.RetentionDays;
    }

    /// <summary>Runs one pass now.</summary>
    public async Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_days <= 0) return new RetentionResult(0, 0);
        var cutoff = _time.GetUtcNow().AddDays(-_days);
        var deleted = await _store.DeleteReceivedBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var files = _archive is null ? 0 : await _archive.DeleteBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (deleted > 0 || files > 0) LogDeleted(deleted, files, _days);
        return new RetentionResult(deleted, files);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_days <= 0) return;
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), _time, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1), _time);
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Retention deleted {Count} events and {Files} archive files older than {Days} days")]
    private partial void LogDeleted(long count, int files, int days);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Retention pass failed")]
    private partial void LogFailed(Exception exception);
}

/// <summary>What one retention pass deleted.</summary>
/// <param name="Events">Stored events (approximate where whole partitions were dropped).</param>
/// <param name="ArchiveFiles">Hourly archive files.</param>
internal sealed record RetentionResult(long Events, int ArchiveFiles);
