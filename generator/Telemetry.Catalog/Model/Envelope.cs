using System;

namespace Telemetry.Catalog.Model;

/// <summary>The envelope fields every sent event carries next to its own properties (same JSON object).</summary>
public static class Envelope
{
    /// <summary>Envelope field names in wire order.</summary>
    public static readonly string[] Fields =
    {
        "event", "event_id", "timestamp", "session_id", "user_bucket", "sampling_rate", "client_version", "schema_version",
    };

    /// <summary>
    /// Optional identity fields a pipeline may add for providers and GDPR export/erase (never required by the schema).
    /// </summary>
    public static readonly string[] OptionalFields = { "user_id", "anonymous_id" };

    /// <summary>True when a property name would clash with an envelope field.</summary>
    public static bool IsReserved(string name) => Array.IndexOf(Fields, name) >= 0 || Array.IndexOf(OptionalFields, name) >= 0;
}
