using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>Accepts every batch and sends nothing: for opted-out users, tests and disabled environments.</summary>
public sealed class NoOpSink : ITelemetrySink
{
    private static readonly ValueTask<SinkResult> Delivered = new(SinkResult.Success);

    /// <summary>The shared instance.</summary>
    public static NoOpSink Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "noop";

    /// <inheritdoc/>
    public int MaxBatchSize => 10_000;

    /// <inheritdoc/>
    /// <remarks>True: the batch is read during the send only.</remarks>
    public bool ReadsBatchOnlyDuringSend => true;

    /// <inheritdoc/>
    public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        if (batch is null) throw new ArgumentNullException(nameof(batch));
        return Delivered;
    }
}
