namespace Telemetry.Runtime;

/// <summary>
/// Why an event was sent again after an attempt the provider may already have ingested; the <c>reason</c> tag of
/// <c>telemetry.client.events.resent</c>. Each is a possible duplicate at the provider unless it deduplicates by
/// event id (docs/runtime.md, "Resends").
/// </summary>
public enum ResendReason
{
    /// <summary>The earlier attempt got no complete answer in time (the sink's request timeout or <see cref="TelemetryOptions.SendTimeout"/>).</summary>
    Timeout,
    /// <summary>The connection broke after the request may have been sent (reset, closed, unreadable answer).</summary>
    Reset,
    /// <summary>The provider answered with a 5xx status (it may have committed the batch first).</summary>
    ServerError,
    /// <summary>The process ended (killed, crashed) while the event's request was in flight; the next run sent it again.</summary>
    CrashReplay,
}
