using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Forwarding;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Operations;

/// <summary>Ready when the database answers within two seconds.</summary>
internal sealed class DatabaseHealthCheck : IHealthCheck
{
    private readonly IEventStore _store;

    public DatabaseHealthCheck(IEventStore store) => _store = store;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await _store.PingAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy(_store.Name + " answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(_store.Name + " does not answer", ex);
        }
    }
}

/// <summary>
/// Queue depth: the events waiting for a commit and for forwarding. Degraded above half the pending limit or when the
/// last commit failed; unhealthy at the limit (new requests would get 503).
/// </summary>
internal sealed class QueueHealthCheck : IHealthCheck
{
    private readonly EventWriter _writer;
    private readonly IEventForwarder? _forwarder;
    private readonly long _maxPending;

    public QueueHealthCheck(EventWriter writer, IOptions<IngestOptions> options, IEventForwarder? forwarder = null)
    {
        _writer = writer;
        _forwarder = forwarder;
        _maxPending = options.Value.Storage.MaxPendingEvents;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = _writer.PendingEvents;
        var data = new Dictionary<string, object>
        {
            ["pending_events"] = pending,
            ["max_pending_events"] = _maxPending,
            ["commits"] = _writer.Commits,
        };
        if (_forwarder is not null) data["forward_queue_depth"] = _forwarder.QueueDepth;
        if (pending >= _maxPending) return Task.FromResult(HealthCheckResult.Unhealthy("The write queue is full", data: data));
        if (_writer.LastError is { } error) return Task.FromResult(HealthCheckResult.Degraded("The last commit failed: " + error.Message, data: data));
        if (pending > _maxPending / 2) return Task.FromResult(HealthCheckResult.Degraded("The write queue is over half full", data: data));
        return Task.FromResult(HealthCheckResult.Healthy("pending " + pending, data));
    }
}
