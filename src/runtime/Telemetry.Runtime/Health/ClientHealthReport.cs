using System;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>The reserved <c>client.health</c> event (catalog definition: <c>Errors/client.yaml</c>, see <see cref="ReservedCatalog"/>).</summary>
public readonly record struct ClientHealthReport : ITelemetryEvent<ClientHealthReport>
{
    private static readonly JsonEncodedText s_status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText s_queueDepth = JsonEncodedText.Encode("queue_depth");
    private static readonly JsonEncodedText s_queueLimit = JsonEncodedText.Encode("queue_limit");
    private static readonly JsonEncodedText s_oldest = JsonEncodedText.Encode("oldest_event_age_s");
    private static readonly JsonEncodedText s_lastDelivery = JsonEncodedText.Encode("last_delivery_age_s");
    private static readonly JsonEncodedText s_failures = JsonEncodedText.Encode("consecutive_failures");
    private static readonly JsonEncodedText s_dropped = JsonEncodedText.Encode("dropped");

    /// <summary>Builds the event from a snapshot and its verdict.</summary>
    public ClientHealthReport(TelemetryHealthSnapshot snapshot, TelemetryHealthStatus status)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Status = status;
        QueueDepth = snapshot.QueueDepth;
        QueueLimit = Math.Max(1, snapshot.QueueLimit);
        OldestEventAgeSeconds = snapshot.OldestEventAge is { } age ? Math.Max(0, (long)age.TotalSeconds) : null;
        LastDeliveryAgeSeconds = snapshot.LastSuccessfulDelivery is { } last ? Math.Max(0, (long)(snapshot.Time - last).TotalSeconds) : null;
        ConsecutiveFailures = snapshot.ConsecutiveFailures;
        Dropped = snapshot.Dropped;
    }

    /// <summary>The verdict.</summary>
    public TelemetryHealthStatus Status { get; }

    /// <summary>Events queued.</summary>
    public long QueueDepth { get; }

    /// <summary>The queue's row bound.</summary>
    public long QueueLimit { get; }

    /// <summary>Age of the oldest queued event in seconds.</summary>
    public long? OldestEventAgeSeconds { get; }

    /// <summary>Seconds since the last successful delivery.</summary>
    public long? LastDeliveryAgeSeconds { get; }

    /// <summary>Failed deliveries in a row.</summary>
    public int ConsecutiveFailures { get; }

    /// <summary>Events dropped since start.</summary>
    public long Dropped { get; }

    /// <summary>The catalog facts of <c>client.health</c> (checked against <c>Errors/client.yaml</c> by the tests).</summary>
    public static EventDescriptor Descriptor { get; } = new(
        name: "client.health",
        version: 1,
        tier: EventTier.C,
        status: EventStatus.Active,
        sampling: 1d,
        idempotent: false,
        sensitivity: Sensitivity.None,
        frequency: EventFrequency.Normal,
        localOnly: false,
        fullStreamPercent: 0d,
        aggregatedFrom: null,
        aggregateWindowMs: 0,
        properties: new PropertyDescriptor[]
        {
            new("status", "enum", true, null, PiiTreatment.None),
            new("queue_depth", "int64", true, null, PiiTreatment.None),
            new("queue_limit", "int64", true, null, PiiTreatment.None),
            new("oldest_event_age_s", "int64", false, null, PiiTreatment.None),
            new("last_delivery_age_s", "int64", false, null, PiiTreatment.None),
            new("consecutive_failures", "int32", true, null, PiiTreatment.None),
            new("dropped", "int64", true, null, PiiTreatment.None),
        },
        jsonSchema: SchemaText);

    internal const string SchemaText = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:telemetry:event:client.health:v1","title":"client.health","description":"A periodic report of the telemetry client's delivery health.","type":"object","properties":{"event":{"const":"client.health"},"event_id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"session_id":{"type":"string","maxLength":100},"user_bucket":{"type":"integer","minimum":0,"maximum":9999},"sampling_rate":{"type":"number","minimum":0,"maximum":1},"client_version":{"type":"string","maxLength":64},"schema_version":{"type":"integer","minimum":1,"maximum":1},"user_id":{"type":"string","maxLength":256},"anonymous_id":{"type":"string","maxLength":256},"status":{"description":"The health check's verdict.","enum":["healthy","degraded","unhealthy"]},"queue_depth":{"description":"Events in the offline queue.","type":"integer","minimum":0,"maximum":9.223372036854776e+18},"queue_limit":{"description":"The queue's row bound.","type":"integer","minimum":1,"maximum":9.223372036854776e+18},"oldest_event_age_s":{"description":"Age in seconds of the oldest queued event.","type":"integer","minimum":0,"maximum":9.223372036854776e+18},"last_delivery_age_s":{"description":"Seconds since the sink last confirmed events.","type":"integer","minimum":0,"maximum":9.223372036854776e+18},"consecutive_failures":{"description":"Failed delivery attempts in a row.","type":"integer","minimum":0,"maximum":2147483647},"dropped":{"description":"Events dropped since the pipeline started.","type":"integer","minimum":0,"maximum":9.223372036854776e+18}},"required":["event","timestamp","user_bucket","sampling_rate","client_version","schema_version","status","queue_depth","queue_limit","consecutive_failures","dropped"],"additionalProperties":false}
        """;

    /// <inheritdoc/>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(s_status, Status switch
        {
            TelemetryHealthStatus.Healthy => "healthy",
            TelemetryHealthStatus.Degraded => "degraded",
            _ => "unhealthy",
        });
        writer.WriteNumber(s_queueDepth, QueueDepth);
        writer.WriteNumber(s_queueLimit, QueueLimit);
        if (OldestEventAgeSeconds is { } oldest) writer.WriteNumber(s_oldest, oldest);
        if (LastDeliveryAgeSeconds is { } last) writer.WriteNumber(s_lastDelivery, last);
        writer.WriteNumber(s_failures, ConsecutiveFailures);
        writer.WriteNumber(s_dropped, Dropped);
    }
}
