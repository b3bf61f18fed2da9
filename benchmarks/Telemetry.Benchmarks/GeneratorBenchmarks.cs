using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Telemetry.Benchmarks;

/// <summary>
/// CatalogGenerator through a real CSharpGeneratorDriver: a cold run (new driver, nothing cached: what a clean build
/// or the IDE's first run pays) and a no-op edit (the warm driver run again over the compilation plus one new,
/// unrelated syntax tree: what every keystroke in a C# file costs; all outputs must come from the cache, which
/// <see cref="GeneratorChecks"/> verifies separately with step tracking on).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CatalogWorkload _shipped = null!;
    private CatalogWorkload _synthetic = null!;
    private GeneratorDriver _shippedWarm = null!;
    private GeneratorDriver _syntheticWarm = null!;
    private int _edit;

    [GlobalSetup]
    public void Setup()
    {
        _shipped = CatalogWorkload.Shipped();
        _synthetic = CatalogWorkload.Synthetic();
        _shippedWarm = _shipped.CreateDriver().RunGenerators(_shipped.Compilation);
        _syntheticWarm = _synthetic.CreateDriver().RunGenerators(_synthetic.Compilation);
    }

    [Benchmark(Baseline = true, Description = "cold run, shipped catalog (35 events)")]
    public GeneratorDriver ShippedCold() => _shipped.CreateDriver().RunGenerators(_shipped.Compilation);

    [Benchmark(Description = "no-op edit, shipped catalog")]
    public GeneratorDriver ShippedNoOpEdit() => _shippedWarm.RunGenerators(Edited(_shipped));

    [Benchmark(Description = "cold run, synthetic 1,000-event catalog")]
    public GeneratorDriver SyntheticCold() => _synthetic.CreateDriver().RunGenerators(_synthetic.Compilation);

    [Benchmark(Description = "no-op edit, synthetic 1,000-event catalog")]
    public GeneratorDriver SyntheticNoOpEdit() => _syntheticWarm.RunGenerators(Edited(_synthetic));

    private Compilation Edited(CatalogWorkload workload) =>
        workload.Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Consumer { internal static class Edit" + (++_edit).ToString(System.Globalization.CultureInfo.InvariantCulture) + " { } }",
            CatalogWorkload.ParseOptions,
            path: "/project/Edit.cs"));
}

/// <summary>Facts the timings rely on: the catalogs are valid, and a no-op edit reuses every output.</summary>
internal static class GeneratorChecks
{
    public static IReadOnlyList<GeneratorCheck> Run()
    {
        var results = new List<GeneratorCheck>();
        foreach (var workload in new[] { CatalogWorkload.Shipped(), CatalogWorkload.Synthetic() })
        {
            var driver = workload.CreateDriver(trackSteps: true).RunGeneratorsAndUpdateCompilation(workload.Compilation, out var output, out var diagnostics);
            var first = driver.GetRunResult().Results.Single();
            var errors = first.Diagnostics.Concat(diagnostics).Count(d => d.Severity == DiagnosticSeverity.Error);
            var compileErrors = output.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            var edited = workload.Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Edit { } }", CatalogWorkload.ParseOptions, path: "/project/Edit.cs"));
            var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
            var outputs = second.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).ToList();
            var cached = outputs.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
            var check = new GeneratorCheck(workload.Name, workload.EventCount, first.GeneratedSources.Length, errors, compileErrors, outputs.Count, cached);
            Console.WriteLine($"// generator check {check}");
            results.Add(check);
        }

        return results;
    }
}

internal sealed record GeneratorCheck(string Catalog, int Events, int GeneratedFiles, int GeneratorErrors, int CompileErrors, int NoOpOutputs, int NoOpCachedOutputs)
{
    public bool AllCached => NoOpOutputs > 0 && NoOpCachedOutputs == NoOpOutputs;
}
