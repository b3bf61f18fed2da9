using System;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// The reserved <c>client.health</c> event. Its one definition is <c>Errors/client.yaml</c>: the descriptor, property names
/// and status strings this struct writes are the generator's output for it (<c>Errors/ReservedEvents.g.cs</c>); the ingest
/// server reads the same file through <see cref="ReservedCatalog"/>.
/// </summary>
public readonly record struct ClientHealthReport : ITelemetryEvent<ClientHealthReport>
{
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

    /// <summary>
    /// The catalog facts of <c>client.health</c>: the generator's descriptor for <c>Errors/client.yaml</c>
    /// (<c>Errors/ReservedEvents.g.cs</c>, held to the YAML by <c>ReservedEventsTests</c>).
    /// </summary>
    public static EventDescriptor Descriptor => ReservedEvents.Client.Health.Descriptor;

    /// <inheritdoc/>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var d = Descriptor;
        writer.WriteString(d.EncodedPropertyName(ReservedEvents.Client.Health.Status),
            ReservedEvents.Client.Health.StatusValues.ToJsonText(Enum.IsDefined(Status) ? Status : TelemetryHealthStatus.Unhealthy));
        writer.WriteNumber(d.EncodedPropertyName(ReservedEvents.Client.Health.QueueDepth), QueueDepth);
        writer.WriteNumber(d.EncodedPropertyName(ReservedEvents.Client.Health.QueueLimit), QueueLimit);
        if (OldestEventAgeSeconds is { } oldest) writer.WriteNumber(d.EncodedPropertyName(ReservedEvents.Client.Health.OldestEventAgeS), oldest);
        if (LastDeliveryAgeSeconds is { } last) writer.WriteNumber(d.EncodedPropertyName(ReservedEvents.Client.Health.LastDeliveryAgeS), last);
        writer.WriteNumber(d.EncodedPropertyName(ReservedEvents.Client.Health.ConsecutiveFailures), ConsecutiveFailures);
        writer.WriteNumber(d.EncodedPropertyName(ReservedEvents.Client.Health.Dropped), Dropped);
    }
}
