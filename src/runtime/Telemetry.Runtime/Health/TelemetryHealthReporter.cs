using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Telemetry.Runtime;

/// <summary>Tracks a <c>client.health</c> event every <see cref="TelemetryHealthOptions.ReportInterval"/> while the host runs.</summary>
internal sealed class TelemetryHealthReporter : BackgroundService
{
    private readonly TelemetryPipeline _pipeline;
    private readonly TelemetryHealthOptions _options;
    private readonly TelemetryHealthEvaluator _evaluator;
    private readonly TimeProvider _time;

    public TelemetryHealthReporter(TelemetryPipeline pipeline, TelemetryHealthOptions options, TimeProvider time)
    {
        _pipeline = pipeline;
        _options = options;
        _evaluator = new TelemetryHealthEvaluator(options);
        _time = time;
    }

    /// <summary>Tracks one report now.</summary>
    public void ReportOnce()
    {
        if (!_pipeline.IsEnabled(ClientHealthReport.Descriptor)) return;
        var snapshot = _pipeline.Health;
        var (status, _) = _evaluator.Evaluate(snapshot);
        _pipeline.Track(new ClientHealthReport(snapshot, status));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReportInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            ReportOnce();
        }
    }
}
