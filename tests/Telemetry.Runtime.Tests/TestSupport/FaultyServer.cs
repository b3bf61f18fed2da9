using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telemetry.Runtime.Tests.TestSupport;

/// <summary>What <see cref="FaultyServer"/> does with one request (after reading all of it).</summary>
internal enum Fault
{
    Ok,
    ServerError,
    TooManyRequests,
    Hang,
    Reset,
}

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that reads each request completely (so its events did arrive) and then answers
/// per a script: 200, 500, 429, no answer at all (a timeout), or a TCP reset. It counts the events each request carried
/// (the number of <c>"event_id"</c> occurrences in the body), as a provider would have received them.
/// </summary>
internal sealed class FaultyServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Queue<Fault> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _bodies = new();
    private int _eventsReceived;

    public FaultyServer(params Fault[] script)
    {
        _script = new Queue<Fault>(script);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Bodies of every request that arrived completely, in order.</summary>
    public IReadOnlyList<string> Bodies
    {
        get
        {
            lock (_bodies) return _bodies.ToArray();
        }
    }

    /// <summary>Events in every request that arrived completely, whatever the answer.</summary>
    public int EventsReceived => Volatile.Read(ref _eventsReceived);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var body = await ReadRequestAsync(stream);
                if (body is null) return;
                Interlocked.Add(ref _eventsReceived, Count(body, "\"event_id\""));
                lock (_bodies) _bodies.Add(body);
                Fault fault;
                lock (_script) fault = _script.Count > 1 ? _script.Dequeue() : _script.Count == 1 ? _script.Peek() : Fault.Ok;
                switch (fault)
                {
                    case Fault.Hang:
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    case Fault.Reset:
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    default:
                        var (status, text) = fault switch
                        {
                            Fault.ServerError => (500, "Internal Server Error"),
                            Fault.TooManyRequests => (429, "Too Many Requests"),
                            _ => (200, "OK"),
                        };
                        // One request per connection: a reused connection would let HttpClient retry a reset request by itself.
                        var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {text}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");
                        await stream.WriteAsync(answer, _stop.Token);
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private static async Task<string?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0) return null;
            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        var headers = Encoding.ASCII.GetString(buffer.ToArray(), 0, headerEnd);
        var length = 0;
        foreach (var line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        while (buffer.Count < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0) return null;
            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        return Encoding.UTF8.GetString(buffer.ToArray(), headerEnd + 4, length);
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++) match = buffer[i + j] == pattern[j];
            if (match) return i;
        }

        return -1;
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
