using System.IO.Compression;
using System.Text;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// Bytes on the wire for watchlist.add: our generated JSON (the runtime's serialiser via the JSON client, which writes
/// the same flat wire object the pipeline sends) against the dictionary baseline's JSON with the same fields, per event
/// and per 100-event batch (<c>{"events":[...]}</c>), raw and gzip (optimal level).
/// </summary>
internal static class SizeReport
{
    public const int BatchSize = 100;

    public static SizeResult Run()
    {
        var symbols = new[] { "BTC/USDT", "ETH/USDT", "SOL/USDT", "DOGE/USDT", "XRP/USDT" };
        var sources = new[] { WatchlistAddSource.Search, WatchlistAddSource.Chart, WatchlistAddSource.Trending, WatchlistAddSource.Screenshot };
        var random = new Random(7);
        var user = Users.SampledIn(WatchlistAdd.Descriptor);
        var session = Guid.NewGuid();
        var generated = new List<string>();
        var dictionary = new List<string>();
        using (var client = new InMemoryTelemetryClient(new TelemetryClientOptions { UserId = user, SessionId = session, ClientVersion = "1.0.0" }))
        {
            var tracker = new DictionaryTracker(user, session, "1.0.0");
            for (var i = 0; i < BatchSize; i++)
            {
                var symbol = symbols[random.Next(symbols.Length)];
                var source = sources[random.Next(sources.Length)];
                var price = Math.Round((decimal)(random.NextDouble() * 50_000), 2);
                client.TrackWatchlistAdd(symbol, source, price);
                dictionary.Add(tracker.Serialize("watchlist.add", WatchlistAdd.Descriptor.EffectiveSampling, new Dictionary<string, object?>
                {
                    ["symbol"] = symbol,
                    ["source"] = source.ToString().ToLowerInvariant(),
                    ["price"] = price,
                }));
            }

            generated.AddRange(client.Events);
        }

        return new SizeResult(Measure("generated (our wire object)", generated), Measure("dictionary + JsonSerializer", dictionary), generated[0], dictionary[0]);
    }

    private static SizeRow Measure(string name, IReadOnlyList<string> events)
    {
        var perEventRaw = events.Average(e => (double)Encoding.UTF8.GetByteCount(e));
        var perEventGzip = events.Average(e => (double)Gzip(Encoding.UTF8.GetBytes(e)));
        var batch = Encoding.UTF8.GetBytes("{\"events\":[" + string.Join(",", events) + "]}");
        return new SizeRow(name, perEventRaw, perEventGzip, batch.Length, Gzip(batch));
    }

    private static int Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return (int)output.Length;
    }
}

internal sealed record SizeRow(string Format, double EventRawBytes, double EventGzipBytes, int BatchRawBytes, int BatchGzipBytes);

internal sealed record SizeResult(SizeRow Generated, SizeRow Dictionary, string GeneratedSample, string DictionarySample);
