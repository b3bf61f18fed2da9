using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Telemetry.Runtime.Tests.TestSupport;

/// <summary>
/// An ingest endpoint on 127.0.0.1 (HttpListener) that records every event id it receives and
/// counts distinct ids, as a provider that deduplicates by id would. It can hold one request
/// open (the events arrived, the answer has not) so a test can kill the sender mid-delivery.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly HashSet<int> _seqs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    public LoopbackReceiver(int port = 0, int holdRequestNumber = 0)
    {
        Port = port == 0 ? FreePort() : port;
        HoldRequestNumber = holdRequestNumber;
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/v1/batch");

    /// <summary>The 1-based request whose answer is held until <see cref="ReleaseHeld"/> (0: none).</summary>
    public int HoldRequestNumber { get; }

    /// <summary>Completes when the held request has arrived (its events are recorded).</summary>
    public Task Holding => _holding.Task;

    public int Requests => Volatile.Read(ref _requests);

    public int Distinct
    {
        get
        {
            lock (_gate) return _received.Count;
        }
    }

    public int Total
    {
        get
        {
            lock (_gate) return _received.Values.Sum();
        }
    }

    public IReadOnlyCollection<int> Seqs
    {
        get
        {
            lock (_gate) return _seqs.ToArray();
        }
    }

    public void ReleaseHeld() => _release.TrySetResult();

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.InputStream);
            lock (_gate)
            {
                foreach (var e in document.RootElement.EnumerateArray())
                {
                    var id = e.GetProperty("event_id").GetString()!;
                    _received[id] = _received.TryGetValue(id, out var n) ? n + 1 : 1;
                    if (e.TryGetProperty("seq", out var seq)) _seqs.Add(seq.GetInt32());
                }
            }

            if (number == HoldRequestNumber)
            {
                _holding.TrySetResult();
                await _release.Task;
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException or JsonException or InvalidOperationException)
        {
            // The sender was killed while we held its request: that is the point of the test.
        }
    }
}
