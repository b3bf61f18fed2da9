using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Telemetry.Generators.BuildCost;
using Telemetry.Generators.Tests.TestSupport;
using Xunit.Abstractions;

namespace Telemetry.Generators.Tests;

/// <summary>
/// What a catalog weighs in the app that uses it, on the build-cost benchmark's own catalogs (linked from
/// <c>benchmarks/Telemetry.Generators.BuildCost</c>): generated C# per event and IL per event (the Release assembly's
/// size over the same assembly without a catalog). Sizes are deterministic, so the budgets hold on any machine.
/// </summary>
public sealed class GeneratedCodeWeightTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("35 events")]
    [InlineData("1,000 events")]
    public void A_catalog_costs_at_most_3_KB_of_CSharp_and_2_KB_of_IL_per_event(string name)
    {
        var catalog = name == "35 events" ? BenchmarkCatalogs.Seed35() : BenchmarkCatalogs.Synthetic();
        var (csharp, il) = Measure(catalog);
        var csPerEvent = csharp / 1024.0 / catalog.Events;
        var ilPerEvent = il / 1024.0 / catalog.Events;
        var figures = $"{name}: generated C# {csharp:N0} B ({csPerEvent:0.00} KB/event), IL {il:N0} B ({ilPerEvent:0.00} KB/event)";
        output.WriteLine(figures);
        Assert.True(csPerEvent <= 3.0 && ilPerEvent <= 2.0, figures);
    }

    private static (long CSharp, long Il) Measure(BenchmarkCatalogs.Catalog catalog)
    {
        const string program = "namespace App { internal static class Program { private static void Main() => System.Console.WriteLine(\"edit\"); } }";
        var files = catalog.Files.Select(f => CatalogInput.File(f.Key, f.Value)).ToList();
        var run = GeneratorHarness.Run(files, null, program);
        Assert.Empty(run.Diagnostics);
        var csharp = run.Sources.Values.Sum(s => (long)Encoding.UTF8.GetByteCount(s));
        return (csharp, Size(run.Output) - Size(run.Input));
    }

    /// <summary>The assembly's size as a Release build writes it (optimized; the PDB is a file of its own).</summary>
    private static long Size(Compilation compilation)
    {
        var exe = compilation.WithOptions(((CSharpCompilationOptions)compilation.Options).WithOutputKind(OutputKind.ConsoleApplication).WithOptimizationLevel(OptimizationLevel.Release));
        using var stream = new MemoryStream();
        var result = exe.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return stream.Length;
    }
}
