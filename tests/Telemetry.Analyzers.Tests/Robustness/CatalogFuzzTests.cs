using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Analyzers.Tests.TestSupport;
using Telemetry.Catalog;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Generators;
using Xunit.Abstractions;

namespace Telemetry.Analyzers.Tests.Robustness;

/// <summary>
/// Robustness on hostile input: at least 10,000 mutations of the shipped catalogs (seeded, so every failure
/// names the seed that reproduces it) go through the parser, <see cref="CatalogSet"/> and the analyzer's
/// location mapping; every tenth also through the full generator driver and the analyzer under
/// <see cref="Microsoft.CodeAnalysis.Diagnostics.CompilationWithAnalyzers"/>.
/// </summary>
public sealed class CatalogFuzzTests
{
    private const int BaseSeed = 20_251_110;
    private const int Cases = 10_000;
    private const int DriverEvery = 10;

    /// <summary>Every ID the catalog model may produce; each needs a descriptor or the analyzer would drop it.</summary>
    private static readonly HashSet<string> CatalogIds = new(StringComparer.Ordinal)
    {
        DiagnosticIds.InvalidYaml, DiagnosticIds.InvalidStructure, DiagnosticIds.InvalidName, DiagnosticIds.DuplicateEvent,
        DiagnosticIds.InvalidType, DiagnosticIds.UnclassifiedPii, DiagnosticIds.RawPiiWithoutJustification,
        DiagnosticIds.SensitiveEventSampled, DiagnosticIds.UnsampledHighFrequency, DiagnosticIds.SampledMetric,
    };

    private static readonly CSharpCompilation EmptyCompilation = CompilerHarness.Compilation("internal static class Program { }");

    private readonly ITestOutputHelper _output;

    public CatalogFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void ShippedCatalogsSeedTheFuzzAndAreValid()
    {
        Assert.NotEmpty(RepoPaths.ShippedCatalogs);
        // The shipped files ref the shared definitions of catalog/definitions.yaml: parse them together.
        var set = Telemetry.Catalog.CatalogSet.Parse(RepoPaths.ShippedCatalogs.Select(p => new KeyValuePair<string, string>(p, File.ReadAllText(p))));
        foreach (var file in set.Files)
        {
            Assert.False(file.HasErrors, file.FilePath + ": " + string.Join("; ", file.Diagnostics));
        }
    }

    [Fact]
    public void TenThousandMutatedCatalogsNeverThrowAndAlwaysYieldOutputOrTelDiagnostics()
    {
        var corpus = RepoPaths.ShippedCatalogs.Select(p => (Name: Path.GetFileName(p), Text: File.ReadAllText(p))).ToArray();
        var failures = new ConcurrentQueue<string>();
        var withErrors = 0;
        var clean = 0;
        var driverRuns = 0;
        var ids = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        Parallel.For(0, Cases, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var random = new Random(BaseSeed + i);
            var seed = corpus[random.Next(corpus.Length)];
            var (text, how) = CatalogMutator.Mutate(seed.Text, random);
            var path = "/0/catalog/" + seed.Name;
            try
            {
                var file = CheckParserAndMapping(path, text);
                foreach (var d in file.Diagnostics) ids.AddOrUpdate(d.Id, 1, (_, n) => n + 1);
                if (file.HasErrors) Interlocked.Increment(ref withErrors);
                else Interlocked.Increment(ref clean);

                if (i % DriverEvery == 0)
                {
                    CheckGenerator(path, text, file);
                    CheckAnalyzer(path, text, file);
                    Interlocked.Increment(ref driverRuns);
                }
            }
            catch (Exception ex)
            {
                failures.Enqueue($"case {i} (new Random({BaseSeed + i}), seed {seed.Name}, mutations {how}): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
        });

        stopwatch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        _output.WriteLine($"{Cases} mutated catalogs ({withErrors} with errors, {clean} without), {driverRuns} through the generator driver and CompilationWithAnalyzers, " +
                          $"in {stopwatch.Elapsed.TotalSeconds:F1} s wall, {cpu.TotalSeconds:F1} s CPU");
        _output.WriteLine("diagnostics by id: " + string.Join(", ", ids.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Cases} cases failed; first ones:\n" + string.Join("\n\n", failures.Take(5)));

        // The mutations must reach both outcomes, or the test proves little.
        Assert.True(withErrors > Cases / 4, $"only {withErrors} cases had errors");
        Assert.True(clean > Cases / 50, $"only {clean} cases were clean");
    }

    /// <summary>Parser + CatalogSet + the analyzer's mapping to Roslyn locations; returns the parsed file.</summary>
    private static CatalogFile CheckParserAndMapping(string path, string text)
    {
        var file = CatalogParser.Parse(path, text);
        var set = CatalogSet.From(new[] { file });
        var all = set.AllDiagnostics.ToList();
        Assert.Empty(set.CrossFileDiagnostics);
        Assert.Equal(file.HasErrors, all.Any(d => d.Severity == CatalogSeverity.Error));
        if (file.HasErrors)
        {
            Assert.NotEmpty(file.Diagnostics);
        }

        var source = SourceText.From(text);
        var bom = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        foreach (var d in all)
        {
            Assert.Contains(d.Id, CatalogIds);
            Assert.True(Descriptors.CatalogById.ContainsKey(d.Id), d.Id + " has no descriptor");
            Assert.Equal(d.Id == DiagnosticIds.UnclassifiedPii ? CatalogSeverity.Warning : CatalogSeverity.Error, d.Severity);
            Assert.Equal(path, d.Location.FilePath);
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
            var span = d.Location;
            Assert.True(span.Line >= 1 && span.Column >= 1 && span.EndLine >= span.Line, $"bad span {span}");
            Assert.True(span.EndLine > span.Line || span.EndColumn >= span.Column, $"span ends before it starts: {span}");

            var location = CatalogDiagnosticsAnalyzer.ToLocation(path, source, span);
            var lineSpan = location.GetLineSpan();
            Assert.Equal(path, lineSpan.Path);
            Assert.True(location.SourceSpan.Start >= 0 && location.SourceSpan.End <= source.Length, $"{location.SourceSpan} outside text of {source.Length}");
            Assert.Equal(source.Lines.GetLinePositionSpan(location.SourceSpan), lineSpan.Span);

            // Where the model's position lies inside the text, the mapping must neither move nor clamp it, and YamlDotNet's
            // line counting must agree with Roslyn's: the mapped offset equals the model's own character offset.
            var line = span.Line - 1;
            if (line < source.Lines.Count)
            {
                var shift = line == 0 ? bom : 0;
                var textLine = source.Lines[line];
                if (span.Column - 1 + shift <= textLine.End - textLine.Start)
                {
                    Assert.Equal(new LinePosition(line, span.Column - 1 + shift), lineSpan.StartLinePosition);
                    if (span.Start != 0 || span.Line != 1)
                    {
                        Assert.True(span.Start + bom == location.SourceSpan.Start,
                            $"{d.Id} at {span.Line}:{span.Column} (offset {span.Start}) maps to offset {location.SourceSpan.Start}, line counting disagrees");
                    }
                }
            }
        }

        return file;
    }

    /// <summary>The generator through CSharpGeneratorDriver: no exception, TEL diagnostics at most, and no output for a file with errors.</summary>
    private static void CheckGenerator(string path, string text, CatalogFile file)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new CatalogGenerator().AsSourceGenerator() },
            new AdditionalText[] { new TestAdditionalText(path, text) },
            (CSharpParseOptions)EmptyCompilation.SyntaxTrees[0].Options,
            new TestAnalyzerConfigOptionsProvider(new[] { path }));
        driver = driver.RunGenerators(EmptyCompilation);
        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        Assert.All(result.Diagnostics, d => Assert.StartsWith("TEL", d.Id, StringComparison.Ordinal));
        if (file.HasErrors)
        {
            Assert.Empty(result.GeneratedSources);
            return;
        }

        if (!file.Events.IsEmpty || !file.Metrics.IsEmpty)
        {
            Assert.NotEmpty(result.GeneratedSources);
        }

        foreach (var generated in result.GeneratedSources)
        {
            var errors = generated.SyntaxTree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{generated.HintName} does not parse: {string.Join("; ", errors.Take(3))}");
        }
    }

    /// <summary>The analyzer as the compiler runs it: no AD0001, no exception, and exactly the model's diagnostics.</summary>
    private static void CheckAnalyzer(string path, string text, CatalogFile file)
    {
        var run = CompilerHarness.AnalyzeAsync(EmptyCompilation, new[] { new TestAdditionalText(path, text) }, CompilerHarness.GlobalConfig(new[] { path }))
            .GetAwaiter().GetResult();
        Assert.Empty(run.Exceptions);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "AD0001");
        var source = SourceText.From(text);
        var expected = file.Diagnostics.Select(d => d.Id + CatalogDiagnosticsAnalyzer.ToLocation(path, source, d.Location).GetLineSpan().Span).OrderBy(s => s, StringComparer.Ordinal);
        var actual = run.Diagnostics.Select(d => d.Id + d.Location.GetLineSpan().Span).OrderBy(s => s, StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }
}
