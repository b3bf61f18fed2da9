using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>A generated, catalog-defined event: a readonly record struct that writes itself without reflection.</summary>
public interface ITelemetryEvent
{
    /// <summary>Writes the event's own properties (not the envelope) into the current JSON object.</summary>
    void WriteProperties(Utf8JsonWriter writer);
}

/// <summary>A generated event type with its catalog descriptor reachable statically (no reflection, no instance).</summary>
/// <typeparam name="TSelf">The event struct itself.</typeparam>
public interface ITelemetryEvent<TSelf> : ITelemetryEvent
    where TSelf : struct, ITelemetryEvent<TSelf>
{
    /// <summary>The catalog facts of this event type.</summary>
    static abstract EventDescriptor Descriptor { get; }
}
