namespace Telemetry.Runtime;

/// <summary>
/// Where users' telemetry choices persist between runs. The pipeline reads it when the user changes
/// (construction, <see cref="TelemetryPipeline.Identify"/>) and writes it off the caller's thread.
/// </summary>
public interface IConsentStore
{
    /// <summary>The recorded choice of <paramref name="subject"/> (user id or anonymous id), or <see cref="ConsentState.Unknown"/>.</summary>
    ConsentState Get(string subject);

    /// <summary>Records and persists the choice of <paramref name="subject"/>.</summary>
    void Set(string subject, ConsentState state);
}
