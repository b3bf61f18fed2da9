using System;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// How a background loop waits and is woken. <see cref="ThreadSignal"/> blocks the loop's own thread: each of its waits
/// has finished when it returns, so a loop written with <c>await</c> never leaves that thread. <see cref="AsyncSignal"/>
/// awaits, on the browser page's one thread. One loop body serves both, and the signal starts it where it waits.
/// </summary>
internal interface ILoopSignal
{
    /// <summary>Starts <paramref name="loop"/> (named <paramref name="name"/> where threads have names); the task ends with it.</summary>
    Task Start(string name, Func<Task> loop);

    /// <summary>Wakes the waiter (or the next one). Cheap when already set.</summary>
    void Set();

    /// <summary>Waits until <see cref="Set"/> or <paramref name="timeout"/> and resets the signal; false when cancelled.</summary>
    ValueTask<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>Waits out <paramref name="delay"/>: <see cref="Set"/> does not cut it short, and is kept for the next wait; false when cancelled.</summary>
    ValueTask<bool> DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> to its end on the loop (its exceptions are the caller's).</summary>
    ValueTask RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken);
}
