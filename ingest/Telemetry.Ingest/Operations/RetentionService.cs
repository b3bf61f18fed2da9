using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Operations;

/// <summary>Deletes events received more than <see cref="IngestOptions.RetentionDays"/> days ago, a minute after start and then hourly.</summary>
public sealed partial class RetentionService : BackgroundService
{
    private readonly IEventStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionService> _logger;
    private readonly int _days;

    /// <summary>Creates the service.</summary>
    public RetentionService(IEventStore store, IOptions<IngestOptions> options, TimeProvider time, ILogger<RetentionService> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _days = options.Value.RetentionDays;
    }

    /// <summary>Runs one pass now; returns the number of deleted events.</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_days <= 0) return 0;
        var cutoff = _time.GetUtcNow().AddDays(-_days);
        var deleted = await _store.DeleteReceivedBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (deleted > 0) LogDeleted(deleted, _days);
        return deleted;
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

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Retention deleted {Count} events older than {Days} days")]
    private partial void LogDeleted(long count, int days);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Retention pass failed")]
    private partial void LogFailed(Exception exception);
}
