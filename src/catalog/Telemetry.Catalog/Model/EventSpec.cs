namespace Telemetry.Catalog.Model;

/// <summary>One catalog event, with <c>defaults</c> already applied.</summary>
/// <param name="Name">Full name, <c>&lt;feature&gt;.&lt;action&gt;</c>.</param>
/// <param name="Description">What happened.</param>
/// <param name="Trigger">What the user did.</param>
/// <param name="Tier">Business tier.</param>
/// <param name="Status">Lifecycle.</param>
/// <param name="Sampling">Fraction of users (0..1) whose events are sent.</param>
/// <param name="Idempotent">Duplicates are dropped downstream by event_id.</param>
/// <param name="Sensitivity">Data sensitivity.</param>
/// <param name="Version">Schema version; bump on a breaking change.</param>
/// <param name="Frequency">How often it fires.</param>
/// <param name="LocalOnly">Never sent as itself (only through its aggregate or the full stream).</param>
/// <param name="Owner">Owning team.</param>
/// <param name="Properties">Properties in catalog order.</param>
/// <param name="Aggregate">Window aggregation into a derived event.</param>
/// <param name="AggregatedFrom">For a derived aggregate event: the full name of its source event.</param>
/// <param name="Location">Where the event key stands.</param>
public sealed record EventSpec(
    string Name,
    string? Description,
    string? Trigger,
    EventTier Tier,
    EventStatus Status,
    double Sampling,
    bool Idempotent,
    Sensitivity Sensitivity,
    int Version,
    Frequency Frequency,
    bool LocalOnly,
    string? Owner,
    EquatableArray<PropertySpec> Properties,
    AggregateSpec? Aggregate,
    string? AggregatedFrom,
    SourceSpan Location)
{
    /// <summary>True for the event a window aggregation emits.</summary>
    public bool IsAggregate => AggregatedFrom is not null;
}
