using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// CPU time per event of each stage of <see cref="TelemetryPipeline"/>, measured as a process sees it (not a
/// BenchmarkDotNet micro-benchmark): one thread tracks <c>N</c> events, then runs the background stages itself
/// (the pipeline is built without its loops), and each stage is timed with the process's CPU clock, so garbage
/// collection, the SQLite library and any thread the stage wakes are included.
/// </summary>
/// <remarks>
/// Stages: (1) Track on the caller's thread; (2) drain: serialise + PII scrub + queue append (the ingest loop's pass);
/// (3) delivery: lease + sink + delete after confirmation (the delivery loop's pass), into a sink that answers at once.
/// Every stage also reports the bytes allocated per event. Events: <c>watchlist.add</c> of the shipped catalog (3
/// properties, tier A pinned to deferred as in the Track benchmarks; tracked through its generated method, constraint
/// checks included, as an app tracks it) and <see cref="TenPropertyEvent"/> (10 properties,
/// tier B), each with the durable SQLite queue and with the in-memory queue.
/// </remarks>
internal static class PipelineCost
{
    public sealed record Row(string Event, string Queue, int Events, double TrackNs, double DrainNs, double DeliverNs, double EndToEndNs, double TrackBytes, double DrainBytes, double DeliverBytes, double BackgroundBytes);

    public sealed record Result(string Label, List<Row> Rows);

    /// <param name="chunk">
    /// 0: a burst, every event of a round tracked before one drain and one delivery (a backlog: the queue holds the whole
    /// round). Otherwise the steady state of the loops: <paramref name="chunk"/> events tracked, drained and delivered, then
    /// the next (2,000 is what a 200 ms <c>DrainInterval</c> holds at 10,000 events a second).
    /// </param>
    public static Result Run(string label, int events, int rounds, string? queue = null, int chunk = 0)
    {
        var rows = new List<Row>();
        foreach (var durable in new[] { true, false })
        {
            if (queue is not null && !string.Equals(queue, durable ? "sqlite" : "memory", StringComparison.OrdinalIgnoreCase)) continue;
            rows.Add(Measure("watchlist.add (3 properties)", durable, events, rounds, chunk, static p => p.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Search, 49_000.25m)));
            rows.Add(Measure("bench.order_ten (10 properties)", durable, events, rounds, chunk, static p => p.Track(TenPropertyEvent.Sample)));
        }

        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Event,-32} {r.Queue,-7} {(chunk == 0 ? "burst" : "steady " + chunk)} track {r.TrackNs,8:0.0} ns  drain {r.DrainNs,8:0.0} ns  deliver {r.DeliverNs,8:0.0} ns  end-to-end {r.EndToEndNs,8:0.0} ns  background {r.BackgroundBytes,7:0.0} B/event");
        }

        return new Result(label, rows);
    }

    private static Row Measure(string name, bool durable, int events, int rounds, int chunk, Action<TelemetryPipeline> track)
    {
        var directory = BenchmarkPaths.PrivateTempFolder("cost-" + (durable ? "sqlite" : "memory") + "-" + name.Split(' ')[0]);
        var builder = TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "Telemetry.Benchmarks";
                o.ClientVersion = "1.0.0";
                o.UserId = Users.SampledIn(WatchlistAdd.Descriptor);
                o.UseDurableQueue = durable;
                o.Durability.A = EventDurability.Deferred;
                o.StorageDirectory = directory;
                o.BufferCapacity = events * 2;
                o.MaxQueueRows = events * 4;
                o.MaxQueueBytes = 4L * 1024 * 1024 * 1024;
                o.Errors.CaptureUnhandledExceptions = false;
            })
            .WithSink(NoOpSink.Instance)
            .WithLoggerFactory(NullLoggerFactory.Instance)
            .WithoutBackgroundLoops();
        var pipeline = builder.Build();
        try
        {
            // Warm-up: JIT tiers, SQLite page cache, buffer segments.
            var warm = Math.Min(events, 20_000);
            for (var w = 0; w < 10; w++) Round(pipeline, track, warm, chunk);
            Thread.Sleep(200);

            var samples = new List<(double Track, double Drain, double Deliver, double TrackB, double DrainB, double DeliverB)>();
            for (var r = 0; r < rounds; r++) samples.Add(Round(pipeline, track, events, chunk));
            var dropped = pipeline.Statistics.Dropped + pipeline.Statistics.Evicted;
            if (dropped != 0) throw new InvalidOperationException($"{name}: {dropped} events dropped; the benchmark measured drops, not the pipeline.");
            static double Median(IEnumerable<double> values)
            {
                var sorted = values.OrderBy(v => v).ToArray();
                return sorted[sorted.Length / 2];
            }

            var t = Median(samples.Select(s => s.Track));
            var d = Median(samples.Select(s => s.Drain));
            var s = Median(samples.Select(s => s.Deliver));
            var db = Median(samples.Select(x => x.DrainB));
            var sb = Median(samples.Select(x => x.DeliverB));
            return new Row(name, durable ? "SQLite" : "memory", events, t, d, s, t + d + s, Median(samples.Select(x => x.TrackB)), db, sb, db + sb);
        }
        finally
        {
            pipeline.Dispose();
        }
    }

    private static (double, double, double, double, double, double) Round(TelemetryPipeline pipeline, Action<TelemetryPipeline> track, int events, int chunk)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        double cpuTrack = 0, cpuDrain = 0, cpuDeliver = 0, bytesTrack = 0, bytesDrain = 0, bytesDeliver = 0;
        var step = chunk <= 0 ? events : chunk;
        for (var done = 0; done < events; done += step)
        {
            var count = Math.Min(step, events - done);
            var c0 = Cpu();
            var a0 = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < count; i++) track(pipeline);
            var c1 = Cpu();
            var a1 = GC.GetTotalAllocatedBytes(precise: true);
            while (pipeline.Ingest() > 0)
            {
            }

            var c2 = Cpu();
            var a2 = GC.GetTotalAllocatedBytes(precise: true);
            while (!pipeline.DeliverAsync(CancellationToken.None).GetAwaiter().GetResult())
            {
            }

            var c3 = Cpu();
            var a3 = GC.GetTotalAllocatedBytes(precise: true);
            cpuTrack += c1 - c0;
            cpuDrain += c2 - c1;
            cpuDeliver += c3 - c2;
            bytesTrack += a1 - a0;
            bytesDrain += a2 - a1;
            bytesDeliver += a3 - a2;
        }

        double n = events;
        return (cpuTrack / n, cpuDrain / n, cpuDeliver / n, bytesTrack / n, bytesDrain / n, bytesDeliver / n);
    }

    /// <summary>CPU time of the whole process so far, in nanoseconds (every thread: GC, SQLite, the thread pool).</summary>
    private static double Cpu()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockProcessCpuTime, out var ts) == 0) return (ts.Seconds * 1e9) + ts.Nanoseconds;
        return Environment.CpuUsage.TotalTime.Ticks * 100.0;
    }

    private const int ClockProcessCpuTime = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    public static void Save(Result result, string path) => File.WriteAllText(path, JsonSerializer.Serialize(result, BenchRunner.Json));

    public static Result? Load(string path) => File.Exists(path) ? JsonSerializer.Deserialize<Result>(File.ReadAllText(path), BenchRunner.Json) : null;
}

/// <summary>
/// A ten-property event written the way the generator writes one (through <see cref="EventPropertyWriter"/>: pre-encoded
/// names, enums as pre-encoded catalog strings, decimals as numbers, a uuid and a timestamp as strings): the shipped
/// catalog's largest event has eight.
/// </summary>
internal readonly record struct TenPropertyEvent(
    string Symbol, OrderSide Side, OrderKind OrderType, decimal Quantity, decimal Price, Guid OrderId, OrderTimeframe Timeframe, DateTimeOffset PlacedAt, int RowIndex, string Note)
    : ITelemetryEvent<TenPropertyEvent>
{
    public static readonly TenPropertyEvent Sample = new("BTC/USDT", OrderSide.Buy, OrderKind.Limit, 0.25m, 49_000.25m, Guid.Parse("0191e4a2-7c3d-7b8e-9f10-2a3b4c5d6e7f"), OrderTimeframe.OneHour, new DateTimeOffset(2026, 11, 23, 15, 27, 30, TimeSpan.Zero), 3, "quick order from the chart");

    private static readonly CatalogEnumValues<OrderSide> s_sides = new("buy", "sell");
    private static readonly CatalogEnumValues<OrderKind> s_types = new("market", "limit", "stop");
    private static readonly CatalogEnumValues<OrderTimeframe> s_frames = new("1m", "5m", "15m", "1h");

    public static EventDescriptor Descriptor { get; } = new(
        "bench.order_ten", 1, EventTier.B, EventStatus.Active, 1.0, idempotent: false, Sensitivity.None, EventFrequency.Normal,
        localOnly: false, fullStreamPercent: 0, aggregatedFrom: null, aggregateWindowMs: 0,
        [
            new PropertyDescriptor("symbol", "string", true, null, PiiTreatment.None),
            new PropertyDescriptor("side", "enum", true, null, PiiTreatment.None),
            new PropertyDescriptor("order_type", "enum", true, null, PiiTreatment.None),
            new PropertyDescriptor("quantity", "decimal", true, null, PiiTreatment.None),
            new PropertyDescriptor("price", "decimal", true, null, PiiTreatment.None),
            new PropertyDescriptor("order_id", "uuid", true, null, PiiTreatment.None),
            new PropertyDescriptor("timeframe", "enum", true, null, PiiTreatment.None),
            new PropertyDescriptor("placed_at", "timestamp", true, null, PiiTreatment.None),
            new PropertyDescriptor("row_index", "int32", true, null, PiiTreatment.None),
            new PropertyDescriptor("note", "string", true, null, PiiTreatment.None),
        ],
        jsonSchema: "{}");

    public void WriteProperties(Utf8JsonWriter writer)
    {
        var w = new EventPropertyWriter(writer, Descriptor);
        w.String(0, Symbol);
        w.Enum(1, s_sides, Side);
        w.Enum(2, s_types, OrderType);
        w.Number(3, Quantity);
        w.Number(4, Price);
        w.String(5, OrderId);
        w.Enum(6, s_frames, Timeframe);
        w.String(7, PlacedAt);
        w.Number(8, RowIndex);
        w.String(9, Note);
    }
}

internal enum OrderSide { Buy, Sell }

internal enum OrderKind { Market, Limit, Stop }

internal enum OrderTimeframe { OneMinute, FiveMinutes, FifteenMinutes, OneHour }
