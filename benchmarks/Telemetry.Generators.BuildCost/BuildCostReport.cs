using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Telemetry.Generators.BuildCost;

/// <summary>
/// One consumer's figures; <see cref="CatalogLibrary"/>: the catalog is in a class library the app references (app.dll counts both
/// assemblies); <see cref="CatalogAssembly"/>: the catalog is in the app's folder with <c>TelemetryCatalogAssembly=true</c> (app.dll
/// counts the catalog's assembly too).
/// </summary>
internal sealed record BuildCostRow(
    string Catalog, int Events, int Files, double EditRebuildSeconds, List<double> EditRebuildRuns,
    long GeneratedBytes, int GeneratedFiles, long AppDllBytes, double? FirstTrackMs, bool CatalogLibrary = false, bool CatalogAssembly = false);

/// <summary>One measuring run.</summary>
internal sealed record BuildCostResult(string Label, DateTimeOffset At, int Cores, string Sdk, int Runs, List<BuildCostRow> Rows, bool? CompilerServer = null)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static BuildCostResult? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<BuildCostResult>(File.ReadAllText(path), Json) : null;
}

/// <summary>Writes the build-cost section of docs/benchmarks.md (between its markers, so the rest of the file is kept).</summary>
internal static class BuildCostReport
{
    public const string Start = "<!-- build-cost:start (written by benchmarks/Telemetry.Generators.BuildCost --report) -->";
    public const string End = "<!-- build-cost:end -->";

    // Segment Typewriter 9.2.0 on the same two tracking plans, same machine kind (CLI wall median, production mode).
    private static readonly (string Catalog, string Bytes, string Build)[] Peer =
    [
        ("35 events", "65,339 B (1.9 KB/event)", "1.81 s (`typewriter build -m prod`)"),
        ("1,000 events", "1,898,524 B (1.9 KB/event)", "5.92 s (`typewriter build -m prod`)"),
    ];

    public static void WriteInto(string docPath, BuildCostResult? before, BuildCostResult? after, string? resultsDir = null)
    {
        var section = Section(before, after, resultsDir);
        var text = File.Exists(docPath) ? File.ReadAllText(docPath) : "# Benchmarks\n";
        var s = text.IndexOf(Start, StringComparison.Ordinal);
        var e = text.IndexOf(End, StringComparison.Ordinal);
        text = s >= 0 && e > s
            ? text[..s] + section + text[(e + End.Length)..]
            : text.TrimEnd('\n') + "\n\n" + section + "\n";
        File.WriteAllText(docPath, text);
    }

    public static string Section(BuildCostResult? before, BuildCostResult? after, string? resultsDir = null)
    {
        var md = new StringBuilder();
        md.AppendLine(Start);
        md.AppendLine("## What a catalog costs the app's build");
        md.AppendLine();
        md.AppendLine("Measured by `benchmarks/Telemetry.Generators.BuildCost`: console projects outside the repository that reference the packed");
        md.AppendLine("`Telemetry.Generators` and `Telemetry.Runtime` packages, with no catalog, with the 35-event catalog (4 properties each) and with");
        md.AppendLine("the 1,000-event catalog (20 files, 6 properties each), the same events as the Typewriter plans. *Edit-rebuild*: median wall time of");
        md.AppendLine("`dotnet build -c Release` after a one-line edit of Program.cs (with the compiler server as each run names below); *extra* is that minus the no-catalog");
        md.AppendLine("project's time in the same run. *Generated C#*: the files the generator emits (EmitCompilerGeneratedFiles). *First Track*: a");
        md.AppendLine("fresh process times its first `Track…` call of an event (the catalog's last), median of the runs. *Catalog library*: the");
        md.AppendLine("1,000-event catalog in a class library of its own (both packages) that the app references with a ProjectReference (the app");
        md.AppendLine("keeps both packages for the usage analyzers); the edit is the app's Program.cs, so MSBuild skips the library's compile; its");
        md.AppendLine("app.dll column is app.dll plus the library's assembly. *TelemetryCatalogAssembly*: the catalog in the app's folder, with that");
        md.AppendLine("property set, so the package compiles it into an assembly of its own only when the catalog changes (app.dll plus that");
        md.AppendLine("assembly). The machine is shared: compare the *extra* column within one run");
        md.AppendLine("rather than absolute times across runs.");
        md.AppendLine();
        md.AppendLine("| code | catalog | generated C# | per event | app.dll | per event (over no catalog) | edit-rebuild | extra | first Track, cold |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var result in new[] { before, after })
        {
            if (result is null) continue;
            var baseline = result.Rows.FirstOrDefault(r => r.Events == 0);
            foreach (var r in result.Rows)
            {
                var perEventCs = r.Events == 0 ? "" : Kb(r.GeneratedBytes / (double)r.Events);
                var perEventIl = r.Events == 0 || baseline is null ? "" : Kb((r.AppDllBytes - baseline.AppDllBytes) / (double)r.Events);
                var extra = r.Events == 0 || baseline is null ? "" : Sec(r.EditRebuildSeconds - baseline.EditRebuildSeconds, signed: true);
                md.AppendLine($"| {result.Label} | {r.Catalog} | {Size(r.GeneratedBytes)} | {perEventCs} | {Size(r.AppDllBytes)} | {perEventIl} | {Sec(r.EditRebuildSeconds)} | {extra} | {(r.FirstTrackMs is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "")} |");
            }
        }

        foreach (var (catalog, bytes, build) in Peer)
        {
            md.AppendLine($"| peer: Typewriter 9.2.0 | {catalog} | {bytes.Split(' ')[0]} TypeScript | {bytes[(bytes.IndexOf('(') + 1)..bytes.IndexOf('/')]} | | | {build} | | |");
        }

        md.AppendLine();
        foreach (var result in new[] { before, after })
        {
            if (result is null) continue;
            md.AppendLine($"- *{result.Label}*: run {result.At:yyyy-MM-dd HH:mm} UTC, {result.Cores} cores, SDK {result.Sdk}, {result.Runs} edit-rebuilds per project, " +
                          $"compiler server {(result.CompilerServer switch { true => "on", false => "off", null => "as the machine had it" })} " +
                          $"({string.Join("; ", result.Rows.Select(r => r.Catalog + ": " + string.Join(", ", r.EditRebuildRuns.Select(t => Sec(t)))))}).");
        }

        foreach (var result in new[] { before, after })
        {
            if (result?.Rows.FirstOrDefault(r => r.Events == 0) is { EditRebuildSeconds: > 5 } idle)
            {
                md.AppendLine($"- **{result.Label}: the machine was loaded** (the no-catalog project's edit-rebuild took {Sec(idle.EditRebuildSeconds)}; about 2 s");
                md.AppendLine("  on an idle machine of this kind): its build times are dominated by the load and only its sizes are reliable.");
            }
        }

        md.AppendLine("- *peer*: Segment Typewriter's generated `segment.ts` in production mode (no inline schemas) and its CLI wall time; it");
        md.AppendLine("  generates TypeScript outside the build, so its time is a whole regeneration, not a compile.");
        md.AppendLine();
        foreach (var result in new[] { before, after })
        {
            if (result?.Rows.FirstOrDefault(r => r.Events == 1000 && !r.CatalogLibrary && !r.CatalogAssembly) is not { } big || result.Rows.FirstOrDefault(r => r.Events == 0) is not { } none)
            {
                continue;
            }

            var spread = Math.Max(none.EditRebuildRuns.Max() - none.EditRebuildRuns.Min(), 0.25);
            md.AppendLine($"| goal, *{result.Label}* (1,000 events unless named) | measured | |");
            md.AppendLine("| --- | --- | --- |");
            void Extra(string name, BuildCostRow? row, double limit, string limitText)
            {
                if (row is null) return;
                var extra = row.EditRebuildSeconds - none.EditRebuildSeconds;
                Goal(md, $"{name}: edit-rebuild {limitText}", Sec(extra, signed: true), extra <= limit);
            }

            Extra("catalog in the app", big, 3, "≤ 3 s more than without a catalog");
            Extra("catalog in the app, `TelemetryCatalogAssembly=true`", result.Rows.FirstOrDefault(r => r.Events == 1000 && r.CatalogAssembly), 3, "≤ 3 s more than without a catalog");
            Extra("catalog library", result.Rows.FirstOrDefault(r => r.Events == 1000 && r.CatalogLibrary), 3, "≤ 3 s more than without a catalog");
            Extra("35 events", result.Rows.FirstOrDefault(r => r.Events == 35 && !r.CatalogAssembly), spread, $"extra within noise (the no-catalog runs' spread, at least 0.25 s: {Sec(spread)})");
            Extra("35 events, `TelemetryCatalogAssembly=true`", result.Rows.FirstOrDefault(r => r.Events == 35 && r.CatalogAssembly), spread, $"extra within noise ({Sec(spread)})");
            Goal(md, "≤ 3 KB of generated C# per event", Kb(big.GeneratedBytes / 1000.0), big.GeneratedBytes / 1000.0 <= 3 * 1024);
            Goal(md, "≤ 2 KB of IL (app.dll growth) per event", Kb((big.AppDllBytes - none.AppDllBytes) / 1000.0), (big.AppDllBytes - none.AppDllBytes) / 1000.0 <= 2 * 1024);
            Goal(md, "first Track of an event, cold, < 20 ms", $"{big.FirstTrackMs:0.0} ms", big.FirstTrackMs < 20);
            md.AppendLine();
        }

        GeneratorComparison(md, resultsDir);
        md.Append(End);
        return md.ToString();
    }

    /// <summary>
    /// The generator's own BenchmarkDotNet rows (`Telemetry.Benchmarks --bench --filter generator`) for the code before and
    /// after, when their bench-generator.json files were saved as generator-before.json and generator-after.json.
    /// </summary>
    private static void GeneratorComparison(StringBuilder md, string? resultsDir)
    {
        if (resultsDir is null) return;
        var beforePath = Path.Combine(resultsDir, "generator-before.json");
        var afterPath = Path.Combine(resultsDir, "generator-after.json");
        if (!File.Exists(beforePath) || !File.Exists(afterPath)) return;
        var before = JsonSerializer.Deserialize<List<GeneratorRow>>(File.ReadAllText(beforePath))!;
        var after = JsonSerializer.Deserialize<List<GeneratorRow>>(File.ReadAllText(afterPath))!;
        md.AppendLine("The generator itself (BenchmarkDotNet short job, `Telemetry.Benchmarks --bench --filter generator`, the code before and after,");
        md.AppendLine("one run each on the same loaded machine: allocations are exact, times only indicative):");
        md.AppendLine();
        md.AppendLine("| benchmark | mean before | mean after | allocated before | allocated after | allocated after / before |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var b in before)
        {
            if (after.FirstOrDefault(a => a.Method == b.Method) is not { } a) continue;
            md.AppendLine($"| {b.Description} | {Time(b.MeanNs)} | {Time(a.MeanNs)} | {b.AllocatedBytes / 1024.0:N1} KiB | {a.AllocatedBytes / 1024.0:N1} KiB | {a.AllocatedBytes / (double)b.AllocatedBytes:0.00} |");
        }

        md.AppendLine();
    }

    private static string Time(double ns) => ns >= 1e6 ? (ns / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " ms" : (ns / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    private sealed record GeneratorRow(string Method, string Description, double MeanNs, long AllocatedBytes);

    private static void Goal(StringBuilder md, string goal, string measured, bool met) =>
        md.AppendLine($"| {goal} | {measured} | {(met ? "met" : "**missed**")} |");

    private static string Sec(double s, bool signed = false) =>
        (signed && s >= 0 ? "+" : "") + s.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Kb(double bytes) => (bytes / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " KB";

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024.0 / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB";
}
