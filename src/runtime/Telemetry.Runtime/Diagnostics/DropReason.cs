namespace Telemetry.Runtime;

/// <summary>Why the pipeline dropped an event; the <c>reason</c> tag of <c>telemetry.client.events.dropped</c>.</summary>
public enum DropReason
{
    /// <summary>The in-memory capture buffer was at its limit for the event's tier (the caller is never blocked).</summary>
    BufferFull,
    /// <summary>The offline queue was at its row or byte limit; lower tiers go first.</summary>
    QueueFull,
    /// <summary>One event alone was larger than the sink or <see cref="TelemetryOptions.MaxEventBytes"/> accepts.</summary>
    TooLarge,
    /// <summary>The sink rejected the event permanently (invalid, bad credentials); never retried.</summary>
    Rejected,
    /// <summary>The event waited longer than <see cref="TelemetryOptions.MaxEventAge"/> for delivery.</summary>
    Expired,
    /// <summary>The user withdrew consent: the event was purged.</summary>
    Consent,
    /// <summary>Tracked after the pipeline stopped accepting events.</summary>
    Shutdown,
    /// <summary>The offline queue could not write the event (disk full, I/O error).</summary>
    StorageError,
    /// <summary>The event could not be serialised.</summary>
    SerializationError,
    /// <summary>
    /// A poison event: the sink kept answering 5xx to every batch holding it while it accepted the rest, found by
    /// bisecting the batch (<see cref="TelemetryOptions.PoisonBatchThreshold"/>).
    /// </summary>
    Poison,
    /// <summary>A property value broke its catalog constraint under <c>TelemetryConstraintPolicy=Report</c> (the generated Track method dropped it).</summary>
    Constraint,
}
