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
}
