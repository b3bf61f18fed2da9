using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Telemetry.Runtime.Tests.TestSupport;
using Xunit.Abstractions;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>
/// The durability promise under SIGKILL: a real child process (this assembly re-launched, see
/// <see cref="DurabilityChild"/>) tracks tier-A (write-through) and tier-B (deferred) events and prints each one
/// after Track returned; it is killed at a random moment, 20 times. Every tier-A event whose Track returned must be
/// in the SQLite queue afterwards; the tier-B events lost must all have been tracked within the documented window
/// before the kill (drain interval plus one drain).
/// </summary>
public sealed class DurabilityKillTests
{
    private const int Kills = 20;

    /// <summary>Acknowledged tier-A events after which the child counts as tracking steadily.</summary>
    private const int FlowingAfter = 20;

    /// <summary>
    /// docs/runtime.md's bound for deferred loss: the drain interval (200 ms) plus one drain, which on a machine saturated by
    /// parallel test runs was measured at up to about 350 ms (the drain waits for CPU): 200 ms + 800 ms leaves room for that.
    /// </summary>
    private static readonly TimeSpan DocumentedWindow = DurabilityChild.DrainInterval + TimeSpan.FromMilliseconds(800);

    private readonly ITestOutputHelper _output;

    public DurabilityKillTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Killed_20_times_write_through_loses_nothing_acknowledged_and_deferred_loses_only_the_last_drain_window()
    {
        if (OperatingSystem.IsWindows()) return; // SIGKILL semantics.
        using var root = new TempDirectory();
        var random = new Random(21);
        long ackedA = 0, lostA = 0, ackedB = 0, lostB = 0, killsWithDeferredLoss = 0;
        var windows = new List<double>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var directory = Path.Combine(root.Path, "kill-" + kill.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            var acked = new Dictionary<(char Tier, int Seq), long>();
            DateTime killedAt;
            using (var child = StartChild(directory))
            {
                // Kill at a random moment once events are flowing (a busy machine can be slow to get there).
                var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var reader = ReadAsync(child, acked, flowing);
                await flowing.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await Task.Delay(random.Next(50, 300));
                killedAt = DateTime.UtcNow;
                child.Kill(); // SIGKILL: no shutdown code runs
                await child.WaitForExitAsync();
                await reader;
            }

            var durable = QueuedSeqs(directory);
            var a = acked.Keys.Where(k => k.Tier == 'a').Select(k => k.Seq).ToList();
            var b = acked.Where(k => k.Key.Tier == 'b').ToList();
            var missingA = a.Where(s => !durable.Contains(('a', s))).ToList();
            var missingB = b.Where(p => !durable.Contains(('b', p.Key.Seq))).ToList();
            ackedA += a.Count;
            lostA += missingA.Count;
            ackedB += b.Count;
            lostB += missingB.Count;
            if (missingB.Count > 0)
            {
                killsWithDeferredLoss++;
                var window = killedAt - new DateTime(missingB.Min(p => p.Value), DateTimeKind.Utc);
                windows.Add(window.TotalMilliseconds);
            }

            _output.WriteLine($"kill {kill}: A acked {a.Count}, lost {missingA.Count} [{string.Join(",", missingA.Take(5))}]; B acked {b.Count}, lost {missingB.Count}" +
                (missingB.Count > 0 ? $", oldest lost {windows[^1]:0} ms before the kill" : string.Empty));
            Assert.Empty(missingA);
            Assert.True(a.Count >= FlowingAfter, $"kill {kill}: the child acknowledged only {a.Count} tier-A events before the kill");
        }

        var worst = windows.Count == 0 ? 0 : windows.Max();
        _output.WriteLine($"{Kills} kills: tier A (write-through) {ackedA} acknowledged, {lostA} lost; tier B (deferred) {ackedB} acknowledged, {lostB} lost in {killsWithDeferredLoss} kills, " +
            $"{(double)lostB / Kills:0.0} per kill; oldest lost event {worst:0} ms before its kill (median {Median(windows):0} ms)");
        Assert.Equal(0, lostA);
        Assert.True(killsWithDeferredLoss >= Kills / 2, "the kills should land while deferred events were in flight (else the test proves nothing)");
        Assert.All(windows, w => Assert.True(w <= DocumentedWindow.TotalMilliseconds, $"a deferred event tracked {w:0} ms before the kill was lost: over the documented {DocumentedWindow.TotalMilliseconds} ms"));
    }

    private static double Median(List<double> values) => values.Count == 0 ? 0 : values.OrderBy(v => v).ElementAt(values.Count / 2);

    private static HashSet<(char, int)> QueuedSeqs(string directory)
    {
        using var queue = new SqliteOfflineQueue(directory);
        var seqs = new HashSet<(char, int)>();
        foreach (var e in queue.Lease(int.MaxValue, long.MaxValue))
        {
            using var json = JsonDocument.Parse(e.Event.Json);
            var tier = e.Event.Name == "probe.milestone" ? 'a' : e.Event.Name == "probe.step" ? 'b' : '?';
            seqs.Add((tier, json.RootElement.GetProperty("seq").GetInt32()));
        }

        return seqs;
    }

    private static Process StartChild(string directory)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host)) host = "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", typeof(DurabilityKillTests).Assembly.Location, DurabilityChild.Verb, directory }) start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
    }

    /// <summary>Reads every acknowledged event until the pipe closes; a torn last line (the kill) is ignored.</summary>
    private static async Task ReadAsync(Process child, Dictionary<(char, int), long> acked, TaskCompletionSource flowing)
    {
        await Task.Yield();
        var tierA = 0;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("a ", StringComparison.Ordinal) && ++tierA == FlowingAfter) flowing.TrySetResult();

            var parts = line.Split(' ');
            if (parts.Length != 3 || parts[0].Length != 1) continue;
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) continue;
            if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || parts[2].Length < 18) continue;
            lock (acked) acked[(parts[0][0], seq)] = ticks;
        }

        flowing.TrySetException(new InvalidOperationException("the child exited before tracking: " + await child.StandardError.ReadToEndAsync()));
    }
}
