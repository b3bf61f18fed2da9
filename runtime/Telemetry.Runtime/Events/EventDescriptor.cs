using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// Everything the catalog says about an event, generated as a static instance per event type and
/// reachable without reflection through <see cref="ITelemetryEvent{TSelf}.Descriptor"/>.
/// </summary>
public sealed class EventDescriptor
{
    /// <summary>Number of user buckets deterministic sampling hashes users into.</summary>
    public const int BucketCount = Telemetry.Wire.EnvelopeFields.UserBucketCount;

    /// <summary>Creates a descriptor; called by generated code.</summary>
    public EventDescriptor(
        string name,
        int version,
        EventTier tier,
        EventStatus status,
        double sampling,
        bool idempotent,
        Sensitivity sensitivity,
        EventFrequency frequency,
        bool localOnly,
        double fullStreamPercent,
        string? aggregatedFrom,
        int aggregateWindowMs,
        IReadOnlyList<PropertyDescriptor> properties,
        string jsonSchema)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("Event name is required.", nameof(name));
        if (sampling is < 0 or > 1 || double.IsNaN(sampling)) throw new ArgumentOutOfRangeException(nameof(sampling));
        Name = name;
        EncodedName = JsonEncodedText.Encode(name);
        Version = version;
        Tier = tier;
        Status = status;
        Sampling = sampling;
        Idempotent = idempotent;
        Sensitivity = sensitivity;
        Frequency = frequency;
        LocalOnly = localOnly;
        FullStreamPercent = fullStreamPercent;
        AggregatedFrom = aggregatedFrom;
        AggregateWindowMs = aggregateWindowMs;
        Properties = properties ?? Array.Empty<PropertyDescriptor>();
        JsonSchema = jsonSchema ?? string.Empty;

        // A local-only event leaves the process only for the full-stream share of users.
        EffectiveSampling = Telemetry.Wire.EffectiveSampling.Of(sampling, localOnly, fullStreamPercent);
        SampledBuckets = (int)Math.Round(EffectiveSampling * BucketCount, MidpointRounding.AwayFromZero);
    }

    /// <summary>Full catalog name, <c>watchlist.add</c>.</summary>
    public string Name { get; }

    /// <summary><see cref="Name"/> pre-encoded for <see cref="Utf8JsonWriter"/>.</summary>
    public JsonEncodedText EncodedName { get; }

    /// <summary>Schema version of the event.</summary>
    public int Version { get; }

    /// <summary>Business tier; lower tiers are dropped first when a queue is full.</summary>
    public EventTier Tier { get; }

    /// <summary>Lifecycle.</summary>
    public EventStatus Status { get; }

    /// <summary>Catalog sampling rate (fraction of users).</summary>
    public double Sampling { get; }

    /// <summary>Rate at which the event actually leaves the process: <see cref="Sampling"/>, or the full-stream share for local-only events.</summary>
    public double EffectiveSampling { get; }

    /// <summary>Users whose bucket (0..9999) is below this number are sampled in.</summary>
    public int SampledBuckets { get; }

    /// <summary>Duplicates are dropped downstream by event_id.</summary>
    public bool Idempotent { get; }

    /// <summary>Data sensitivity.</summary>
    public Sensitivity Sensitivity { get; }

    /// <summary>Catalog frequency.</summary>
    public EventFrequency Frequency { get; }

    /// <summary>Never sent as itself (only through its aggregate or the full stream).</summary>
    public bool LocalOnly { get; }

    /// <summary>Share of users (0..100) that also send the raw stream of an aggregated event.</summary>
    public double FullStreamPercent { get; }

    /// <summary>For an aggregate event, the name of its source event.</summary>
    public string? AggregatedFrom { get; }

    /// <summary>For an aggregate event, the catalog's window length in milliseconds (0 otherwise).</summary>
    public int AggregateWindowMs { get; }

    /// <summary>Properties as they go on the wire.</summary>
    public IReadOnlyList<PropertyDescriptor> Properties { get; }

    /// <summary>JSON Schema (2020-12) of the event's wire object, envelope included.</summary>
    public string JsonSchema { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} v{Version}";
}
