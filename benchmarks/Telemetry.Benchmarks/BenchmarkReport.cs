using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Telemetry.Benchmarks;

/// <summary>Writes docs/benchmarks.md from the results the other modes saved.</summary>
internal static class BenchmarkReport
{
    /// <summary>
    /// <paramref name="report"/> with the build-cost section of the existing file appended: that section is written by
    /// benchmarks/Telemetry.Generators.BuildCost (between its markers), which builds consumer projects and runs on its own.
    /// </summary>
    public static string KeepBuildCostSection(string path, string report)
    {
        const string Start = "<!-- build-cost:start";
        const string End = "<!-- build-cost:end -->";
        var existing = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        var s = existing.IndexOf(Start, StringComparison.Ordinal);
        var e = existing.IndexOf(End, StringComparison.Ordinal);
        return s >= 0 && e > s ? report.TrimEnd('\n') + "\n\n" + existing[s..(e + End.Length)] + "\n" : report;
    }

    public static string Write(string resultsDir, string? wallSeconds)
    {
        T? Load<T>(string file)
            where T : class
        {
            var path = Path.Combine(resultsDir, file);
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path)) : null;
        }

        var track = Load<List<BenchRow>>("bench-track.json") ?? new();
        var aggregator = Load<List<BenchRow>>("bench-aggregator.json") ?? new();
        var durability = Load<List<BenchRow>>("bench-durability.json") ?? new();
        var constraints = Load<List<BenchRow>>("bench-constraints.json") ?? new();
        var pipeline = PipelineCost.Load(Path.Combine(resultsDir, "pipeline-current.json"));
        var pipelineBefore = PipelineCost.Load(Path.Combine(BenchmarkPaths.Repository, "benchmarks", "Telemetry.Benchmarks", "pipeline-before.json"));
        var generator = Load<List<BenchRow>>("bench-generator.json") ?? new();
        var checks = Load<List<GeneratorCheck>>("generator-check.json") ?? new();
        var size = Load<SizeResult>("size.json");
        var ingest = Load<List<IngestResult>>("ingest.json") ?? new();
        var md = new StringBuilder();
        var goals = new List<(string Goal, string Measured, bool Met)>();

        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine("Written by `benchmarks/run` (do not edit by hand): a Release build of `benchmarks/Telemetry.Benchmarks`, BenchmarkDotNet 0.14.0");
        md.AppendLine("with a short job (1 launch, 3 warm-up and 3 measured iterations, in process), the size report and the ingest load test,");
        md.AppendLine("all in one run on the machine below. Short jobs trade precision for time: treat differences under ~10 % as noise.");
        md.AppendLine();
        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine($"- CPU: {CpuModel()}, {Environment.ProcessorCount} logical cores");
        md.AppendLine($"- Memory: {MemoryGiB()}");
        md.AppendLine($"- OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        md.AppendLine($"- .NET: {RuntimeInformation.FrameworkDescription}{(Environment.GetEnvironmentVariable("TELEMETRY_BENCH_SDK") is { Length: > 0 } sdk ? ", SDK " + sdk : "")}, workstation GC, Release");
        md.AppendLine($"- Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC{(wallSeconds is null ? "" : $", `benchmarks/run` wall time {wallSeconds} s")}");
        md.AppendLine();

        // Track
        md.AppendLine("## Track (caller's thread): `watchlist.add`, sampling 0.1");
        md.AppendLine();
        md.AppendLine("Ratio = this row's mean / the baseline's mean (dictionary, sampled in), same BenchmarkDotNet run; below 1 is faster.");
        md.AppendLine();
        AppendTable(md, track);
        md.AppendLine();
        md.AppendLine("- *generated*: `telemetry.TrackWatchlistAdd(...)` on the full `TelemetryPipeline` (`NoOpSink`, in-memory queue). On the caller's");
        md.AppendLine("  thread it checks consent and sampling, reads the clock and copies the event struct into the capture buffer; serialisation,");
        md.AppendLine("  scrubbing, queueing and delivery run on the background loops and are **not** in these figures (see \"Pipeline: CPU per");
        md.AppendLine("  event and stage\" below). Each iteration is 200,000 calls into an empty buffer of 1,000,000 events and the captured events are");
        md.AppendLine("  drained (`FlushAsync`) between iterations, so the capture path is measured, never the buffer-full drop path; the run fails if");
        md.AppendLine("  any event was dropped. Every case first runs for about a second before BenchmarkDotNet starts, because with a fixed");
        md.AppendLine("  200,000 calls per iteration its own warm-up iterations last only milliseconds, shorter than the JIT's tiering delay: an");
        md.AppendLine("  earlier run without it measured tier-0 code (31.8 ns sampled out where the steady state is about 5 ns).");
        md.AppendLine("- *dictionary*: `new Dictionary<string, object>` with the same envelope fields + `JsonSerializer.Serialize` (reflection) on the");
        md.AppendLine("  caller's thread, into a no-op transport. *[LoggerMessage]*: the source-generated logging method with the same three fields");
        md.AppendLine("  into a minimal JSON `ILogger` (`Utf8JsonWriter` over a reused `ArrayBufferWriter`); both do all their work on the caller's thread.");
        md.AppendLine("- Sampled out: the user's FNV-1a bucket is at or above the event's 1,000 sampled buckets; the baselines check the same bucket first (the dictionary call site still builds its dictionary before the check, as such code does).");
        md.AppendLine();
        var genOut = Find(track, "GeneratedSampledOut");
        var genIn = Find(track, "GeneratedSampledIn");
        var dictIn = Find(track, "DictionarySampledIn");
        var logIn = Find(track, "LoggerMessageSampledIn");
        if (genOut is not null) goals.Add(("Track sampled out ≤ 5 ns and 0 B", $"{Ns(genOut.MeanNs)}, {Bytes(genOut.AllocatedBytes)}", genOut.MeanNs <= 5 && genOut.AllocatedBytes == 0));
        if (genIn is not null) goals.Add(("Track sampled in ≤ 50 ns on the caller's thread, 0 B amortised", $"{Ns(genIn.MeanNs)}, {Bytes(genIn.AllocatedBytes)}", genIn.MeanNs <= 50 && genIn.AllocatedBytes == 0));
        if (genIn is not null && dictIn is not null) goals.Add(("Track sampled in ≥ 40x faster than the dictionary baseline", $"{dictIn.MeanNs / genIn.MeanNs:0.#}x", dictIn.MeanNs / genIn.MeanNs >= 40));
        if (genIn is not null && logIn is not null) goals.Add(("Track sampled in within 3x of the [LoggerMessage] call", $"{genIn.MeanNs / logIn.MeanNs:0.##}x its time ({Ns(genIn.MeanNs)} vs {Ns(logIn.MeanNs)})", genIn.MeanNs <= 3 * logIn.MeanNs));

        if (constraints.Count > 0)
        {
            md.AppendLine("## Catalog constraint checks in Track: `watchlist.add`, sampled in");
            md.AppendLine();
            AppendTable(md, constraints);
            md.AppendLine();
            md.AppendLine("The generated `TrackWatchlistAdd` (with `TelemetryConstraintPolicy`'s checks: `symbol` max_length 32 and its pattern, `price`");
            md.AppendLine("min 0) against the same call without them (`IsEnabled`, then `Track` of the struct), same pipeline and run as the Track rows above.");
            md.AppendLine();
            var withChecks = Find(constraints, "WithChecks");
            var withoutChecks = Find(constraints, "WithoutChecks");
            if (withChecks is not null && withoutChecks is not null)
            {
                var extra = withChecks.MeanNs - withoutChecks.MeanNs;
                goals.Add(("Constraint checks add ≤ 10 ns to a sampled-in Track", $"{extra:+0.00;-0.00} ns ({Ns(withChecks.MeanNs)} vs {Ns(withoutChecks.MeanNs)})", extra <= 10));
            }
        }

        if (pipeline is not null)
        {
            AppendPipeline(md, pipeline, pipelineBefore, goals);
        }

        if (durability.Count > 0)
        {
            md.AppendLine("## Durability: write-through against deferred Track (tier A, SQLite queue)");
            md.AppendLine();
            AppendTable(md, durability);
            md.AppendLine();
            md.AppendLine("`TrackWatchlistAdd` into two pipelines on the SQLite queue on disk (`synchronous=NORMAL`), same run: tier A deferred (the");
            md.AppendLine("capture above) and tier A write-through (`TelemetryOptions.Durability`, the default for tier A: serialise, scrub and commit");
            md.AppendLine("one SQLite transaction before Track returns). Ratio = write-through / deferred. See docs/runtime.md, \"Durability\".");
            md.AppendLine();
        }

        md.AppendLine("## Aggregator: generated `ChartCrosshairAggAggregator`");
        md.AppendLine();
        AppendTable(md, aggregator);
        md.AppendLine();
        md.AppendLine("`Record` folds one pointer sample (min/max/avg price, last price and time, heatmap cell) under the aggregator's lock. `Flush`");
        md.AppendLine("closes the window: it builds the `chart.crosshair_agg` event (the 144-cell heatmap copied), tracks it into a client that keeps");
        md.AppendLine("nothing, and includes the one `Record` that opened the window; its cost depends on the number of symbols, not of samples.");
        md.AppendLine();
        var record = Find(aggregator, "Record");
        if (record is not null) goals.Add(("Aggregator record ≤ 20 ns and 0 B", $"{Ns(record.MeanNs)}, {Bytes(record.AllocatedBytes)}", record.MeanNs <= 20 && record.AllocatedBytes == 0));

        md.AppendLine("## Generator: `CatalogGenerator` through `CSharpGeneratorDriver`");
        md.AppendLine();
        AppendTable(md, generator);
        md.AppendLine();
        md.AppendLine("*Cold run*: a new driver over the catalog (nothing cached; the generator's code is already JIT-compiled, as in a long-lived");
        md.AppendLine("compiler server or IDE). *No-op edit*: the warm driver run again over the compilation plus one new, unrelated syntax tree.");
        md.AppendLine("The synthetic catalog is generated in code: 100 files × 10 events, 4–6 properties each including an enum.");
        md.AppendLine();
        if (checks.Count > 0)
        {
            md.AppendLine("| catalog | events | generated files | generator errors | compile errors | no-op edit: outputs cached |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
            foreach (var c in checks) md.AppendLine($"| {c.Catalog} | {c.Events:N0} | {c.GeneratedFiles} | {c.GeneratorErrors} | {c.CompileErrors} | {c.NoOpCachedOutputs}/{c.NoOpOutputs}{(c.AllCached ? " (all)" : " (**not all**)")} |");
            md.AppendLine();
        }

        foreach (var (method, catalog) in new[] { ("ShippedNoOpEdit", "shipped"), ("SyntheticNoOpEdit", "synthetic-1000") })
        {
            var row = Find(generator, method);
            var check = checks.FirstOrDefault(c => c.Catalog == catalog);
            if (row is not null) goals.Add(($"Generator no-op edit ≤ 1 ms with all outputs cached ({catalog})", $"{Ms(row.MeanNs)}, {(check is null ? "cache not checked" : $"{check.NoOpCachedOutputs}/{check.NoOpOutputs} outputs cached")}", row.MeanNs <= 1e6 && check?.AllCached == true));
        }

        var cold = Find(generator, "SyntheticCold");
        if (cold is not null) goals.Add(("Generator cold run of the 1,000-event catalog ≤ 1 s", Ms(cold.MeanNs), cold.MeanNs <= 1e9));

        md.AppendLine("## Size on the wire: `watchlist.add`");
        md.AppendLine();
        if (size is not null)
        {
            md.AppendLine("100 events with varied symbols, sources and prices; batch = `{\"events\":[...]}`; gzip at the optimal level. Ratio = dictionary / generated.");
            md.AppendLine();
            md.AppendLine("| format | bytes/event raw | bytes/event gzip | 100-event batch raw | 100-event batch gzip |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var row in new[] { size.Generated, size.Dictionary })
            {
                md.AppendLine($"| {row.Format} | {row.EventRawBytes:0.0} | {row.EventGzipBytes:0.0} | {row.BatchRawBytes:N0} | {row.BatchGzipBytes:N0} |");
            }

            md.AppendLine($"| ratio dictionary / generated | {size.Dictionary.EventRawBytes / size.Generated.EventRawBytes:0.00}x | {size.Dictionary.EventGzipBytes / size.Generated.EventGzipBytes:0.00}x | {(double)size.Dictionary.BatchRawBytes / size.Generated.BatchRawBytes:0.00}x | {(double)size.Dictionary.BatchGzipBytes / size.Generated.BatchGzipBytes:0.00}x |");
            md.AppendLine();
            md.AppendLine("Both carry the same fields, so single events are the same size. Batches differ under gzip because of the event ids: ours are");
            md.AppendLine("UUIDv7 made with a user-space counter (`EventIdGenerator`, sequential within a batch), the baseline's `Guid.CreateVersion7()` is");
            md.AppendLine("random in 74 bits. Samples:");
            md.AppendLine();
            md.AppendLine("```json");
            md.AppendLine(size.GeneratedSample);
            md.AppendLine(size.DictionarySample);
            md.AppendLine("```");
            md.AppendLine();
        }

        md.AppendLine("## Ingest: `samples/IngestServer` under load");
        md.AppendLine();
        if (ingest.Count > 0)
        {
            md.AppendLine($"The built sample runs as a child process on 127.0.0.1 (`--Ingest:RateLimit:Enabled false` so the limiter does not cap the test,");
            md.AppendLine("`--Logging:LogLevel:Default Warning` so the console does not either; otherwise its defaults: catalog validation, audit archive,");
            md.AppendLine("SQLite `synchronous=FULL` group commit). The load generator in the benchmark process sends valid `watchlist.add` batches of 100");
            md.AppendLine($"events (fresh UUIDv7 ids) with {IngestLoad.Concurrency} concurrent requests, after a 3 s warm-up; then, open loop, at half the");
            md.AppendLine("measured rate (latency counted from each request's scheduled time). Client and server share the machine's cores.");
            md.AppendLine("The storage limit is measured in the same run after the server stopped: the same rows, no HTTP, into a table with the ingest");
            md.AppendLine("store's columns and indexes: SQLite with WAL and `synchronous=FULL`, one prepared `INSERT ... ON CONFLICT DO NOTHING` per row,");
            md.AppendLine("one transaction per 1,000 rows; PostgreSQL with binary `COPY` of 1,000 rows per transaction.");
            md.AppendLine();
            md.AppendLine("| storage | saturated events/s | p50 | p99 | failed requests | storage limit rows/s | ratio to limit | half rate (events/s) | p99 at half rate |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in ingest)
            {
                md.AppendLine($"| {r.Storage} | {r.Saturated.EventsPerSecond:N0} | {r.Saturated.P50Ms:0.0} ms | {r.Saturated.P99Ms:0.0} ms | {r.Saturated.Failures} | {r.LimitRowsPerSecond:N0} | {r.RatioToLimit:P0} | {r.Half.EventsPerSecond:N0} (target {r.HalfTarget:N0}) | {r.Half.P99Ms:0.0} ms |");
                goals.Add(($"Ingest ≥ 50 % of the storage's own limit ({r.Storage})", $"{r.RatioToLimit:P0} ({r.Saturated.EventsPerSecond:N0} of {r.LimitRowsPerSecond:N0} rows/s)", r.RatioToLimit >= 0.5 && r.Saturated.Failures == 0));
                goals.Add(($"Ingest p99 ≤ 50 ms at half that load ({r.Storage})", $"{r.Half.P99Ms:0.0} ms at {r.Half.EventsPerSecond:N0} events/s", r.Half.P99Ms <= 50 && r.Half.Failures == 0));
            }

            if (!ingest.Any(r => r.Storage == "PostgreSQL")) md.AppendLine().AppendLine("PostgreSQL: not run (set `TELEMETRY_TEST_POSTGRES` to a connection string).");
            md.AppendLine();
        }
        else
        {
            md.AppendLine("Not run.");
            md.AppendLine();
        }

        md.AppendLine("## Goals");
        md.AppendLine();
        md.AppendLine("| goal | measured | |");
        md.AppendLine("| --- | --- | --- |");
        foreach (var (goal, measured, met) in goals) md.AppendLine($"| {goal} | {measured} | {(met ? "met" : "**missed**")} |");
        md.AppendLine();
        var missed = goals.Where(g => !g.Met).ToList();
        md.AppendLine(missed.Count == 0 ? "Every goal was met in this run." : $"{goals.Count - missed.Count} of {goals.Count} goals met; missed: {string.Join("; ", missed.Select(m => m.Goal))}. A miss is a finding of this run, not hidden.");
        md.AppendLine();
        md.AppendLine("Reproduce: `benchmarks/run` (builds Release, runs all of the above, rewrites this file; set `TELEMETRY_TEST_POSTGRES` for PostgreSQL).");
        return md.ToString();
    }

    private static void AppendPipeline(StringBuilder md, PipelineCost.Result after, PipelineCost.Result? before, List<(string Goal, string Measured, bool Met)> goals)
    {
        md.AppendLine("## Pipeline: CPU per event and stage");
        md.AppendLine();
        md.AppendLine($"`Telemetry.Benchmarks --pipeline` (process CPU clock, so garbage collection and the SQLite library count; {after.Rows[0].Events:N0} events per");
        md.AppendLine("round, median of the rounds after a warm-up). One thread tracks, then runs the two background stages itself: *drain* =");
        md.AppendLine("serialise + PII scrub + queue append (the ingest loop's pass), *deliver* = lease + sink + delete after confirmation (the");
        md.AppendLine("delivery loop's pass), into `NoOpSink`, which answers at once. Events: `watchlist.add` of the shipped catalog (3 properties;");
        md.AppendLine("tier A, which defaults to write-through: pinned to deferred here, so the Track column is the capture path, not the");
        md.AppendLine("write-through commit of docs/runtime.md's \"Durability\") and `bench.order_ten`, a 10-property tier-B event written the way");
        md.AppendLine("the generator writes one (string, 3 enums, 2 decimals, uuid, timestamp, int, free text). *before* is the same program on the");
        md.AppendLine("code before this work (`pipeline-before.json`, measured on this machine); the machine is shared, so compare ratios.");
        md.AppendLine();
        md.AppendLine("| event | queue | Track | drain | deliver | end to end | background B/event | end to end before | ratio |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in after.Rows)
        {
            var old = before?.Rows.FirstOrDefault(r => r.Event == row.Event && r.Queue == row.Queue);
            md.AppendLine($"| {row.Event} | {row.Queue} | {Time(row.TrackNs)} | {Time(row.DrainNs)} | {Time(row.DeliverNs)} | **{Time(row.EndToEndNs)}** | {row.BackgroundBytes:N0} B | {(old is null ? "–" : Time(old.EndToEndNs))} | {(old is null ? "–" : FormatRatio(row.EndToEndNs / old.EndToEndNs))} |");
        }

        if (before is not null)
        {
            md.AppendLine();
            md.AppendLine("Before, per stage:");
            md.AppendLine();
            md.AppendLine("| event | queue | Track | drain | deliver | end to end | background B/event |");
            md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in before.Rows)
            {
                md.AppendLine($"| {row.Event} | {row.Queue} | {Time(row.TrackNs)} | {Time(row.DrainNs)} | {Time(row.DeliverNs)} | {Time(row.EndToEndNs)} | {row.BackgroundBytes:N0} B |");
            }
        }

        md.AppendLine();
        var profile = Path.Combine(BenchmarkPaths.Repository, "benchmarks", "Telemetry.Benchmarks", "pipeline-profile.md");
        if (File.Exists(profile))
        {
            md.AppendLine(File.ReadAllText(profile).TrimEnd());
            md.AppendLine();
        }

        foreach (var row in after.Rows)
        {
            var ten = row.Event.Contains("10 properties", StringComparison.Ordinal);
            var durable = row.Queue == "SQLite";
            var target = durable ? 3_000 : 1_500;
            goals.Add(($"End to end ≤ {target / 1000.0:0.#} µs CPU/event, {row.Queue} queue, {row.Event}", Time(row.EndToEndNs), row.EndToEndNs <= target));
            if (!durable) goals.Add(($"Track on the caller's thread ≤ {(ten ? 60 : 40)} ns, {row.Event} (process CPU clock)", Time(row.TrackNs), row.TrackNs <= (ten ? 60 : 40)));
            goals.Add(($"Background allocations ≤ 64 B/event, {row.Queue} queue, {row.Event}", $"{row.BackgroundBytes:N0} B", row.BackgroundBytes <= 64));
        }
    }

    private static void AppendTable(StringBuilder md, List<BenchRow> rows)
    {
        if (rows.Count == 0)
        {
            md.AppendLine("Not run.");
            return;
        }

        var baseline = rows.FirstOrDefault(r => r.Baseline);
        md.AppendLine("| benchmark | mean | std dev | allocated/op | ratio to baseline |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            var ratio = baseline is null ? "" : r.Baseline ? "1.00 (baseline)" : FormatRatio(r.MeanNs / baseline.MeanNs);
            md.AppendLine($"| {r.Description} | {Time(r.MeanNs)} | {Time(r.StdDevNs)} | {Bytes(r.AllocatedBytes)} | {ratio} |");
        }
    }

    private static string FormatRatio(double ratio) => ratio < 0.01 ? ratio.ToString("0.0000", CultureInfo.InvariantCulture) : ratio.ToString("0.00", CultureInfo.InvariantCulture);

    private static BenchRow? Find(List<BenchRow> rows, string method) => rows.FirstOrDefault(r => r.Method == method);

    private static string Time(double ns) => ns switch
    {
        double.NaN => "–",
        < 1_000 => Ns(ns),
        < 1_000_000 => $"{ns / 1_000:0.00} µs",
        _ => Ms(ns),
    };

    private static string Ns(double ns) => $"{ns:0.00} ns";

    private static string Ms(double ns) => ns >= 1e9 ? $"{ns / 1e9:0.00} s" : $"{ns / 1e6:0.000} ms";

    private static string Bytes(long bytes) => bytes < 0 ? "–" : bytes < 10_000 ? $"{bytes:N0} B" : $"{bytes / 1024.0:N1} KiB";

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return $"{kb / 1024.0 / 1024.0:0.0} GiB";
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException)
        {
            return $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024:0.0} GiB available to .NET";
        }
    }
}
