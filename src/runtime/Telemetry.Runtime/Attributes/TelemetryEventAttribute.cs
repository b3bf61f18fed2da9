using System;

namespace Telemetry.Runtime;

/// <summary>Marks a generated event type with its catalog name and version.</summary>
/// <remarks>Generated code marks its event types with it; not meant to be applied by hand.</remarks>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, Inherited = false)]
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TelemetryEventAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public TelemetryEventAttribute(string name) => Name = name;

    /// <summary>Full catalog name.</summary>
    public string Name { get; }

    /// <summary>Schema version.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Business tier.</summary>
    public EventTier Tier { get; set; } = EventTier.B;

    /// <summary>True when duplicates are dropped downstream by event_id.</summary>
    public bool Idempotent { get; set; }
}

/// <summary>The catalog sampling rate of an event (fraction of users, deterministic per user).</summary>
/// <remarks>Generated code marks its event types with it; not meant to be applied by hand.</remarks>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, Inherited = false)]
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class SamplingAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public SamplingAttribute(double rate) => Rate = rate;

    /// <summary>Fraction of users, 0..1.</summary>
    public double Rate { get; }
}

/// <summary>The data sensitivity of an event.</summary>
/// <remarks>Generated code marks its event types with it; not meant to be applied by hand.</remarks>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, Inherited = false)]
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class SensitivityAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public SensitivityAttribute(Sensitivity sensitivity) => Sensitivity = sensitivity;

    /// <summary>The sensitivity.</summary>
    public Sensitivity Sensitivity { get; }
}

/// <summary>Marks a high-frequency event and how it is kept cheap.</summary>
/// <remarks>Generated code marks its event types with it; not meant to be applied by hand.</remarks>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, Inherited = false)]
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class HighFrequencyAttribute : Attribute
{
    /// <summary>Name of the aggregate event it feeds, if aggregated.</summary>
    public string? AggregatedInto { get; set; }

    /// <summary>True when the event never leaves the process as itself.</summary>
    public bool LocalOnly { get; set; }
}

/// <summary>Marks the generated aggregate event of a high-frequency source event.</summary>
/// <remarks>Generated code marks its event types with it; not meant to be applied by hand.</remarks>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, Inherited = false)]
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class AggregateOfAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public AggregateOfAttribute(string sourceEvent, int windowMs)
    {
        SourceEvent = sourceEvent;
        WindowMs = windowMs;
    }

    /// <summary>Full name of the source event.</summary>
    public string SourceEvent { get; }

    /// <summary>Catalog window length.</summary>
    public int WindowMs { get; }
}
