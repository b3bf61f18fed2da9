namespace Telemetry.Runtime;

/// <summary>A user's telemetry choice.</summary>
public enum ConsentState
{
    /// <summary>No choice recorded; <see cref="TelemetryOptions.DefaultConsent"/> applies.</summary>
    Unknown,
    /// <summary>Opted in: events are recorded and sent.</summary>
    Granted,
    /// <summary>Opted out: nothing is recorded, queued or sent, and queued events of the user are purged.</summary>
    Denied,
}
