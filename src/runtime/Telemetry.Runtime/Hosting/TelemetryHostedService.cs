using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Telemetry.Runtime;

/// <summary>
/// Starts the pipeline's background loops with the host and, on shutdown, flushes the aggregation
/// windows, persists what was captured, and delivers within <see cref="TelemetryOptions.ShutdownTimeout"/>.
/// </summary>
internal sealed class TelemetryHostedService : IHostedService
{
    private readonly TelemetryPipeline _pipeline;

    public TelemetryHostedService(TelemetryPipeline pipeline) => _pipeline = pipeline;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pipeline.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _pipeline.StopAsync(cancellationToken);
}
