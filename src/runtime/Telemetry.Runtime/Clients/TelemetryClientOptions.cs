using System;

namespace Telemetry.Runtime;

/// <summary>Identity and environment of a client. The same user id always lands in the same sampling bucket.</summary>
public sealed class TelemetryClientOptions
{
    /// <summary>The signed-in user's id; sampling hashes it (FNV-1a 32) into one of 10,000 buckets.</summary>
    public string? UserId { get; set; }

    /// <summary>Anonymous/device id used for bucketing when no <see cref="UserId"/> is set; random per client when both are null.</summary>
    public string? AnonymousId { get; set; }

    /// <summary>The session id stamped on each event; random per client when null.</summary>
    public Guid? SessionId { get; set; }

    /// <summary>Application version stamped on each event (<c>client_version</c>).</summary>
    public string ClientVersion { get; set; } = "0.0.0";

    /// <summary>Keyed hashing for <c>hash</c>-treated PII; an ephemeral random key when null.</summary>
    public IPersonalDataProtector? Privacy { get; set; }

    /// <summary>Clock for timestamps, event ids and aggregation windows.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
