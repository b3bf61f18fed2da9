using System;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// An auto-reset wake-up for a loop on its own thread, with a timeout measured on a <see cref="TimeProvider"/>. With
/// <see cref="TimeProvider.System"/> the wait is the OS wait's own timeout, so no thread-pool thread takes part: the
/// loop wakes on time however busy the application keeps the pool. Any other provider (a test's virtual time) wakes it
/// through one of that provider's timers. Not disposable: a late <see cref="Set"/> from a Track call after the loop
/// stopped must not throw, and the event never creates an OS handle (its <c>WaitHandle</c> is never asked for).
/// </summary>
internal sealed class ThreadSignal
{
    private readonly ManualResetEventSlim _event = new(false, spinCount: 0);

    /// <summary>Wakes the waiter (or the next one). Cheap when already set.</summary>
    public void Set()
    {
        if (!_event.IsSet) _event.Set();
    }

    /// <summary>Waits until <see cref="Set"/>, <paramref name="timeout"/> or cancellation; false when cancelled. Resets the signal.</summary>
    public bool Wait(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            if (ReferenceEquals(time, TimeProvider.System))
            {
                _event.Wait(timeout, cancellationToken);
            }
            else
            {
                using var timer = time.CreateTimer(static state => ((ManualResetEventSlim)state!).Set(), _event, timeout, Timeout.InfiniteTimeSpan);
                _event.Wait(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        _event.Reset();
        return true;
    }
}
