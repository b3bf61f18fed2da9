using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Telemetry.Generators.BuildCost;

// What a catalog costs the app that uses it, measured on real consumer projects built from the packed packages:
//   dotnet run --project benchmarks/Telemetry.Generators.BuildCost -c Release -- --label after [--runs 5] [--feed DIR] [--compiler-server on|off]
//   dotnet run --project benchmarks/Telemetry.Generators.BuildCost -c Release -- --report [--before FILE] [--after FILE]
// A measuring run packs Telemetry.Generators and Telemetry.Runtime from this repository (unless --feed names a folder
// with both), writes four consumers in a temporary folder (a console project with no catalog, with the 35-event catalog,
// with the 1,000-event catalog, and one that references the 1,000-event catalog in a class library of its own; the same
// packages everywhere), and for each: restores, builds twice to warm up, then times --runs edit-rebuilds
// (`dotnet build -c Release` after a one-line edit of the app's Program.cs; median reported), sums the generated C#
// (EmitCompilerGeneratedFiles), reads the size of app.dll (plus the library's), and runs the app --runs times in fresh processes, each timing its
// first Track of an event (cold: nothing of the catalog touched before). Results go to artifacts/benchmarks/buildcost-<label>.json.
// --report writes the table (before and after, when both files exist) into docs/benchmarks.md between its markers.
var options = Options.Parse(args);
var repo = options.Repo ?? FindRepo();
var resultsDir = Path.Combine(repo, "artifacts", "benchmarks");
Directory.CreateDirectory(resultsDir);

if (options.WriteCatalogs is { } catalogsDir)
{
    // The catalogs alone, e.g. to compare them with the peer harness's --yaml-out output.
    foreach (var (name, catalog) in new[] { ("seed35", BenchmarkCatalogs.Seed35()), ("synthetic1000", BenchmarkCatalogs.Synthetic()) })
    {
        foreach (var (f, yaml) in catalog.Files)
        {
            Directory.CreateDirectory(Path.Combine(catalogsDir, name));
            File.WriteAllText(Path.Combine(catalogsDir, name, f), yaml);
        }
    }

    return 0;
}

if (options.Report)
{
    var before = BuildCostResult.Load(options.Before ?? Path.Combine(resultsDir, "buildcost-before.json"));
    var after = BuildCostResult.Load(options.After ?? Path.Combine(resultsDir, "buildcost-after.json"));
    if (before is null && after is null) throw new InvalidOperationException("No results to report: run with --label first.");
    var doc = Path.Combine(repo, "docs", "benchmarks.md");
    BuildCostReport.WriteInto(doc, before, after, resultsDir);
    Console.WriteLine($"wrote the build-cost section of {doc}");
    return 0;
}

// The compiler server (VBCSCompiler) is on by default for users; a machine may turn it off (UseSharedCompilation=false in
// its environment, as CI images often do): every build then starts a cold compiler. Both are measured as asked.
Consumer.CompilerServer = options.CompilerServer;
var work = Path.Combine(Path.GetTempPath(), "telemetry-buildcost-" + options.Label + "-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
Console.WriteLine($"work folder: {work}");
var feed = options.Feed ?? await Consumer.PackAsync(repo, Path.Combine(work, "feed"), options.Label);
var packages = Path.Combine(work, "packages");
var rows = new List<BuildCostRow>();
var cases = new (string Name, BenchmarkCatalogs.Catalog? Catalog, bool CatalogLibrary, bool CatalogAssembly)[]
{
    ("no catalog", null, false, false),
    ("35 events", BenchmarkCatalogs.Seed35(), false, false),
    ("35 events, TelemetryCatalogAssembly", BenchmarkCatalogs.Seed35(), false, true),
    ("1,000 events", BenchmarkCatalogs.Synthetic(), false, false),
    ("1,000 events, TelemetryCatalogAssembly", BenchmarkCatalogs.Synthetic(), false, true),
    ("1,000 events, catalog library", BenchmarkCatalogs.Synthetic(), true, false),
};
foreach (var (name, catalog, catalogLibrary, catalogAssembly) in cases)
{
    Console.WriteLine($"== {name}");
    var consumer = Consumer.Create(Path.Combine(work, "app-" + rows.Count), feed, packages, catalog, catalogLibrary, catalogAssembly);
    rows.Add(await consumer.MeasureAsync(name, catalog, options.Runs));
    var r = rows[^1];
    Console.WriteLine($"   edit-rebuild median {r.EditRebuildSeconds:0.00} s (runs: {string.Join(", ", r.EditRebuildRuns.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))}), " +
                      $"generated C# {r.GeneratedBytes:N0} B, app.dll {r.AppDllBytes:N0} B, first Track {r.FirstTrackMs?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} ms");
}

var result = new BuildCostResult(options.Label, DateTimeOffset.UtcNow, Environment.ProcessorCount, Consumer.SdkVersion(), options.Runs, rows, options.CompilerServer);
var file = Path.Combine(resultsDir, $"buildcost-{options.Label}.json");
File.WriteAllText(file, JsonSerializer.Serialize(result, BuildCostResult.Json));
Console.WriteLine($"results: {file}");
if (!options.Keep) Directory.Delete(work, recursive: true);
return 0;

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) return dir.FullName;
    }

    throw new InvalidOperationException("Run from inside the repository, or pass --repo.");
}

internal sealed record Options(string Label, int Runs, string? Feed, string? Repo, bool Report, string? Before, string? After, bool Keep, string? WriteCatalogs = null, bool CompilerServer = true)
{
    public static Options Parse(string[] args)
    {
        var o = new Options("after", 5, null, null, false, null, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--label" => o with { Label = Next() },
                "--runs" => o with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--feed" => o with { Feed = Path.GetFullPath(Next()) },
                "--repo" => o with { Repo = Path.GetFullPath(Next()) },
                "--report" => o with { Report = true },
                "--before" => o with { Before = Next() },
                "--after" => o with { After = Next() },
                "--keep" => o with { Keep = true },
                "--write-catalogs" => o with { WriteCatalogs = Path.GetFullPath(Next()) },
                "--compiler-server" => o with { CompilerServer = Next() switch { "on" => true, "off" => false, var v => throw new ArgumentException($"--compiler-server takes on or off, not {v}.") } },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        if (o.Runs < 1) throw new ArgumentException("--runs must be at least 1.");
        return o;
    }
}
