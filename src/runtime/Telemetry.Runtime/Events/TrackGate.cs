using System;
using System.Runtime.CompilerServices;

namespace Telemetry.Runtime;

/// <summary>What a generated Track method calls first, in one call instead of two. Not meant to be called by hand.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class TrackGate
{
    /// <summary>
    /// Throws <see cref="ArgumentNullException"/> for a null <paramref name="telemetry"/>; else whether the client records
    /// the event of <paramref name="descriptor"/> (<see cref="ITelemetryClient.IsEnabled"/>: consent, sampling).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsEnabled(ITelemetryClient telemetry, EventDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(telemetry);

        // Direct on the sealed pipeline (an interface call is not inlined), like Track below.
        return telemetry is TelemetryPipeline pipeline ? pipeline.IsEnabled(descriptor) : telemetry.IsEnabled(descriptor);
    }

    /// <summary>
    /// Tracks <paramref name="telemetryEvent"/> on <paramref name="telemetry"/>. On a <see cref="TelemetryPipeline"/> (sealed)
    /// the call is direct: <see cref="ITelemetryClient.Track{TEvent}"/> through the interface is a generic virtual method,
    /// which .NET dispatches through a lookup on every call (about a third of a generated Track call's cost).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Track<TEvent>(ITelemetryClient telemetry, in TEvent telemetryEvent)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        if (telemetry is TelemetryPipeline pipeline) pipeline.Track(in telemetryEvent);
        else telemetry.Track(in telemetryEvent);
    }
}
