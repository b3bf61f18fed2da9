namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>A clock that only moves when told, and whose timers never fire, so aggregation windows close only on explicit flushes.</summary>
internal sealed class FakeTime : TimeProvider
{
    private DateTimeOffset _now;

    public FakeTime(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new IdleTimer();

    private sealed class IdleTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
