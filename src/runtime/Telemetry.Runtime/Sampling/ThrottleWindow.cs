namespace Telemetry.Runtime;

/// <summary>Counts events in fixed windows that start at the first event after the previous window ended.</summary>
internal sealed class ThrottleWindow
{
    private readonly int _maxEvents;
    private readonly long _windowTicks;
    private readonly object _gate = new();
    private long _windowStart = long.MinValue;
    private int _count;

    public ThrottleWindow(int maxEvents, long windowTicks)
    {
        _maxEvents = maxEvents;
        _windowTicks = windowTicks;
    }

    /// <summary>True when one more event fits in the window at <paramref name="nowTicks"/> (and counts it).</summary>
    public bool TryTake(long nowTicks)
    {
        lock (_gate)
        {
            Roll(nowTicks);
            if (_count >= _maxEvents) return false;
            _count++;
            return true;
        }
    }

    /// <summary>True when one more event would fit, without counting it.</summary>
    public bool HasRoom(long nowTicks)
    {
        lock (_gate)
        {
            Roll(nowTicks);
            return _count < _maxEvents;
        }
    }

    private void Roll(long nowTicks)
    {
        if (_windowStart == long.MinValue || nowTicks - _windowStart >= _windowTicks || nowTicks < _windowStart)
        {
            _windowStart = nowTicks;
            _count = 0;
        }
    }
}
