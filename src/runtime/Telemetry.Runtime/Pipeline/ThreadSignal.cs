using System;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// An auto-reset wake-up for a loop on its own thread, with a timeout measured on a <see cref="TimeProvider"/>. With
/// <see cref="TimeProvider.System"/> the wait is the OS wait's own timeout, so no thread-pool thread takes part: the
/// loop wakes on time however busy the application keeps the pool. Any other provider (a test's virtual time) wakes it
/// through one of that provider's timers. Not disposable: a late <see cref="Set"/> from a Track call after the loop
/// stopped must not throw, and the event never creates an OS handle (its <c>WaitHandle</c> is never asked for).
/// </summary>
internal sealed class ThreadSignal : ILoopSignal
{
    private readonly ManualResetEventSlim _event = new(false, spinCount: 0);

    /// <inheritdoc/>
    /// <remarks>
    /// A background thread of its own, not the thread pool. The crash-loss window (one
    /// <see cref="TelemetryOptions.DrainInterval"/>) then holds in an application that keeps every pool thread busy or
    /// blocked, and a pass never waits for the pool to inject a thread. A pass wakes its thread directly: no work item is
    /// queued, no pool thread spins waiting for the next one, and a sink that answers at once (in process, on disk) is
    /// called without a thread switch. Every wait of this signal has finished when it returns, so the loop runs to its end
    /// on this thread; a sink's asynchronous send still completes wherever it completes (<see cref="RunAsync"/> waits).
    /// </remarks>
    public Task Start(string name, Func<Task> loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop().GetAwaiter().GetResult();
            }
            finally
            {
                done.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.UnsafeStart();
        return done.Task;
    }

    /// <inheritdoc/>
    public void Set()
    {
        if (!_event.IsSet) _event.Set();
    }

    /// <summary>Waits until <see cref="Set"/>, <paramref name="timeout"/> or cancellation; false when cancelled. Resets the signal.</summary>
    private bool Wait(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
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

    /// <inheritdoc/>
    public ValueTask<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) => new(Wait(timeout, time, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<bool> DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            Task.Delay(delay, time, cancellationToken).GetAwaiter().GetResult();
            return new(true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Blocks the loop's thread until <paramref name="work"/> has finished, wherever its awaits complete.</remarks>
    public ValueTask RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        work(cancellationToken).GetAwaiter().GetResult();
        return default;
    }
}
