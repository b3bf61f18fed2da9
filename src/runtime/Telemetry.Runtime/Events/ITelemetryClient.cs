namespace Telemetry.Runtime;

/// <summary>
/// What generated <c>Track...</c> methods call. Implementations decide consent, sampling, batching
/// and delivery; the generated code only asks whether an event is wanted and hands over the struct.
/// </summary>
public interface ITelemetryClient
{
    /// <summary>
    /// True when <paramref name="descriptor"/>'s event would be recorded for the current user
    /// (consent given and the user's bucket sampled in). Generated code calls it before building
    /// the event, so a sampled-out call costs one interface call and no allocation.
    /// </summary>
    bool IsEnabled(EventDescriptor descriptor);

    /// <summary>Records an event. Must not block on I/O.</summary>
    void Track<TEvent>(in TEvent telemetryEvent)
        where TEvent : struct, ITelemetryEvent<TEvent>;

    /// <summary>The aggregator instance of type <typeparamref name="TAggregator"/> for this client, created and registered for window flushes on first use.</summary>
    TAggregator Aggregator<TAggregator>()
        where TAggregator : class, ITelemetryAggregator, new();

    /// <summary>Keyed hashing for PII properties whose treatment is <c>hash</c>.</summary>
    IPersonalDataProtector Privacy { get; }
}
