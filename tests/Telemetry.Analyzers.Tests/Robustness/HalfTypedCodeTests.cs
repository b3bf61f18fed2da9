using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Telemetry.Analyzers.Tests.TestSupport;
using Telemetry.Catalog.Model;
using Telemetry.Generators;

namespace Telemetry.Analyzers.Tests.Robustness;

/// <summary>
/// What the IDE does on every keystroke: the generator, then every analyzer of the package, over C# that does not
/// parse and catalogs that are broken. Nothing may throw and no analyzer may fail (AD0001).
/// </summary>
public sealed class HalfTypedCodeTests
{
    private const string CatalogFolder = "/0/catalog/";

    // One catalog that parses with rule errors and warnings, one that does not parse, and a shipped one (with the shared definitions it uses) that generates code.
    private static readonly (string Name, string Text)[] Catalogs =
    {
        ("broken.yaml", "feature: shop\nevents:\n  checkout:\n    frequency: high\n    properties:\n      email: string\n      price: { type: dobule }\n  Zoom: {}\n"),
        ("unparsable.yaml", "feature: cart\nevents:\n  add: { tier: A, properties: [\n    oops\n"),
        ("watchlist.yaml", File.ReadAllText(Path.Combine(RepoPaths.Catalog, "watchlist.yaml"))),
        ("definitions.yaml", File.ReadAllText(Path.Combine(RepoPaths.Catalog, "definitions.yaml"))),
    };

    public static TheoryData<string> HalfTypedSources => new()
    {
        "class C { void M( { telemetry.Track",
        "class C { void M(Telemetry.Runtime.ITelemetryClient telemetry) { telemetry.TrackWatchlistAdd( } }",
        "using Telemetry.Events;\nclass C { void M(Telemetry.Runtime.ITelemetryClient telemetry) { telemetry.TrackWatchlistAdd(\"BTC/USDT\", WatchlistAddSource. } }",
        "class C { void M(Telemetry.Runtime.ITelemetryClient t) { t.Track(\"watchlist.add\", new { symbol = } ); } }",
        "class C { void OnPointerMove(object s, System.EventArgs e) { for (;;) { telemetry.TrackWatchlistRowSelect(",
        "class C { string email; void M(Telemetry.Runtime.ITelemetryClient t) { t.TrackWatchlistAdd(email, , ) } }",
        "namespace N { class",
        "#if DEBUG\nclass C {",
        "class C { void M() { var x = \"unterminated; } }",
        "[System.Obsolete(\nclass C { }",
        "class C : { void M() => telemetry.Track;; }",
        "class C { void M() { foreach (var e in ) { } } }",
        "partial class C { partial void M(",
        "class C { event System.EventHandler PointerMoved; C() { PointerMoved += (s, e) => Telemetry.Events.",
        "using static Telemetry.Events.",
        "@@@ ### $$$",
        string.Empty,
    };

    [Theory]
    [MemberData(nameof(HalfTypedSources))]
    public async Task GeneratorAndAnalyzersSurviveHalfTypedCodeAndBrokenCatalogs(string source)
    {
        var diagnostics = await RunAsync(source);
        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.InvalidYaml && d.Location.GetLineSpan().Path == CatalogFolder + "unparsable.yaml");
        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.UnsampledHighFrequency && d.Location.GetLineSpan().Path == CatalogFolder + "broken.yaml");
    }

    [Fact]
    public async Task GeneratorAndAnalyzersSurviveEveryPrefixOfTheSampleApp()
    {
        // Typing the sample from the top: every prefix (one per 97 characters) is half-typed code that calls generated methods.
        var program = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "ChartApp", "Program.cs"));
        for (var length = 0; length <= program.Length; length += 97)
        {
            await RunAsync(program.Substring(0, length));
        }

        await RunAsync(program);
    }

    private static async Task<IReadOnlyList<Diagnostic>> RunAsync(string source)
    {
        var compilation = CompilerHarness.Compilation(CompilerHarness.FullReferences, source);
        var texts = Catalogs.Select(c => (AdditionalText)new TestAdditionalText(CatalogFolder + c.Name, c.Text)).ToArray();
        var paths = texts.Select(t => t.Path).ToArray();

        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new CatalogGenerator().AsSourceGenerator() },
            texts,
            (CSharpParseOptions)compilation.SyntaxTrees[0].Options,
            new TestAnalyzerConfigOptionsProvider(paths));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out var generatorDiagnostics);
        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        Assert.All(generatorDiagnostics, d => Assert.StartsWith("TEL", d.Id, StringComparison.Ordinal));
        Assert.Contains(result.GeneratedSources, g => g.HintName.StartsWith("Watchlist", StringComparison.Ordinal));

        var run = await CompilerHarness.AnalyzeAsync(withGenerated, texts, CompilerHarness.GlobalConfig(paths), CompilerHarness.AllAnalyzers());
        Assert.Empty(run.Exceptions);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "AD0001");
        return run.Diagnostics;
    }
}
