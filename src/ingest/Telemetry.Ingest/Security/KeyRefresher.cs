using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Telemetry.Ingest.Security;

/// <summary>Reloads the write keys from the database every <see cref="IngestOptions.KeyRefreshSeconds"/>.</summary>
internal sealed partial class KeyRefresher : BackgroundService
{
    private readonly KeyRing _keys;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyRefresher> _logger;

    public KeyRefresher(KeyRing keys, IOptions<IngestOptions> options, TimeProvider time, ILogger<KeyRefresher> logger)
    {
        _keys = keys;
        _interval = TimeSpan.FromSeconds(options.Value.KeyRefreshSeconds);
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await _keys.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(ex);
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Reloading the write keys failed; the keys loaded before stay in use")]
    private partial void LogRefreshFailed(Exception exception);
}
