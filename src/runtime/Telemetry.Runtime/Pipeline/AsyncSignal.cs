using System;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>An auto-reset wake-up for a loop that awaits (the browser's one thread), with a timeout measured on a <see cref="TimeProvider"/>.</summary>
internal sealed class AsyncSignal : ILoopSignal
{
    private TaskCompletionSource _source = NewSource();

    /// <inheritdoc/>
    /// <remarks>A task: the page's one thread runs every task.</remarks>
    public Task Start(string name, Func<Task> loop) => Task.Run(loop, CancellationToken.None);

    /// <inheritdoc/>
    public void Set() => Volatile.Read(ref _source).TrySetResult();

    /// <inheritdoc/>
    public async ValueTask<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var source = Volatile.Read(ref _source);
        if (!source.Task.IsCompleted)
        {
            try
            {
                await source.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The interval elapsed: time to look anyway.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        if (source.Task.IsCompleted) Interlocked.CompareExchange(ref _source, NewSource(), source);
        return !cancellationToken.IsCancellationRequested;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        await work(cancellationToken).ConfigureAwait(false);

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
