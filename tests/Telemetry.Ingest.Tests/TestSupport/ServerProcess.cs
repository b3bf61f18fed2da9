using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>samples/IngestServer run as a child process (<c>dotnet IngestServer.dll</c>), so it can be killed with SIGKILL.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IngestHost.WriteKey);
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IngestHost.AdminKey);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    public int Id => _process.Id;

    public static async Task<ServerProcess> StartAsync(string dataPath, string? postgres = null)
    {
        var dll = Repo.IngestServerDll;
        Assert.True(File.Exists(dll), "The sample server is not built: " + dll);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataPath,
        };
        foreach (var a in new[]
        {
            dll, "--urls", "http://127.0.0.1:0", "--data", dataPath,
            "--Ingest:Projects:0:Name", "test", "--Ingest:Projects:0:WriteKey", IngestHost.WriteKey,
            "--Ingest:AdminKey", IngestHost.AdminKey,
            "--Ingest:RateLimit:Enabled", "false",
            "--Logging:LogLevel:Default", "Warning",
        })
        {
            start.ArgumentList.Add(a);
        }

        if (postgres is not null)
        {
            start.ArgumentList.Add("--postgres");
            start.ArgumentList.Add(postgres);
        }

        var process = Process.Start(start)!;
        var lines = new List<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            var m = ListeningLine().Match(e.Data);
            if (m.Success) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != listening.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            string log;
            lock (lines) log = string.Join(Environment.NewLine, lines);
            throw new InvalidOperationException("The sample server did not start:" + Environment.NewLine + log);
        }

        var server = new ServerProcess(process, await listening.Task);
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false); // SIGKILL on Unix
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
