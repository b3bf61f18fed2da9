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
        return telemetry.IsEnabled(descriptor);
    }
}
