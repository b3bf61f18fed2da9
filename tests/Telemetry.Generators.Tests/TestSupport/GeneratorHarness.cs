using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>Runs <see cref="CatalogGenerator"/> through a real <see cref="CSharpGeneratorDriver"/> over in-memory catalogs.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    /// <summary>
    /// What the .NET SDK suppresses in every build (CS1701/CS1702: a net8.0 dependency's System.Runtime 8.0 unified
    /// with 10.0), and CS1591 (missing XML docs), which only concerns the tests' own driver code.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ReportDiagnostic> SuppressedDiagnostics = new Dictionary<string, ReportDiagnostic>
    {
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
        ["CS1591"] = ReportDiagnostic.Suppress,
    };

    /// <summary>Options of a typical consuming project: nullable enabled, every warning an error.</summary>
    public static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: ReportDiagnostic.Error,
            deterministic: true)
        .WithSpecificDiagnosticOptions(SuppressedDiagnostics);

    /// <summary>A compilation of <paramref name="sources"/> against the framework and Telemetry.Runtime.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, IEnumerable<MetadataReference>? extraReferences = null, string assemblyName = "Consumer") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/project/Source{i}.cs")),
            References.All.AddRange(extraReferences ?? Enumerable.Empty<MetadataReference>()),
            CompilationOptions);

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation((IEnumerable<string>)sources);

    /// <summary>A driver with incremental step tracking over <paramref name="files"/>.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<CatalogInput> files, IEnumerable<AdditionalText> texts, IReadOnlyDictionary<string, string>? globalOptions = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new CatalogGenerator().AsSourceGenerator() },
            texts,
            ParseOptions,
            new TestAnalyzerConfigOptionsProvider(files, globalOptions),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="files"/> with a near-empty consumer compilation.</summary>
    public static GeneratorRun Run(IEnumerable<CatalogInput> files, IReadOnlyDictionary<string, string>? globalOptions = null, params string[] sources)
    {
        var list = files.ToList();
        var texts = list.Select(f => (AdditionalText)new TestAdditionalText(f.Path, f.Text)).ToList();
        var compilation = CreateCompilation(sources.Length == 0 ? new[] { "namespace Consumer { internal static class Anchor { } }" } : sources);
        var driver = CreateDriver(list, texts, globalOptions).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(driver, compilation, output, diagnostics, texts);
    }
}

/// <summary>One generator run: the driver (to run again incrementally), input and output compilations, the driver's diagnostics and its additional texts.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Input, Compilation Output, ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<AdditionalText> Texts)
{
    /// <summary>The AdditionalText instance the driver was created with for <paramref name="path"/> (what ReplaceAdditionalText needs).</summary>
    public AdditionalText Text(string path) => Texts.Single(t => t.Path == path);

    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>Generated sources by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>Compiler diagnostics of the output compilation (warnings are errors under <see cref="GeneratorHarness.CompilationOptions"/>).</summary>
    public IReadOnlyList<Diagnostic> CompilationErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    public static string Describe(IEnumerable<Diagnostic> diagnostics)
    {
        var lines = diagnostics.Take(30).Select(d => "  " + d).ToList();
        return lines.Count == 0 ? "  (none)" : string.Join("\n", lines);
    }
}
