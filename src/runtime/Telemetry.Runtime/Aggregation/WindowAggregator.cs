using System;
using System.Collections.Generic;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// The window logic of every generated aggregator: groups, the window and its bounds, the pending count, and a flush that
/// emits one aggregate event per group outside the lock. A generated aggregator only adds its typed <c>Record</c> (which
/// folds one interaction into its group's state under <see cref="Gate"/>) and how a group's state becomes the aggregate event.
/// Recording allocates nothing after a group's first sample.
/// </summary>
/// <typeparam name="TKey">The group key (a value tuple of the group-by values, or a byte when there is one group).</typeparam>
/// <typeparam name="TState">The generated state of one group.</typeparam>
/// <typeparam name="TEvent">The aggregate event.</typeparam>
/// <remarks>Serves generated code; not meant to be called by hand.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public abstract class WindowAggregator<TKey, TState, TEvent> : ITelemetryAggregator
    where TKey : notnull
    where TState : AggregateState, new()
    where TEvent : struct, ITelemetryEvent<TEvent>
{
    private readonly Dictionary<TKey, TState> _groups = new();
    private TState? _lastState;
    private TKey _lastKey = default!;
    private long _pending;
    private TimeSpan _window;

    /// <summary>Creates the aggregator with the catalog's window.</summary>
    protected WindowAggregator(int windowMs) => _window = TimeSpan.FromMilliseconds(windowMs);

    /// <summary>The lock a generated <c>Record</c> holds while it calls <see cref="Enter"/> and folds its values.</summary>
    protected object Gate { get; } = new();

    /// <inheritdoc/>
    public EventDescriptor Descriptor => TEvent.Descriptor;

    /// <inheritdoc/>
    public TimeSpan Window
    {
        get
        {
            lock (Gate) return _window;
        }

        set
        {
            if (value < AggregatorRegistry.MinWindow || value > AggregatorRegistry.MaxWindow)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The window must be 1..60 s.");
            }

            lock (Gate) _window = value;
        }
    }

    /// <inheritdoc/>
    public long PendingCount => Interlocked.Read(ref _pending);

    /// <summary>
    /// The state of <paramref name="key"/>'s group with this interaction counted (its <see cref="AggregateState.Count"/>
    /// is 1 for the window's first); call it holding <see cref="Gate"/>.
    /// </summary>
    protected TState Enter(TKey key)
    {
        var state = _lastState;
        if (state is null || !EqualityComparer<TKey>.Default.Equals(_lastKey, key))
        {
            if (!_groups.TryGetValue(key, out state))
            {
                state = new TState();
                _groups.Add(key, state);
            }

            _lastState = state;
            _lastKey = key;
        }

        state.Count++;
        _pending++;
        return state;
    }

    /// <summary>The aggregate event of one group's window.</summary>
    /// <param name="key">The group.</param>
    /// <param name="state">Its state (at least one interaction).</param>
    /// <param name="windowMs">The window length in milliseconds.</param>
    protected abstract TEvent Create(TKey key, TState state, int windowMs);

    /// <inheritdoc/>
    public int Flush(ITelemetryClient client) => Flush(client, out _);

    /// <inheritdoc/>
    public int Flush(ITelemetryClient client, out long folded)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ready = new List<TEvent>();
        lock (Gate)
        {
            var windowMs = (int)_window.TotalMilliseconds;
            List<TKey>? idle = null;
            foreach (var pair in _groups)
            {
                if (pair.Value.Count == 0)
                {
                    (idle ??= new List<TKey>()).Add(pair.Key);
                    continue;
                }

                ready.Add(Create(pair.Key, pair.Value, windowMs));
                pair.Value.Reset();
            }

            if (idle is not null)
            {
                foreach (var key in idle) _groups.Remove(key);
                _lastState = null;
            }

            // Under the lock Record holds while it counts: exactly the interactions in the events below.
            folded = Interlocked.Exchange(ref _pending, 0);
        }

        // Emit outside the lock: the client may block briefly, and Record must not wait on it.
        foreach (var evt in ready) client.Track(evt);
        return ready.Count;
    }
}

/// <summary>The state of one group in a window; generated aggregators add their statistics' fields.</summary>
/// <remarks>Serves generated code; not meant to be called by hand.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public abstract class AggregateState
{
    /// <summary>Interactions in the current window.</summary>
    public long Count;

    /// <summary>Starts a new window: clears <see cref="Count"/>; generated states also clear their sums and optional bounds.</summary>
    public virtual void Reset() => Count = 0;
}

/// <summary>Heatmap cells of aggregated pointer positions.</summary>
/// <remarks>Serves generated code; not meant to be called by hand.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class AggregateHeatmap
{
    /// <summary>The index (row-major) of the cell of screen position (<paramref name="x"/>, <paramref name="y"/>), clamped to the grid.</summary>
    public static int Cell(long x, long y, int columns, int rows, int width, int height)
    {
        var column = (int)Math.Clamp(x * columns / width, 0, columns - 1);
        var row = (int)Math.Clamp(y * rows / height, 0, rows - 1);
        return (row * columns) + column;
    }
}
