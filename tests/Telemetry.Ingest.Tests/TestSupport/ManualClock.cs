namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>A clock the test moves by hand (timers stay real).</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset? start = null) => _now = start ?? DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
