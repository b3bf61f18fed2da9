using System.Diagnostics;
using System.Globalization;
using System.Text;
using Telemetry.Events;
using Telemetry.Runtime;

// ChartApp: a user moving the crosshair over a chart at 50 Hz, plus watchlist, replay and order clicks,
// all through the generated, typed API. Time is simulated, so a minute of chart use runs in moments.
//   dotnet run --project samples/ChartApp -- [--seconds 60] [--rate 50] [--price 0.001] [--user user-42] [--quiet]
var options = ChartAppOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: ChartApp [--seconds N] [--rate HZ] [--price USD_PER_EVENT] [--user ID] [--quiet]");
    return 2;
}

var clock = new SimulatedClock(new DateTimeOffset(2025, 11, 10, 12, 0, 0, TimeSpan.Zero));
var output = new CountingWriter(options.Quiet ? TextWriter.Null : Console.Out);
var stopwatch = Stopwatch.StartNew();
long raw = 0;
using (var telemetry = new ConsoleTelemetryClient(new TelemetryClientOptions
{
    UserId = options.UserId,
    ClientVersion = "1.0.0",
    Time = clock,
    Privacy = new HmacPersonalDataProtector(Encoding.UTF8.GetBytes("chartapp-demo-key-change-me-0001")),
}, output))
{
    var random = new Random(42);
    var replayId = Guid.Parse("0192f4a0-0000-7000-8000-000000000001");
    var symbols = new[] { "BTC/USDT", "ETH/USDT", "SOL/USDT" };
    var symbol = symbols[0];
    var price = 49_000.0;
    var tickMs = 1000.0 / options.RateHz;
    var ticks = (long)(options.Seconds * options.RateHz);
    for (long i = 0; i < ticks; i++)
    {
        clock.Advance(TimeSpan.FromMilliseconds(tickMs));
        price += (random.NextDouble() - 0.5) * 20;
        telemetry.TrackChartCrosshairMove(clock.GetUtcNow(), price, random.Next(0, 1920), random.Next(0, 1080), symbol);
        raw++;

        // Roughly one click every 5 seconds.
        if (random.NextDouble() < 0.2 / options.RateHz)
        {
            // TEL4003 flags Track calls in loops; this loop is the simulated clock (one iteration per pointer
            // sample), and the clicks below happen about once every 5 simulated seconds.
#pragma warning disable TEL4003
            raw++;
            switch (random.Next(5))
            {
                case 0:
                    telemetry.TrackWatchlistAdd(symbols[random.Next(symbols.Length)], WatchlistAddSource.Chart, price: (decimal)Math.Round(price, 2));
                    break;
                case 1:
                    symbol = symbols[random.Next(symbols.Length)];
                    telemetry.TrackWatchlistOpenChart(symbol, WatchlistOpenChartTimeframe._1h, random.Next(0, 20));
                    break;
                case 2:
                    telemetry.TrackReplayBookmarkCreate(replayId, random.Next(0, 500), note: "my e-mail is jane@example.com");
                    break;
                case 3:
                    telemetry.TrackOrderPlaceSim(Guid.NewGuid(), symbol, OrderPlaceSimSide.Buy, OrderPlaceSimOrderType.Market, 0.5m, simulated: true);
                    break;
                default:
                    telemetry.TrackReplaySeek(replayId, random.Next(0, 500), random.Next(0, 500), ReplaySeekMethod.Scrubber);
                    break;
            }
#pragma warning restore TEL4003
        }

        telemetry.FlushDueWindows();
    }

    // Dispose flushes the open window.
    telemetry.FlushAggregates();
    var sent = telemetry.EventsWritten;
    stopwatch.Stop();
    var rawCost = raw * options.PricePerEvent;
    var sentCost = sent * options.PricePerEvent;
    var inv = CultureInfo.InvariantCulture;
    Console.Error.WriteLine();
    Console.Error.WriteLine($"user {options.UserId} (bucket {telemetry.UserBucket}), {options.Seconds.ToString(inv)} s simulated at {options.RateHz.ToString(inv)} Hz in {stopwatch.ElapsedMilliseconds} ms");
    Console.Error.WriteLine($"raw interactions : {raw.ToString("N0", inv)}");
    Console.Error.WriteLine($"events sent      : {sent.ToString("N0", inv)} ({(raw == 0 ? 0 : (double)raw / Math.Max(1, sent)).ToString("0.#", inv)}x fewer)");
    Console.Error.WriteLine($"bytes sent       : {output.Bytes.ToString("N0", inv)}");
    Console.Error.WriteLine($"cost @ ${options.PricePerEvent.ToString(inv)}/event: ${rawCost.ToString("0.000", inv)} if every interaction were an event, ${sentCost.ToString("0.000", inv)} with sampling and aggregation");
}

return 0;

/// <summary>Command-line options of the sample.</summary>
internal sealed record ChartAppOptions(double Seconds, double RateHz, decimal PricePerEvent, string UserId, bool Quiet)
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
                    _ => throw new FormatException("unknown option " + args[i]),
                };
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return null;
            }
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

/// <summary>Counts the UTF-8 bytes of the events written through it.</summary>
internal sealed class CountingWriter(TextWriter inner) : TextWriter
{
    public long Bytes { get; private set; }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        Bytes += Encoding.UTF8.GetByteCount([value]);
        inner.Write(value);
    }

    public override void WriteLine(string? value)
    {
        Bytes += Encoding.UTF8.GetByteCount(value ?? string.Empty) + 1;
        inner.WriteLine(value);
    }
}
