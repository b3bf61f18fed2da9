using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Telemetry.Runtime.Tests.Pipeline;

/// <summary>
/// The contract both background-loop hosts rely on (<see cref="ILoopSignal"/>): a wake-up ends a wait, a timeout ends it
/// too, cancellation answers false, a wake-up during a delay neither cuts it short nor is lost, and work run on the loop
/// has finished when the call returns (on a thread of its own) or when it is awaited (in a browser).
/// </summary>
public sealed class LoopSignalTests
{
    public static TheoryData<string> Signals => new() { "thread", "async" };

    private static ILoopSignal Create(string kind) => kind == "thread" ? new ThreadSignal() : new AsyncSignal();

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task A_wake_up_ends_a_wait_once_and_the_next_wait_runs_to_its_timeout(string kind)
    {
        var signal = Create(kind);
        signal.Set();
        signal.Set(); // a second wake-up before the wait is the same wake-up
        var clock = Stopwatch.StartNew();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));

        clock.Restart();
        Assert.True(await signal.WaitAsync(TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"the wait ended after {clock.Elapsed.TotalMilliseconds:0} ms, before its timeout");
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task A_wait_on_virtual_time_ends_when_the_clock_passes_its_timeout(string kind)
    {
        var signal = Create(kind);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var wait = Task.Run(async () => await signal.WaitAsync(TimeSpan.FromMinutes(5), time, CancellationToken.None));
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Cancellation_ends_a_wait_and_a_delay_with_false(string kind)
    {
        var signal = Create(kind);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.False(await Task.Run(async () => await signal.WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System, cancel.Token)).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(await Task.Run(async () => await signal.DelayAsync(TimeSpan.FromMinutes(5), TimeProvider.System, cancel.Token)).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task A_wake_up_during_a_delay_does_not_cut_it_short_and_is_kept_for_the_next_wait(string kind)
    {
        var signal = Create(kind);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var delay = Task.Run(async () => await signal.DelayAsync(TimeSpan.FromSeconds(30), time, CancellationToken.None));
        await Task.Delay(100);
        signal.Set();
        await Task.Delay(100);
        Assert.False(delay.IsCompleted, "a wake-up cut the delay short");
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await delay.WaitAsync(TimeSpan.FromSeconds(10)));

        // The wake-up is still there: the next wait returns at once, without the clock moving.
        var wait = Task.Run(async () => await signal.WaitAsync(TimeSpan.FromMinutes(5), time, CancellationToken.None));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Work_run_on_a_loop_thread_has_finished_when_the_call_returns_wherever_its_awaits_complete()
    {
        var signal = new ThreadSignal();
        var finished = false;
        var call = signal.RunAsync(
            async _ =>
            {
                await Task.Delay(50).ConfigureAwait(false); // completes on another thread
                finished = true;
            },
            CancellationToken.None);

        Assert.True(call.IsCompleted);
        Assert.True(finished);
        await call;
    }
}
