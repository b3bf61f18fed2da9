using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// The pipeline as an app runs it: the background loops on (default drain and flush intervals, default buffer and queue
/// bounds), one producer thread tracking <c>bench.order_ten</c> (10 properties) at a steady rate into <see cref="NoOpSink"/>,
/// until every event is sent. Reports the process's CPU time and the bytes allocated by every thread, per event, over
/// the whole run (Track, the ingest thread, delivery, garbage collection, SQLite). With <c>--sink segment|amplitude|mixpanel</c>
/// the events go to that provider's sink instead, through an <see cref="HttpClient"/> whose handler reads each request's
/// body and answers 200 at once from memory (no socket): what the sink's translation into the provider's format adds.
/// </summary>
internal static class LivePipelineCost
{
    public static void Run(int events, string? queue, int ratePerSecond, string? sinkName = null)
    {
        foreach (var durable in queue switch { "sqlite" => new[] { true }, "memory" => new[] { false }, _ => new[] { true, false } })
        {
            var directory = BenchmarkPaths.PrivateTempFolder("live-" + (durable ? "sqlite" : "memory"));
            using var pipeline = TelemetryPipeline.CreateBuilder()
                .Configure(o =>
                {
                    o.ApplicationName = "Telemetry.Benchmarks";
                    o.ClientVersion = "1.0.0";
                    o.UserId = Users.SampledIn(WatchlistAdd.Descriptor);
                    o.UseDurableQueue = durable;
                    o.StorageDirectory = directory;
                    o.Errors.CaptureUnhandledExceptions = false;
                })
                .WithSink(Sink(sinkName))
                .WithLoggerFactory(NullLoggerFactory.Instance)
                .Build();

            // Warm-up: SQLite page cache, buffers, pools, and the JIT's tiers. The loops' methods run once per pass (five
            // times a second), so they reach their optimised tier only after some 30 passes: 15 seconds at least, or the
            // measured window would pay for compiling them (on a thread that may have exited by the time it is read).
            var warmUp = Math.Max(50_000, ratePerSecond * WarmUpSeconds);
            Produce(pipeline, warmUp, ratePerSecond);
            WaitUntilSent(pipeline, warmUp);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var threads0 = ThreadCpu();
            var cpu0 = Environment.CpuUsage.TotalTime;
            var bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            var wall = Stopwatch.StartNew();
            Produce(pipeline, events, ratePerSecond);
            WaitUntilSent(pipeline, warmUp + events);
            var cpu = (Environment.CpuUsage.TotalTime - cpu0).TotalNanoseconds / events;
            var bytes = (GC.GetTotalAllocatedBytes(precise: true) - bytes0) / (double)events;
            var stats = pipeline.Statistics;
            var threads1 = ThreadCpu();
            Console.WriteLine($"live {(durable ? "SQLite" : "memory"),-7} {sinkName ?? "noop",-9} bench.order_ten  {events:N0} events at {ratePerSecond:N0}/s  process CPU {cpu / 1000.0,6:0.00} µs/event  allocated {bytes,7:0.0} B/event  wall {wall.Elapsed.TotalSeconds:0.0} s  sent {stats.Sent:N0} dropped {stats.Dropped:N0}");
            foreach (var group in threads1.GroupBy(t => t.Value.Name))
            {
                var ticks = group.Sum(t => t.Value.Ticks - (threads0.TryGetValue(t.Key, out var before) ? before.Ticks : 0));
                if (ticks > 0) Console.WriteLine($"    {group.Key,-24} {group.Count(),3} threads  {ticks * (1e6 / ClockTicksPerSecond) / events:0.00} µs/event");
            }
        }
    }

    private const int WarmUpSeconds = 15;

    private static ITelemetrySink Sink(string? name) => name switch
    {
        null or "noop" => NoOpSink.Instance,
        "segment" => new SegmentSink(Answering("""{"success":true}"""), new SegmentSinkOptions { WriteKey = "bench-write-key" }),
        "amplitude" => new AmplitudeSink(Answering("""{"code":200,"events_ingested":1,"payload_size_bytes":1,"server_upload_time":1}"""), new AmplitudeSinkOptions { ApiKey = "bench-api-key" }),
        "mixpanel" => new MixpanelSink(Answering("""{"code":200,"num_records_imported":1,"status":1}"""), new MixpanelSinkOptions { ProjectToken = "bench-project-token" }),
        _ => throw new ArgumentException($"Unknown sink '{name}': noop, segment, amplitude or mixpanel."),
    };

    private static HttpClient Answering(string json) => new(new AnsweringHandler(json));

    /// <summary>Reads the request's body (as a socket would make the client write it) and answers 200 with <c>json</c>.</summary>
    private sealed class AnsweringHandler(string json) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content) await content.CopyToAsync(Stream.Null, cancellationToken);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>The unit of /proc's CPU times (USER_HZ: 100 on Linux), so a thread's figure is good to about 10 ms.</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>CPU time of each thread of the process so far, by thread id, in clock ticks (Linux; empty elsewhere).</summary>
    private static Dictionary<int, (string Name, long Ticks)> ThreadCpu()
    {
        var threads = new Dictionary<int, (string, long)>();
        if (!OperatingSystem.IsLinux()) return threads;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                threads[int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture)] = (name, long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return threads;
    }

    /// <summary>Tracks <paramref name="count"/> events, 1,000 at a time, at most <paramref name="ratePerSecond"/>.</summary>
    private static void Produce(TelemetryPipeline pipeline, int count, int ratePerSecond)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            pipeline.Track(TenPropertyEvent.Sample);
            if (i % 1000 != 999) continue;
            var due = TimeSpan.FromSeconds((i + 1) / (double)ratePerSecond);
            var ahead = due - clock.Elapsed;
            if (ahead > TimeSpan.Zero) Thread.Sleep(ahead);
        }
    }

    private static void WaitUntilSent(TelemetryPipeline pipeline, long total)
    {
        _ = pipeline.FlushAsync();
        var deadline = Stopwatch.StartNew();
        while (pipeline.Statistics.Sent + pipeline.Statistics.Dropped < total)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"Only {pipeline.Statistics.Sent:N0} of {total:N0} events were sent.");
            Thread.Sleep(20);
            _ = pipeline.FlushAsync();
        }
    }
}
