using System;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>An auto-reset wake-up for the background loops, with a timeout measured on a <see cref="TimeProvider"/> (virtual time in tests).</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _source = NewSource();

    /// <summary>Wakes the waiter (or the next one). Cheap when already set.</summary>
    public void Set() => Volatile.Read(ref _source).TrySetResult();

    /// <summary>Waits until <see cref="Set"/> or <paramref name="timeout"/>; resets the signal before returning.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
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
        }

        if (source.Task.IsCompleted) Interlocked.CompareExchange(ref _source, NewSource(), source);
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
