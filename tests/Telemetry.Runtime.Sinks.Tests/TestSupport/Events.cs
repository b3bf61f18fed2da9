using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Telemetry.Runtime.Sinks.Tests.TestSupport;

/// <summary>Builds <see cref="OutgoingEvent"/>s by hand: our flat wire object, as the pipeline would.</summary>
public static class Events
{
    private static long _counter;

    public static readonly DateTimeOffset Time = new(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);

    /// <summary>A UUIDv7 session id created at <see cref="SessionStart"/>.</summary>
    public static readonly Guid Session = UuidV7(SessionStart);

    public static DateTimeOffset SessionStart => new(2026, 11, 23, 11, 30, 0, 0, TimeSpan.Zero);

    public static OutgoingEvent Watchlist(
        string? userId = "user-42",
        string? anonymousId = "device-7f3a",
        string symbol = "BTC/USDT",
        Guid? session = null,
        string name = "watchlist.add",
        string? extraProperty = null)
    {
        var id = UuidV7(Time);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("event", name);
            w.WriteString("event_id", id);
            w.WriteString("timestamp", Time);
            w.WriteString("session_id", session ?? Session);
            w.WriteNumber("user_bucket", 1234);
            w.WriteNumber("sampling_rate", 0.1);
            w.WriteString("client_version", "1.4.2");
            w.WriteNumber("schema_version", 1);
            if (userId is not null) w.WriteString("user_id", userId);
            if (anonymousId is not null) w.WriteString("anonymous_id", anonymousId);
            w.WriteString("symbol", symbol);
            w.WriteString("source", "search");
            w.WriteNumber("price", 1.2m);
            if (extraProperty is not null) w.WriteString("note", extraProperty);
            w.WriteEndObject();
        }

        return new OutgoingEvent(id, name, EventTier.A, Time, userId, anonymousId, buffer.WrittenMemory.ToArray());
    }

    /// <summary>A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, variant 10, a counter for uniqueness.</summary>
    public static Guid UuidV7(DateTimeOffset time)
    {
        var ms = time.ToUnixTimeMilliseconds();
        var n = Interlocked.Increment(ref _counter);
        Span<byte> b = stackalloc byte[16];
        for (var i = 0; i < 6; i++) b[i] = (byte)(ms >> (40 - 8 * i));
        b[6] = 0x70;
        b[8] = 0x80;
        BitConverter.TryWriteBytes(b.Slice(9, 4), (int)n);
        Random.Shared.NextBytes(b[13..]);
        return new Guid(b, bigEndian: true);
    }

    public static OutgoingEvent[] Several(int count) => Enumerable.Range(0, count).Select(i => Watchlist(symbol: "PAIR" + i)).ToArray();

    public static string Text(this OutgoingEvent e) => Encoding.UTF8.GetString(e.Json.Span);

    /// <summary>A loopback port nothing listens on (taken, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string BasicOf(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
