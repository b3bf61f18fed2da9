using System.Diagnostics;
using Telemetry.Runtime.Tests.TestSupport;
using Xunit.Abstractions;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>
/// The at-least-once proof: a child process (this assembly re-launched) tracks numbered events into
/// the SQLite queue and delivers them to a loopback receiver; it is killed with SIGKILL while the
/// receiver holds one of its requests. A restarted child delivers the rest. The receiver, which
/// dedups by event id as providers do, ends up with every event exactly once.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Events = 1_000;
    private readonly ITestOutputHelper _output;

    public CrashRecoveryTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_child_killed_mid_delivery_and_restarted_delivers_every_event_exactly_once_by_id()
    {
        if (OperatingSystem.IsWindows()) return; // SIGKILL semantics; Process.Kill is TerminateProcess there, also fine but untested.
        using var directory = new TempDirectory();
        await using var receiver = new LoopbackReceiver(holdRequestNumber: 3);

        using (var producer = StartChild("produce", directory.Path, receiver.Endpoint))
        {
            var queued = WaitForLine(producer, "queued", TimeSpan.FromSeconds(60));
            var held = receiver.Holding.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.WhenAll(queued, held);

            producer.Process.Kill(); // SIGKILL: no shutdown code runs
            await producer.Process.WaitForExitAsync();
            _output.WriteLine($"killed after {receiver.Requests} request(s), {receiver.Distinct} distinct event(s) received");
        }

        receiver.ReleaseHeld();
        var beforeRestart = receiver.Distinct;
        Assert.InRange(beforeRestart, 1, Events - 1);

        string resends;
        using (var resumed = StartChild("resume", directory.Path, receiver.Endpoint))
        {
            resends = await ReadLineStartingWith(resumed, "resent ", TimeSpan.FromSeconds(60));
            await WaitForLine(resumed, "drained", TimeSpan.FromSeconds(60));
            await resumed.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, resumed.Process.ExitCode);
        }

        _output.WriteLine($"received {receiver.Total} event(s) in {receiver.Requests} request(s); {receiver.Total - receiver.Distinct} duplicate(s) removed by id");
        Assert.Equal(Events, receiver.Distinct);
        Assert.Equal(Enumerable.Range(0, Events), receiver.Seqs.OrderBy(x => x));
        Assert.True(receiver.Total >= Events);

        // Every duplicate the receiver got is a counted resend: the held batch, replayed after the crash.
        var duplicates = receiver.Total - receiver.Distinct;
        Assert.True(duplicates > 0);
        Assert.Equal($"resent {duplicates} crash_replay {duplicates}", resends);
        using var queue = new SqliteOfflineQueue(directory.Path);
        Assert.Equal(0, queue.Count);
    }

    private static Child StartChild(string mode, string directory, Uri endpoint)
    {
        var assembly = typeof(CrashRecoveryTests).Assembly.Location;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host)) host = "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", assembly, CrashChild.Verb, mode, directory, endpoint.ToString(), Events.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
        return new Child(process);
    }

    private static async Task<string> ReadLineStartingWith(Child child, string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var read = await child.Process.StandardOutput.ReadLineAsync(cts.Token)
                ?? throw new InvalidOperationException($"the child exited before '{prefix}': {await child.Process.StandardError.ReadToEndAsync(cts.Token)}");
            if (read.StartsWith(prefix, StringComparison.Ordinal)) return read.Trim();
        }
    }

    private static async Task WaitForLine(Child child, string line, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var read = await child.Process.StandardOutput.ReadLineAsync(cts.Token);
            if (read is null)
            {
                var error = await child.Process.StandardError.ReadToEndAsync(cts.Token);
                throw new InvalidOperationException($"the child exited before '{line}': {error}");
            }

            if (read.Trim() == line) return;
        }
    }

    private sealed class Child : IDisposable
    {
        public Child(Process process) => Process = process;

        public Process Process { get; }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
