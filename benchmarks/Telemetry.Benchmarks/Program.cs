using System.Text.Json;
using Telemetry.Benchmarks;

// Telemetry.Benchmarks. benchmarks/run runs every mode and writes docs/benchmarks.md.
//   --bench [--filter track|aggregator|generator|scrubber] [--long]   BenchmarkDotNet, short job (--long: 20 iterations), in process
//   --size                                          bytes per event and per 100-event batch, raw and gzip
//   --ingest [--server PATH] [--seconds 15] [--half-seconds 10]
//                                                   IngestServer under load vs the storage's own limit
//                                                   (PostgreSQL too when TELEMETRY_TEST_POSTGRES is set)
//   --pipeline [--events 200000] [--rounds 5] [--label NAME] [--queue sqlite|memory] [--chunk N]
//                                                   CPU per event of each pipeline stage (process CPU clock);
//                                                   --chunk N: track, drain and deliver N at a time (the loops' steady state)
//   --live [--events 1000000] [--queue sqlite|memory] [--rate 100000] [--sink noop|segment|amplitude|mixpanel]
//                                                   the loops on, one producer at a steady rate
//   --report --out docs/benchmarks.md [--wall SECONDS]
//   --results DIR                                   where the modes keep their results (default artifacts/benchmarks)
var mode = args.FirstOrDefault(a => a is "--bench" or "--pipeline" or "--live" or "--size" or "--ingest" or "--report");
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var results = Path.GetFullPath(Option("--results") ?? Path.Combine(BenchmarkPaths.Repository, "artifacts", "benchmarks"));
Directory.CreateDirectory(results);
var invariant = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = invariant;
System.Globalization.CultureInfo.CurrentCulture = invariant;

try
{
    switch (mode)
    {
        case "--bench":
            BenchRunner.Run(results, Option("--filter"), args.Contains("--long"));
            return 0;
        case "--pipeline":
            var label = Option("--label") ?? "current";
            var cost = PipelineCost.Run(label, int.Parse(Option("--events") ?? "200000", invariant), int.Parse(Option("--rounds") ?? "5", invariant), Option("--queue"), int.Parse(Option("--chunk") ?? "0", invariant));
            PipelineCost.Save(cost, Path.Combine(results, "pipeline-" + label + ".json"));
            return 0;
        case "--live":
            LivePipelineCost.Run(int.Parse(Option("--events") ?? "1000000", invariant), Option("--queue"), int.Parse(Option("--rate") ?? "100000", invariant), Option("--sink"));
            return 0;
        case "--size":
            var size = SizeReport.Run();
            File.WriteAllText(Path.Combine(results, "size.json"), JsonSerializer.Serialize(size, BenchRunner.Json));
            foreach (var row in new[] { size.Generated, size.Dictionary })
            {
                Console.WriteLine($"{row.Format,-30} event {row.EventRawBytes,7:0.0} B raw {row.EventGzipBytes,7:0.0} B gzip   batch of 100 {row.BatchRawBytes,7:N0} B raw {row.BatchGzipBytes,7:N0} B gzip");
            }

            return 0;
        case "--ingest":
            var server = Option("--server") ?? Path.Combine(BenchmarkPaths.Repository, "samples", "IngestServer", "bin", "Release", "net10.0", "IngestServer.dll");
            if (!File.Exists(server))
            {
                Console.Error.WriteLine($"IngestServer not built: {server} (dotnet build samples/IngestServer -c Release)");
                return 2;
            }

            var seconds = double.Parse(Option("--seconds") ?? "15", invariant);
            var half = double.Parse(Option("--half-seconds") ?? "10", invariant);
            var ingest = await IngestLoad.RunAsync(server, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(half));
            File.WriteAllText(Path.Combine(results, "ingest.json"), JsonSerializer.Serialize(ingest, BenchRunner.Json));
            return 0;
        case "--report":
            var output = Path.GetFullPath(Option("--out") ?? Path.Combine(BenchmarkPaths.Repository, "docs", "benchmarks.md"));
            File.WriteAllText(output, BenchmarkReport.KeepBuildCostSection(output, BenchmarkReport.Write(results, Option("--wall"))));
            Console.WriteLine($"wrote {output}");
            return 0;
        default:
            Console.Error.WriteLine("usage: Telemetry.Benchmarks --bench [--filter NAME] | --pipeline [...] | --live [...] | --size | --ingest [--server PATH] | --report [--out FILE] [--results DIR]");
            return 2;
    }
}
finally
{
    BenchmarkPaths.DeleteTemp();
}
