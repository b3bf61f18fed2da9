using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Telemetry.Analyzers.Tests.TestSupport;

/// <summary>
/// Runs <see cref="CatalogDiagnosticsAnalyzer"/> the way the compiler does: catalog files as AdditionalFiles,
/// marked by <c>build_metadata.AdditionalFiles.TelemetryCatalog = true</c> in a <c>/.globalconfig</c> section
/// per file (what the package's CompilerVisibleItemMetadata produces), as in roslyn-analyzers' ResxGeneratorTests.
/// </summary>
internal sealed class CatalogAnalyzerTest : CSharpAnalyzerTest<CatalogDiagnosticsAnalyzer, DefaultVerifier>
{
    /// <summary>Where catalog files live in the test project (the framework names files by the path given).</summary>
    public const string Folder = "/0/catalog/";

    private readonly List<string> _catalogPaths = new();
    private readonly List<(string Path, string Value)> _sections = new();
    private readonly StringBuilder _globalOptions = new();

    public CatalogAnalyzerTest()
    {
        ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
        TestState.Sources.Add(("/0/Program.cs", "internal static class Program { }"));
    }

    /// <summary>Path of a catalog file named <paramref name="name"/>.</summary>
    public static string PathOf(string name) => Folder + name;

    /// <summary>Adds a catalog file marked as a catalog.</summary>
    public CatalogAnalyzerTest WithCatalog(string name, string yaml) => WithCatalog(name, SourceText.From(yaml));

    /// <summary>Adds a catalog file marked as a catalog, with its text as given (e.g. decoded from bytes).</summary>
    public CatalogAnalyzerTest WithCatalog(string name, SourceText text)
    {
        TestState.AdditionalFiles.Add((PathOf(name), text));
        _catalogPaths.Add(PathOf(name));
        return this;
    }

    /// <summary>Adds an AdditionalFile with explicit (or no) TelemetryCatalog metadata.</summary>
    public CatalogAnalyzerTest WithAdditionalFile(string name, string text, string? telemetryCatalogMetadata)
    {
        TestState.AdditionalFiles.Add((PathOf(name), text));
        if (telemetryCatalogMetadata is not null)
        {
            _sections.Add((PathOf(name), telemetryCatalogMetadata));
        }

        return this;
    }

    /// <summary>Adds a global option line such as <c>dotnet_diagnostic.TEL1001.severity = error</c>.</summary>
    public CatalogAnalyzerTest WithGlobalOption(string line)
    {
        _globalOptions.AppendLine(line);
        return this;
    }

    public CatalogAnalyzerTest Expect(params DiagnosticResult[] expected)
    {
        ExpectedDiagnostics.AddRange(expected);
        return this;
    }

    public new Task RunAsync(CancellationToken cancellationToken = default)
    {
        var config = new StringBuilder();
        config.AppendLine("is_global = true");
        config.Append(_globalOptions);
        foreach (var path in _catalogPaths)
        {
            config.AppendLine().AppendLine($"[{path}]").AppendLine("build_metadata.AdditionalFiles.TelemetryCatalog = true");
        }

        foreach (var (path, value) in _sections)
        {
            config.AppendLine().AppendLine($"[{path}]").AppendLine($"build_metadata.AdditionalFiles.TelemetryCatalog = {value}");
        }

        TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config.ToString()));
        return base.RunAsync(cancellationToken);
    }

    /// <summary>
    /// An expected catalog diagnostic with the descriptor's default severity. The message is the model's text
    /// (format "{0}"), so it is checked only where a test adds <c>WithMessage</c>.
    /// </summary>
    public static DiagnosticResult Diagnostic(string id) => new(id, Descriptors.CatalogById[id].DefaultSeverity);

    /// <summary>Expects <paramref name="id"/> at a 1-based span of a catalog file.</summary>
    public static DiagnosticResult Diagnostic(string id, string file, int line, int column, int endLine, int endColumn) =>
        Diagnostic(id).WithSpan(PathOf(file), line, column, endLine, endColumn);

    /// <summary>Verifies one catalog file named <c>x.yaml</c>.</summary>
    public static Task VerifyAsync(string yaml, params DiagnosticResult[] expected) =>
        new CatalogAnalyzerTest().WithCatalog("x.yaml", yaml).Expect(expected).RunAsync();

    /// <summary>A UTF-8 file's text as the compiler reads it from disk (a BOM is consumed by decoding, not kept as U+FEFF).</summary>
    public static SourceText FromFileBytes(string text, bool bom) =>
        SourceText.From(new MemoryStream(new UTF8Encoding(bom).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray()), Encoding.UTF8);
}
