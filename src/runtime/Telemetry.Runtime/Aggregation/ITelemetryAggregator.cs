using System;

namespace Telemetry.Runtime;

/// <summary>A generated window aggregator of a high-frequency event.</summary>
/// <remarks>Serves generated code; not meant to be implemented by hand.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface ITelemetryAggregator
{
    /// <summary>The aggregate event this aggregator emits.</summary>
    EventDescriptor Descriptor { get; }

    /// <summary>Current window length; the catalog's by default, changed by the client (e.g. on a server override).</summary>
    TimeSpan Window { get; set; }

    /// <summary>Number of interactions recorded since the last flush.</summary>
    long PendingCount { get; }

    /// <summary>Emits one aggregate event per group into <paramref name="client"/> and starts a new window.</summary>
    /// <returns>The number of aggregate events emitted.</returns>
    int Flush(ITelemetryClient client);

    /// <summary>
    /// <see cref="Flush(ITelemetryClient)"/>, also giving how many interactions the emitted events folded: read under the
    /// same lock that starts the new window, so an interaction recorded while the flush runs is counted in exactly one window.
    /// </summary>
    /// <param name="client">Where the aggregate events go.</param>
    /// <param name="folded">Interactions folded into the emitted events.</param>
    /// <returns>The number of aggregate events emitted.</returns>
    int Flush(ITelemetryClient client, out long folded)
    {
        // An implementation that does not count under its own lock: the pending count just before the flush (may miss an
        // interaction recorded in between; WindowAggregator, which every generated aggregator derives from, is exact).
        folded = PendingCount;
        return Flush(client);
    }
}
