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

    private readonly IReadOnlyList<PropertyDescriptor> _properties;
    private readonly EventSchemaTable? _schemas;
    private readonly JsonEncodedText[] _encodedNames;
    private string? _jsonSchema;

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
        : this(name, version, tier, status, sampling, idempotent, sensitivity, frequency, localOnly, fullStreamPercent, aggregatedFrom, aggregateWindowMs,
            properties ?? Array.Empty<PropertyDescriptor>(), null, jsonSchema ?? string.Empty)
    {
    }

    /// <summary>
    /// Creates a descriptor from the compact form generated code uses: the properties as one string
    /// (<see cref="PropertyDescriptor.ParseList"/>) and the schema in its file's <see cref="EventSchemaTable"/>, read on first use.
    /// </summary>
    public EventDescriptor(
        string name,
        int version,
        EventTier tier,
        double sampling,
        string properties,
        EventSchemaTable schemas,
        EventStatus status = EventStatus.Active,
        bool idempotent = false,
        Sensitivity sensitivity = Sensitivity.None,
        EventFrequency frequency = EventFrequency.Normal,
        bool localOnly = false,
        double fullStreamPercent = 0,
        string? aggregatedFrom = null,
        int aggregateWindowMs = 0)
        : this(name, version, tier, status, sampling, idempotent, sensitivity, frequency, localOnly, fullStreamPercent, aggregatedFrom, aggregateWindowMs,
            PropertyDescriptor.ParseList(properties), schemas ?? throw new ArgumentNullException(nameof(schemas)), null)
    {
    }

    private EventDescriptor(
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
        EventSchemaTable? schemas,
        string? jsonSchema)
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
        _properties = properties;
        _schemas = schemas;
        _jsonSchema = jsonSchema;
        _encodedNames = new JsonEncodedText[properties.Count];
        for (var i = 0; i < _encodedNames.Length; i++) _encodedNames[i] = JsonEncodedText.Encode(properties[i].Name);

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
    public IReadOnlyList<PropertyDescriptor> Properties => _properties;

    /// <summary>The wire name of <see cref="Properties"/>[<paramref name="index"/>] pre-encoded for <see cref="Utf8JsonWriter"/>: what generated writers write.</summary>
    public JsonEncodedText EncodedPropertyName(int index) => _encodedNames[index];

    /// <summary>JSON Schema (2020-12) of the event's wire object, envelope included; generated events read it from their file's schema table on first use.</summary>
    public string JsonSchema => _jsonSchema ??= _schemas?.Find(Name) ?? string.Empty;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} v{Version}";
}
