using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Telemetry.Analyzers.Usage;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Xunit.Abstractions;
namespace Telemetry.Analyzers.CSharp.Tests;
public class Scratch(ITestOutputHelper o)
{
    [Fact]
    public async Task Debug()
    {
        var refs = await TelemetryProject.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, default);
        var src = """
            using Telemetry.Events;
            using Telemetry.Runtime;
            static class LegacyTracking { public static void Track(this ITelemetryClient client, string name, object? properties = null) { } }
            class C { void M(ITelemetryClient client, string pair) { client.Track("watchlist.add", new { symbol = pair, source = "search", price = 49000.5m }); } }
            """;
        var comp = CSharpCompilation.Create("x", new[] { CSharpSyntaxTree.ParseText(src) }, refs.AddRange(TelemetryProject.References), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = CSharpGeneratorDriver.Create(new[] { new Telemetry.Generators.CatalogGenerator().AsSourceGenerator() },
            new AdditionalText[] { new AT("/0/catalog/watchlist.yaml", Catalogs.Watchlist) }, (CSharpParseOptions)comp.SyntaxTrees[0].Options,
            new Opt());
        driver.RunGeneratorsAndUpdateCompilation(comp, out var output, out _);
        foreach (var d in output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)) o.WriteLine(d.ToString());
        var tree = output.SyntaxTrees.First();
        var model = output.GetSemanticModel(tree);
        var inv = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>().First();
        var op = (IInvocationOperation)model.GetOperation(inv)!;
        o.WriteLine($"{op.TargetMethod} kind={op.TargetMethod.MethodKind} args={op.Arguments.Length}");
        foreach (var a in op.Arguments) o.WriteLine($"  {a.Parameter?.Name} {a.Parameter?.Ordinal} {a.ArgumentKind} {a.Value.Kind}");
        var symbols = TelemetrySymbols.Create(output)!;
        var et = output.GetTypeByMetadataName("Telemetry.Events.WatchlistAdd");
        o.WriteLine($"et={et} ev={symbols.Event(et)}");
        var info = symbols.Event(et)!;
        o.WriteLine($"track={symbols.FindTrackMethod(info)}");
        var first = StringNamedTrackAnalyzer.FirstArgument(op)!;
        var rest = op.Arguments.Where(a => a != first && a.ArgumentKind != ArgumentKind.DefaultValue && a.Parameter?.Ordinal > first.Parameter!.Ordinal).ToList();
        o.WriteLine($"first={first.Parameter!.Name} rest={rest.Count}");
        var props = StringNamedTrackAnalyzer.WithoutConversions(rest[0].Value);
        o.WriteLine($"props={props.Kind}");
        foreach (var (k, v) in StringNamedTrackAnalyzer.Entries(props)) o.WriteLine($"  {k} = {v.Kind} {v.Syntax} {v.Type} const={v.ConstantValue.HasValue}");
        o.WriteLine($"count={((IAnonymousObjectCreationOperation)props).Initializers.Length}");
    }
    sealed class AT(string p, string t) : AdditionalText { public override string Path => p; public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken c = default) => Microsoft.CodeAnalysis.Text.SourceText.From(t); }
    sealed class Opt : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => new O(false);
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new O(false);
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText f) => new O(true);
    }
    sealed class O(bool cat) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) { var ok = cat && key == "build_metadata.AdditionalFiles.TelemetryCatalog"; value = ok ? "true" : null!; return ok; }
    }
}
