using System.Diagnostics;
using System.Globalization;
using System.Text;
using Telemetry.Events;
using Telemetry.Runtime;

// ChartApp: a user moving the crosshair over a chart at 50 Hz, plus watchlist, replay and order clicks,
// all through the generated, typed API. Time is simulated, so a minute of chart use runs in moments.
//   dotnet run --project samples/ChartApp -- [--seconds 60] [--rate 50] [--price 0.001] [--user user-42] [--quiet]
//   dotnet run --project samples/ChartApp -- --ingest http://127.0.0.1:5080 --write-key wk_... [--seconds 10]
//     (sends through the runtime pipeline and IngestSink to samples/IngestServer, in real time; then three events of an
//     older build, 0.9.0, that the server rejects, for the dashboard's validation view)
var options = ChartAppOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: ChartApp [--seconds N] [--rate HZ] [--price USD_PER_EVENT] [--user ID] [--quiet] [--ingest URL --write-key KEY]");
    return 2;
}

var inv = CultureInfo.InvariantCulture;
var privacy = new HmacPersonalDataProtector(Encoding.UTF8.GetBytes("chartapp-demo-key-change-me-0001"));
var stopwatch = Stopwatch.StartNew();
var progress = new ProgressLine(enabled: !Console.IsErrorRedirected);
var run = new RunCounts();

// Console (default): simulated time, so a minute of chart use runs in moments, every event printed as JSON.
// --ingest: the production pipeline (capture, background serialisation, durable queue, batched delivery) posting to the
// IngestServer sample through IngestSink, in real time (the pipeline's aggregation windows and delivery run on the clock).
ChartAppSink? ingestSink = null;
if (options.IngestUrl is null)
{
    var clock = new SimulatedClock(new DateTimeOffset(2025, 11, 10, 12, 0, 0, TimeSpan.Zero));
    var output = new CountingWriter(options.Quiet ? TextWriter.Null : Console.Out);
    using var telemetry = new ConsoleTelemetryClient(new TelemetryClientOptions
    {
        UserId = options.UserId,
        ClientVersion = "1.0.0",
        Time = clock,
        Privacy = privacy,
    }, output);
    Simulate(telemetry, options, run, progress, () => clock.GetUtcNow(), by => clock.Advance(by), () => telemetry.FlushDueWindows());

    // Dispose flushes the open window.
    telemetry.FlushAggregates();
    run.Sent = telemetry.EventsWritten;
    run.Bytes = output.Bytes;
    run.AggregateEvents = output.AggregateEvents;
    run.UserBucket = telemetry.UserBucket;
}
else
{
    var pipeline = TelemetryPipeline.CreateBuilder()
        .Configure(o =>
        {
            o.ApplicationName = "ChartApp";
            o.ClientVersion = "1.0.0";
            o.UserId = options.UserId;
            o.Privacy = privacy;
            o.FlushInterval = TimeSpan.FromSeconds(2);
        })
        .WithSink(http => ingestSink = new ChartAppSink(new IngestSink(http, new IngestSinkOptions { BaseUrl = options.IngestUrl, WriteKey = options.WriteKey! })))
        .Build();
    await using (pipeline)
    {
        var start = Stopwatch.GetTimestamp();
        var elapsed = TimeSpan.Zero;
        Simulate(pipeline, options, run, progress, () => DateTimeOffset.UtcNow, by =>
        {
            // Real time: wait for the next pointer sample.
            elapsed += by;
            var wait = elapsed - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        }, () => { });
        run.UserBucket = pipeline.UserBucket;
        progress.Write("delivering...");
        await pipeline.StopAsync();   // flushes the open windows, then delivers what is queued (ShutdownTimeout)
        var stats = pipeline.Statistics;
        run.Sent = ingestSink!.Delivered;
        run.Bytes = ingestSink.Bytes;
        run.AggregateEvents = ingestSink.AggregateEvents;
        run.PipelineSummary = $"pipeline         : tracked {stats.Tracked.ToString("N0", inv)}, sent {stats.Sent.ToString("N0", inv)}, dropped {stats.Dropped.ToString("N0", inv)}, retried {stats.Retried.ToString("N0", inv)}, left queued {stats.QueueDepth.ToString("N0", inv)} ({pipeline.QueueLocation})";
    }

    // An older build of the app is still in the field: its events predate the catalog's current definitions, so the
    // server rejects them (the dashboard's validation and coverage views show which and why).
    run.LegacyRejected = await OldBuild.SendAsync(options.IngestUrl, options.WriteKey!, options.UserId);
}

stopwatch.Stop();
progress.Clear();
var rawCost = run.Raw * options.PricePerEvent;
var sentCost = run.Sent * options.PricePerEvent;
Console.Error.WriteLine();
Console.Error.WriteLine($"user {options.UserId} (bucket {run.UserBucket}), {options.Seconds.ToString(inv)} s {(options.IngestUrl is null ? "simulated" : "real time")} at {options.RateHz.ToString(inv)} Hz in {stopwatch.ElapsedMilliseconds} ms{(options.IngestUrl is null ? "" : ", sent to " + options.IngestUrl)}");
Console.Error.WriteLine($"raw interactions : {run.Raw.ToString("N0", inv)}");
Console.Error.WriteLine($"events sent      : {run.Sent.ToString("N0", inv)} ({(run.Raw == 0 ? 0 : (double)run.Raw / Math.Max(1, run.Sent)).ToString("0.#", inv)}x fewer)");
Console.Error.WriteLine($"bytes sent       : {run.Bytes.ToString("N0", inv)}");
if (run.PipelineSummary is not null) Console.Error.WriteLine(run.PipelineSummary);
if (run.LegacyRejected is { } legacy) Console.Error.WriteLine($"old build {OldBuild.Version}  : {OldBuild.Events} events sent, {legacy} rejected by the server's validation (see /dashboard/validation)");
if (run.ErrorFingerprint is not null) Console.Error.WriteLine($"errors captured  : 1 (error.captured, fingerprint {run.ErrorFingerprint}{(options.IngestUrl is null ? "" : "; list it with GET /admin/errors")})");
Console.Error.WriteLine($"cost @ ${options.PricePerEvent.ToString(inv)}/event: ${rawCost.ToString("0.000", inv)} if every interaction were an event, ${sentCost.ToString("0.000", inv)} with sampling and aggregation");

// The crosshair scenario (the cost tool's defaults), extrapolated from this run's per-second rates: users × 3,600 s × rate × days (a month, not a day).
// One user is either inside or outside each event's sample, so the sent side uses the expected rate of an average user:
// every non-aggregated call weighted by its event's sampling rate, plus the aggregate events every user sends.
const int Users = 1500, HoursPerDay = 1, Days = 30;
var rawRate = run.Raw / options.Seconds;
var expectedSentRate = (run.ExpectedSampled + run.AggregateEvents) / options.Seconds;
var perUserSeconds = 3600.0 * HoursPerDay * Days;
var rawMonth = Users * perUserSeconds * rawRate;
var sentMonth = Users * perUserSeconds * expectedSentRate;
Console.Error.WriteLine($"month (scenario): {Users.ToString("N0", inv)} users × {HoursPerDay} h/day × {Days} days = {Users.ToString("N0", inv)} × 3,600 × rate × {Days}");
Console.Error.WriteLine($"  raw            : {rawRate.ToString("0.###", inv)}/s per user → {rawMonth.ToString("N0", inv)} events/month, ${(rawMonth * (double)options.PricePerEvent).ToString("N2", inv)}/month");
Console.Error.WriteLine($"  sent (expected): {expectedSentRate.ToString("0.####", inv)}/s per average user → {sentMonth.ToString("N0", inv)} events/month, ${(sentMonth * (double)options.PricePerEvent).ToString("N2", inv)}/month ({(rawMonth == 0 ? 0 : 100 * (1 - (sentMonth / rawMonth))).ToString("0.###", inv)} % saved)");

return 0;

static void Simulate(ITelemetryClient telemetry, ChartAppOptions options, RunCounts run, ProgressLine progress, Func<DateTimeOffset> now, Action<TimeSpan> advance, Action flushDue)
{
    var random = new Random(42);
    var replayId = Guid.Parse("0192f4a0-0000-7000-8000-000000000001");
    var symbols = new[] { "BTC/USDT", "ETH/USDT", "SOL/USDT" };
    var symbol = symbols[0];
    var price = 49_000.0;
    var tick = TimeSpan.FromMilliseconds(1000.0 / options.RateHz);
    var ticks = (long)(options.Seconds * options.RateHz);
    for (long i = 0; i < ticks; i++)
    {
        advance(tick);
        price += (random.NextDouble() - 0.5) * 20;
        telemetry.TrackChartCrosshairMove(now(), price, random.Next(0, 1920), random.Next(0, 1080), symbol);
        run.Raw++;
        run.ExpectedSampled += ChartCrosshairMove.Descriptor.EffectiveSampling;

        // Roughly one click every 5 seconds.
        if (random.NextDouble() < 0.2 / options.RateHz)
        {
            // TEL4003 flags Track calls in loops; this loop is the simulated clock (one iteration per pointer
            // sample), and the clicks below happen about once every 5 simulated seconds.
#pragma warning disable TEL4003
            run.Raw++;
            switch (random.Next(5))
            {
                case 0:
                    telemetry.TrackWatchlistAdd(symbols[random.Next(symbols.Length)], WatchlistAddSource.Chart, price: (decimal)Math.Round(price, 2));
                    run.ExpectedSampled += WatchlistAdd.Descriptor.EffectiveSampling;
                    break;
                case 1:
                    symbol = symbols[random.Next(symbols.Length)];
                    telemetry.TrackWatchlistOpenChart(symbol, Timeframe._1h, random.Next(0, 20));
                    run.ExpectedSampled += WatchlistOpenChart.Descriptor.EffectiveSampling;
                    break;
                case 2:
                    telemetry.TrackReplayBookmarkCreate(replayId, random.Next(0, 500), note: "my e-mail is jane@example.com");
                    run.ExpectedSampled += ReplayBookmarkCreate.Descriptor.EffectiveSampling;
                    break;
                case 3:
                    telemetry.TrackOrderPlaceSim(Guid.NewGuid(), symbol, OrderSide.Buy, OrderType.Market, 0.5m, simulated: true);
                    run.ExpectedSampled += OrderPlaceSim.Descriptor.EffectiveSampling;
                    break;
                default:
                    telemetry.TrackReplaySeek(replayId, random.Next(0, 500), random.Next(0, 500), ReplaySeekMethod.Scrubber);
                    run.ExpectedSampled += ReplaySeek.Descriptor.EffectiveSampling;
                    break;
            }
#pragma warning restore TEL4003
        }

        // Half way through, the quote feed fails once: captured as error.captured (docs/errors.md), with breadcrumbs of
        // the clicks before it.
        if (i == ticks / 2)
        {
            try
            {
                QuoteFeed.Reconnect(symbol);
            }
            catch (InvalidOperationException ex)
            {
                run.ErrorFingerprint = telemetry.CaptureException(ex, ErrorLevel.Warning, new Dictionary<string, string> { ["feature"] = "chart", ["symbol"] = symbol }).Fingerprint;
            }
        }

        flushDue();
        progress.Update(i + 1, ticks, run.Raw);
    }
}

/// <summary>Command-line options of the sample.</summary>
internal sealed record ChartAppOptions(double Seconds, double RateHz, decimal PricePerEvent, string UserId, bool Quiet, Uri? IngestUrl = null, string? WriteKey = null)
{
    public static ChartAppOptions? Parse(string[] args)
    {
        var o = new ChartAppOptions(60, 50, 0.001m, "user-42", false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException(args[i] + " needs a value");
            try
            {
                o = args[i] switch
                {
                    "--seconds" => o with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--rate" => o with { RateHz = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--price" => o with { PricePerEvent = decimal.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--user" => o with { UserId = Next() },
                    "--quiet" => o with { Quiet = true },
                    "--ingest" => o with { IngestUrl = Uri.TryCreate(Next(), UriKind.Absolute, out var url) ? url : throw new FormatException("--ingest needs an absolute URL, e.g. http://127.0.0.1:5080") },
                    "--write-key" => o with { WriteKey = Next() },
                    _ => throw new FormatException("unknown option " + args[i]),
                };
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return null;
            }
        }

        if ((o.IngestUrl is null) != (o.WriteKey is null))
        {
            Console.Error.WriteLine("--ingest and --write-key go together");
            return null;
        }

        return o.Seconds > 0 && o.RateHz > 0 && o.PricePerEvent >= 0 ? o : null;
    }
}

/// <summary>A clock the simulation advances by hand.</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Counts the UTF-8 bytes of the events written through it, and the aggregate events among them.</summary>
internal sealed class CountingWriter(TextWriter inner) : TextWriter
{
    public long Bytes { get; private set; }

    public long AggregateEvents { get; private set; }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        Bytes += Encoding.UTF8.GetByteCount([value]);
        inner.Write(value);
    }

    public override void WriteLine(string? value)
    {
        Bytes += Encoding.UTF8.GetByteCount(value ?? string.Empty) + 1;
        if (value is not null && value.Contains("\"event\":\"chart.crosshair_agg\"", StringComparison.Ordinal)) AggregateEvents++;
        inner.WriteLine(value);
    }
}

/// <summary>What one run did, for the summary.</summary>
internal sealed class RunCounts
{
    public long Raw;
    public double ExpectedSampled;
    public long Sent;
    public long Bytes;
    public long AggregateEvents;
    public int UserBucket;
    public string? PipelineSummary;
    public string? ErrorFingerprint;
    public int? LegacyRejected;
}

/// <summary>
/// What an older build of the app, still installed by some users, sends: events of the catalog as it was then. Its zoom
/// event still uses a method the catalog has since dropped (<c>scroll</c>), and it sends a hover event the catalog no
/// longer defines. Posted as that build's plain HTTP client would (the wire format of docs/ingest.md).
/// </summary>
internal static class OldBuild
{
    public const string Version = "0.9.0";
    public const int Events = 3;

    public static async Task<int> SendAsync(Uri ingest, string writeKey, string userId)
    {
        static string Envelope(string name, string user) =>
            $"\"event\":\"{name}\",\"event_id\":\"{Guid.NewGuid()}\",\"timestamp\":\"{DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}\",\"session_id\":\"old-build-session\","
            + $"\"user_id\":\"{user}\",\"user_bucket\":0,\"sampling_rate\":1,\"client_version\":\"{Version}\",\"schema_version\":1";
        var user = "old-build-" + userId;
        var body = "{\"events\":["
            + "{" + Envelope("chart.zoom", user) + ",\"direction\":\"in\",\"method\":\"scroll\",\"visible_bars\":120,\"timeframe\":\"1h\"},"
            + "{" + Envelope("chart.zoom", user) + ",\"direction\":\"out\",\"method\":\"scroll\",\"visible_bars\":240,\"timeframe\":\"1h\"},"
            + "{" + Envelope("chart.crosshair_hover", user) + ",\"x\":10,\"y\":20}"
            + "]}";
        using var http = new HttpClient { BaseAddress = ingest, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", writeKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /v1/batch answered {(int)response.StatusCode}: {text}");
        using var json = System.Text.Json.JsonDocument.Parse(text);
        return Events - json.RootElement.GetProperty("accepted").GetInt32() - json.RootElement.GetProperty("duplicates").GetInt32();
    }
}

/// <summary>The sample's one failure: the quote feed cannot reconnect (an I/O error wrapped by the feed).</summary>
internal static class QuoteFeed
{
    public static void Reconnect(string symbol)
    {
        try
        {
            Connect();
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException("Quote feed for " + symbol + " could not reconnect", ex);
        }
    }

    // The URL's query string carries a token: the error scrubbing rules replace it before the event is queued.
    private static void Connect() => throw new IOException("Connection reset by wss://quotes.example.test/stream?token=demo-secret-token&user=jane@example.com");
}

/// <summary>Wraps the ingest sink to count what the server accepted (events, bytes of our wire objects, aggregates).</summary>
internal sealed class ChartAppSink(ITelemetrySink inner) : ITelemetrySink
{
    private long _delivered;
    private long _bytes;
    private long _aggregates;

    public string Name => inner.Name;

    public int MaxBatchSize => inner.MaxBatchSize;

    // Counts during the send and keeps nothing: it borrows the batch whenever the sink it wraps does.
    public bool ReadsBatchOnlyDuringSend => inner.ReadsBatchOnlyDuringSend;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long AggregateEvents => Interlocked.Read(ref _aggregates);

    public async ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        var result = await inner.SendAsync(batch, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == SinkOutcome.Delivered)
        {
            var rejected = result.Rejected is { Count: > 0 } list ? list.Select(r => r.EventId).ToHashSet() : null;
            foreach (var e in batch)
            {
                if (rejected?.Contains(e.EventId) == true) continue;
                Interlocked.Increment(ref _delivered);
                Interlocked.Add(ref _bytes, e.Json.Length);
                if (e.Name == "chart.crosshair_agg") Interlocked.Increment(ref _aggregates);
            }
        }

        return result;
    }
}

/// <summary>A one-line progress display on stderr, only when stderr is a terminal (never in pipes, files or CI logs).</summary>
internal sealed class ProgressLine(bool enabled)
{
    private long _last;

    public void Update(long tick, long ticks, long raw)
    {
        if (!enabled) return;
        var now = Environment.TickCount64;
        if (now - _last < 200 && tick != ticks) return;
        _last = now;
        Write($"{100.0 * tick / Math.Max(1, ticks):0}% · {raw.ToString("N0", CultureInfo.InvariantCulture)} interactions");
    }

    public void Write(string text)
    {
        if (enabled) Console.Error.Write("\r\u001b[2K" + text);
    }

    public void Clear()
    {
        if (enabled) Console.Error.Write("\r\u001b[2K");
    }
}
