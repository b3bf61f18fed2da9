using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>
/// Stands in for the options MSBuild passes through the generated .editorconfig: global
/// <c>build_property.*</c> values, and <c>build_metadata.AdditionalFiles.TelemetryCatalog</c> per catalog path.
/// </summary>
internal sealed class TestAnalyzerConfigOptionsProvider : AnalyzerConfigOptionsProvider
{
    private readonly ImmutableDictionary<string, TestAnalyzerConfigOptions> _byPath;

    public TestAnalyzerConfigOptionsProvider(IEnumerable<CatalogInput> files, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        GlobalOptions = new TestAnalyzerConfigOptions(globalOptions ?? new Dictionary<string, string>());
        _byPath = files
            .Where(f => f.IsCatalog)
            .GroupBy(f => f.Path, StringComparer.Ordinal)
            .ToImmutableDictionary(
                g => g.Key,
                _ => new TestAnalyzerConfigOptions(new Dictionary<string, string> { [Telemetry.Analyzers.CatalogFileFilter.MetadataKey] = "true" }),
                StringComparer.Ordinal);
    }

    public override AnalyzerConfigOptions GlobalOptions { get; }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => TestAnalyzerConfigOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        _byPath.TryGetValue(textFile.Path, out var options) ? options : TestAnalyzerConfigOptions.Empty;
}

/// <summary>A fixed set of analyzer-config keys and values (keys compare case-insensitively, as in .editorconfig).</summary>
internal sealed class TestAnalyzerConfigOptions : AnalyzerConfigOptions
{
    public static readonly TestAnalyzerConfigOptions Empty = new(new Dictionary<string, string>());

    private readonly Dictionary<string, string> _values;

    public TestAnalyzerConfigOptions(IReadOnlyDictionary<string, string> values) =>
        _values = new Dictionary<string, string>(values.ToDictionary(p => p.Key, p => p.Value), KeyComparer);

    public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
        _values.TryGetValue(key, out value);
}
