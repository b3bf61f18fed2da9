using System.Text.Json;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Telemetry.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet classes with a short job (1 launch, 3 warm-up and 3 measured iterations) in process
/// (no per-run project build, which on 2 cores would cost more than the measurements), one class at a time so each
/// comparison and its baseline come from the same run. <c>--long</c> measures 20 iterations after 6 warm-up ones instead,
/// for differences of a few nanoseconds that the short job's spread hides.
/// </summary>
internal static class BenchRunner
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Run(string resultsDir, string? filter, bool longRun = false)
    {
        var baseJob = longRun ? LongJob() : ShortJob();
        var classes = new (string Name, Type Type, Job Job)[]
        {
            ("track", typeof(TrackBenchmarks), baseJob
                .WithInvocationCount(TrackBenchmarks.CallsPerIteration)
                .WithUnrollFactor(16)),
            ("constraints", typeof(TrackConstraintBenchmarks), baseJob
                .WithInvocationCount(TrackBenchmarks.CallsPerIteration)
                .WithUnrollFactor(16)),
            ("breadcrumbs", typeof(BreadcrumbBenchmarks), baseJob
                .WithInvocationCount(BreadcrumbBenchmarks.CallsPerIteration)
                .WithUnrollFactor(16)),
            ("aggregator", typeof(AggregatorBenchmarks), baseJob),
            ("durability", typeof(DurabilityBenchmarks), baseJob
                .WithInvocationCount(DurabilityBenchmarks.CallsPerIteration)
                .WithUnrollFactor(16)),
            ("generator", typeof(GeneratorBenchmarks), baseJob),
            ("scrubber", typeof(ScrubberBenchmarks), baseJob),
        };
        foreach (var (name, type, job) in classes)
        {
            if (filter is not null && !name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
            var config = ManualConfig.CreateEmpty()
                .AddJob(job)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .AddLogger(ConsoleLogger.Default)
                .AddExporter(MarkdownExporter.GitHub)
                .WithArtifactsPath(Path.Combine(resultsDir, "BenchmarkDotNet.Artifacts"))
                .WithOptions(ConfigOptions.DisableLogFile);
            var summary = BenchmarkRunner.Run(type, config);
            var rows = Rows(name, summary);
            if (rows.Count == 0 || rows.Any(r => double.IsNaN(r.MeanNs))) throw new InvalidOperationException($"Benchmark class {name} produced no result (see the log above).");
            File.WriteAllText(Path.Combine(resultsDir, $"bench-{name}.json"), JsonSerializer.Serialize(rows, Json));
            if (name == "generator")
            {
                File.WriteAllText(Path.Combine(resultsDir, "generator-check.json"), JsonSerializer.Serialize(GeneratorChecks.Run(), Json));
            }
        }

        File.WriteAllText(Path.Combine(resultsDir, "notes-" + (filter ?? "all") + ".json"), JsonSerializer.Serialize(BenchmarkNotes.All, Json));
    }

    private static Job ShortJob() => Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess");

    private static Job LongJob() => Job.Default.WithWarmupCount(6).WithIterationCount(20).WithToolchain(InProcessEmitToolchain.Instance).WithId("Long-InProcess");

    private static List<BenchRow> Rows(string group, Summary summary) =>
        summary.Reports.Select(report =>
        {
            var descriptor = report.BenchmarkCase.Descriptor;
            var stats = report.ResultStatistics;
            return new BenchRow(
                group,
                descriptor.WorkloadMethod.Name,
                descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                descriptor.Baseline,
                stats?.Mean ?? double.NaN,
                stats?.StandardDeviation ?? double.NaN,
                report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1);
        }).ToList();
}

internal sealed record BenchRow(string Group, string Method, string Description, bool Baseline, double MeanNs, double StdDevNs, long AllocatedBytes);
