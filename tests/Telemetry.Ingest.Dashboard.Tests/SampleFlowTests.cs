using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Telemetry.Ingest.Dashboard.Tests.TestSupport;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Dashboard.Tests;

/// <summary>
/// The samples as docs/dashboard.md tells a person to run them: <c>samples/IngestServer</c> with no options (it creates and
/// prints its keys), then <c>samples/ChartApp --ingest URL --write-key KEY</c>; signing in with the printed admin key, the
/// coverage, validation, heatmap and errors views are filled.
/// </summary>
public sealed partial class SampleFlowTests
{
    [Fact]
    public async Task After_ChartApp_sends_to_the_sample_server_the_coverage_validation_heatmap_and_errors_views_are_filled()
    {
        using var folder = new TempFolder();
        await using var server = await SampleProcess.StartAsync(Dll("IngestServerDll"), folder.Path, "--urls", "http://127.0.0.1:0", "--data", folder.Path);
        var address = server.Match(ListeningLine(), TimeSpan.FromSeconds(120));
        var writeKey = server.Match(WriteKeyLine(), TimeSpan.FromSeconds(10));
        var adminKey = server.Match(AdminKeyLine(), TimeSpan.FromSeconds(10));

        // ChartApp in real time for 12 s: crosshair aggregates (heatmaps), clicks, one captured error, and an old build's events.
        await using (var app = await SampleProcess.StartAsync(Dll("ChartAppDll"), folder.Path, "--ingest", address, "--write-key", writeKey, "--seconds", "12", "--quiet"))
        {
            var exit = await app.WaitForExitAsync(TimeSpan.FromMinutes(4));
            Assert.True(exit == 0, $"ChartApp exited with {exit}:{Environment.NewLine}{app.Output}");
        }

        var serverLog = server.Output; // for failure messages
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        using (var signIn = await DashboardHost.SignInAsync(client, adminKey)) Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);

        // The sample's rollup job runs every 5 s: wait (bounded) until the coverage view shows what the database holds.
        var stored = new Dictionary<string, long>();
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(folder.Path, "ingest.db") + ";Mode=ReadOnly"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT event, COUNT(*) FROM events GROUP BY event";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored[reader.GetString(0)] = reader.GetInt64(1);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string coverage;
        while (true)
        {
            coverage = await client.GetStringAsync("/dashboard/coverage");
            if (stored.All(e => Volume(coverage, e.Key) == e.Value) || DateTime.UtcNow > deadline) break;
            await Task.Delay(1000);
        }

        foreach (var (name, count) in stored) Assert.True(Volume(coverage, name) == count, $"coverage: {name} shows {Volume(coverage, name)}, the database holds {count}" + Environment.NewLine + serverLog);
        Assert.True(stored.GetValueOrDefault("chart.crosshair_agg") > 0, "no chart.crosshair_agg stored" + Environment.NewLine + serverLog);
        Assert.True(stored.Count >= 2, $"coverage: only {stored.Count} catalog events with a volume");
        Assert.Contains("<tr data-event=\"chart.crosshair_hover\">", coverage); // the old build's event the catalog does not define

        var validation = await client.GetStringAsync("/dashboard/validation");
        Assert.Matches("<tr data-event=\"chart.zoom\" data-property=\"method\" data-reason=\"enum\">.*?data-metric=\"count\">2<", validation);
        Assert.Contains("0.9.0", validation);

        var heatmap = await client.GetStringAsync("/dashboard/heatmap");
        var hits = Regex.Match(heatmap, "id=\"heatmap-chart-crosshair-agg-total\" data-metric=\"hits\">([0-9,]+)<");
        Assert.True(hits.Success && Num(hits.Groups[1].Value) > 0, "heatmap: no crosshair positions");

        // ChartApp's one captured error (the quote feed), scrubbed: no token, no e-mail address.
        var errors = await client.GetStringAsync("/dashboard/errors");
        var issue = Regex.Match(errors, "<tr data-project=\"default\" data-fingerprint=\"([0-9a-f]+)\" data-status=\"open\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(issue.Success, "errors: no open issue");
        Assert.Contains("System.InvalidOperationException", issue.Groups[2].Value);
        Assert.Contains("Quote feed for", issue.Groups[2].Value);
        foreach (var page in new[] { coverage, validation, heatmap, errors })
        {
            Assert.DoesNotContain("demo-secret-token", page);
            Assert.DoesNotContain("jane@example.com", page);
            Assert.DoesNotContain(adminKey, page);
            Assert.DoesNotContain(writeKey, page);
        }
    }

    private static string Dll(string key) =>
        typeof(SampleFlowTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static long Volume(string coverage, string name) =>
        Regex.Match(coverage, "<tr data-event=\"" + Regex.Escape(name) + "\">.*?data-metric=\"volume\">([0-9,]+)<") is { Success: true } m ? Num(m.Groups[1].Value) : 0;

    private static long Num(string text) => long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"write key: (wk_[0-9a-f]+)")]
    private static partial Regex WriteKeyLine();

    [GeneratedRegex(@"admin key: (ak_[0-9a-f]+)")]
    private static partial Regex AdminKeyLine();

    /// <summary>A sample run with <c>dotnet X.dll</c>; its output collected; killed at dispose if still running.</summary>
    private sealed class SampleProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = new();

        private SampleProcess(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_lines) return string.Join(Environment.NewLine, _lines);
            }
        }

        public static Task<SampleProcess> StartAsync(string dll, string workingDirectory, params string[] args)
        {
            Assert.True(File.Exists(dll), "The sample is not built: " + dll);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
            start.ArgumentList.Add(dll);
            foreach (var a in args) start.ArgumentList.Add(a);

            // The sample server keeps its keys and SQLite file under --data; nothing of the user's profile is touched.
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            var process = new Process { StartInfo = start };
            var sample = new SampleProcess(process);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (sample._lines) sample._lines.Add(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sample._lines) sample._lines.Add(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return Task.FromResult(sample);
        }

        /// <summary>The first capture of <paramref name="pattern"/> in the output, waiting up to <paramref name="timeout"/>.</summary>
        public string Match(Regex pattern, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var m = pattern.Match(Output);
                if (m.Success) return m.Groups[1].Value;
                if (_process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException($"'{pattern}' not in the output of the sample:{Environment.NewLine}{Output}");
                Thread.Sleep(100);
            }
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The sample did not finish within {timeout}:{Environment.NewLine}{Output}");
            }

            _process.WaitForExit(); // drains the output
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
