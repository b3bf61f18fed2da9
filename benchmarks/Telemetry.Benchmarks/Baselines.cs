using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// The hand-written tracker the generated API replaces: a <c>Dictionary&lt;string, object&gt;</c> per event, the same
/// envelope fields as our wire object, serialised with reflection-based <see cref="JsonSerializer"/> on the caller's
/// thread, then handed to a transport that does nothing.
/// </summary>
internal sealed class DictionaryTracker(string userId, Guid sessionId, string clientVersion)
{
    private readonly int _bucket = Fnv1a32.Bucket(userId);

    /// <summary>Bytes produced so far (keeps the JIT from removing the serialisation).</summary>
    public long Bytes { get; private set; }

    public void Track(string name, int sampledBuckets, double samplingRate, IReadOnlyDictionary<string, object?> properties)
    {
        if (_bucket >= sampledBuckets) return;
        var json = Serialize(name, samplingRate, properties);
        Bytes += json.Length;
    }

    public string Serialize(string name, double samplingRate, IReadOnlyDictionary<string, object?> properties)
    {
        var payload = new Dictionary<string, object?>
        {
            ["event"] = name,
            ["event_id"] = Guid.CreateVersion7(),
            ["timestamp"] = DateTimeOffset.UtcNow,
            ["session_id"] = sessionId,
            ["user_bucket"] = _bucket,
            ["sampling_rate"] = samplingRate,
            ["client_version"] = clientVersion,
            ["schema_version"] = 1,
        };
        foreach (var pair in properties) payload[pair.Key] = pair.Value;
        return JsonSerializer.Serialize(payload);
    }

    /// <summary>What a call site writes: the event's own properties in a fresh dictionary.</summary>
    // TEL4001 (string-named tracking of a catalog event) is exactly the hand-written pattern this baseline measures.
#pragma warning disable TEL4001
    public void TrackWatchlistAdd(string symbol, WatchlistAddSource source, decimal? price) =>
        Track("watchlist.add", WatchlistAdd.Descriptor.SampledBuckets, WatchlistAdd.Descriptor.EffectiveSampling, new Dictionary<string, object?>
        {
            ["symbol"] = symbol,
            ["source"] = source.ToString().ToLowerInvariant(),
            ["price"] = price,
        });
#pragma warning restore TEL4001
}

/// <summary>The same call through a <c>[LoggerMessage]</c>-generated method.</summary>
/// <remarks>
/// The source is passed as its wire name: the logging generator cannot see <see cref="WatchlistAddSource"/>, which another
/// generator (ours) produces in the same compilation, so an enum parameter would leave the method unimplemented.
/// </remarks>
internal static partial class WatchlistLog
{
    [LoggerMessage(EventId = 1, EventName = "watchlist.add", Level = LogLevel.Information, Message = "watchlist.add {Symbol} {Source} {Price}")]
    public static partial void WatchlistAdd(ILogger logger, string symbol, string source, decimal? price);

    /// <summary>The catalog's wire name of a source, without allocating.</summary>
    public static string Name(WatchlistAddSource source) => source switch
    {
        WatchlistAddSource.Search => "search",
        WatchlistAddSource.Chart => "chart",
        WatchlistAddSource.Trending => "trending",
        _ => "screenshot",
    };
}

/// <summary>
/// A minimal JSON-writing logger: each entry becomes one JSON object (event name, timestamp, the structured values)
/// written with a reused <see cref="Utf8JsonWriter"/> over a reused <see cref="ArrayBufferWriter{T}"/>.
/// </summary>
internal sealed class JsonLogger : ILogger
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public JsonLogger() => _writer = new Utf8JsonWriter(_buffer);

    public long Bytes { get; private set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("event", eventId.Name);
        _writer.WriteString("timestamp", DateTimeOffset.UtcNow);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                var (key, value) = values[i];
                if (key == "{OriginalFormat}") continue;
                switch (value)
                {
                    case null: _writer.WriteNull(key); break;
                    case string s: _writer.WriteString(key, s); break;
                    case decimal d: _writer.WriteNumber(key, d); break;
                    case int n: _writer.WriteNumber(key, n); break;
                    case double x: _writer.WriteNumber(key, x); break;
                    default: _writer.WriteString(key, value.ToString()); break;
                }
            }
        }

        _writer.WriteEndObject();
        _writer.Flush();
        Bytes += _buffer.WrittenCount;
    }
}

/// <summary>An <see cref="ITelemetryClient"/> that accepts everything and keeps nothing (aggregator flush target).</summary>
internal sealed class CountingClient : ITelemetryClient
{
    public long Count { get; private set; }

    public IPersonalDataProtector Privacy { get; } = new HmacPersonalDataProtector(new byte[32]);

    public bool IsEnabled(EventDescriptor descriptor) => true;

    public void Track<TEvent>(in TEvent telemetryEvent)
        where TEvent : struct, ITelemetryEvent<TEvent> => Count++;

    public TAggregator Aggregator<TAggregator>()
        where TAggregator : class, ITelemetryAggregator, new() => new();
}

/// <summary>User ids on either side of an event's sample.</summary>
internal static class Users
{
    public static string SampledIn(EventDescriptor descriptor) => Find(b => b < descriptor.SampledBuckets);

    public static string SampledOut(EventDescriptor descriptor) => Find(b => b >= descriptor.SampledBuckets);

    private static string Find(Func<int, bool> accept)
    {
        for (var i = 0; ; i++)
        {
            var id = "user-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (accept(Fnv1a32.Bucket(id))) return id;
        }
    }
}
