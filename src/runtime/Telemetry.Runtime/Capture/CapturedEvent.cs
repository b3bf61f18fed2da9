namespace Telemetry.Runtime;

/// <summary>
/// An event as Track captured it: the generated struct copied by value (no boxing, nothing
/// serialised yet), when it happened, who tracked it, the sampling rate it was accepted at, and its place in the
/// pipeline's one capture order (<see cref="Sequence"/>).
/// </summary>
internal readonly struct CapturedEvent<TEvent>
    where TEvent : struct, ITelemetryEvent<TEvent>
{
    public CapturedEvent(in TEvent value, long utcTicks, ClientIdentity identity, double samplingRate, long sequence = 0)
    {
        Sequence = sequence;
        Value = value;
        UtcTicks = utcTicks;
        Identity = identity;
        SamplingRate = samplingRate;
    }

    public TEvent Value { get; }

    public long UtcTicks { get; }

    public ClientIdentity Identity { get; }

    public double SamplingRate { get; }

    /// <summary>
    /// The capture order across every event type of the pipeline (the reservation's number): the background stage
    /// sends events in this order, so events from one thread leave in the order they were tracked.
    /// </summary>
    public long Sequence { get; }
}
