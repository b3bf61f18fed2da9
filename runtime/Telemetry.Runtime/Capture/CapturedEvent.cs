namespace Telemetry.Runtime;

/// <summary>
/// An event as Track captured it: the generated struct copied by value (no boxing, nothing
/// serialised yet), when it happened, who tracked it and the sampling rate it was accepted at.
/// </summary>
internal readonly struct CapturedEvent<TEvent>
    where TEvent : struct, ITelemetryEvent<TEvent>
{
    public CapturedEvent(in TEvent value, long utcTicks, ClientIdentity identity, double samplingRate)
    {
        Value = value;
        UtcTicks = utcTicks;
        Identity = identity;
        SamplingRate = samplingRate;
    }

    public TEvent Value { get; }

    public long UtcTicks { get; }

    public ClientIdentity Identity { get; }

    public double SamplingRate { get; }
}
