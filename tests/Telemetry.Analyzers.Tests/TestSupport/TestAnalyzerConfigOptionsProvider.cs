using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Telemetry.Analyzers.Tests.TestSupport;

/// <summary>Analyzer config options that mark chosen AdditionalFiles as catalogs (what the package's props do via metadata).</summary>
internal sealed class TestAnalyzerConfigOptionsProvider : AnalyzerConfigOptionsProvider
{
    private readonly HashSet<string> _catalogPaths;

    public TestAnalyzerConfigOptionsProvider(IEnumerable<string> catalogPaths, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        _catalogPaths = new HashSet<string>(catalogPaths, StringComparer.Ordinal);
        GlobalOptions = new TestAnalyzerConfigOptions(globalOptions ?? ImmutableDictionary<string, string>.Empty);
    }

    public override AnalyzerConfigOptions GlobalOptions { get; }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => TestAnalyzerConfigOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        _catalogPaths.Contains(textFile.Path) ? TestAnalyzerConfigOptions.Catalog : TestAnalyzerConfigOptions.Empty;
}

/// <summary>A fixed set of options.</summary>
internal sealed class TestAnalyzerConfigOptions : AnalyzerConfigOptions
{
    public static readonly TestAnalyzerConfigOptions Empty = new(ImmutableDictionary<string, string>.Empty);

    public static readonly TestAnalyzerConfigOptions Catalog = new(new Dictionary<string, string> { [CatalogFileFilter.MetadataKey] = "true" });

    private readonly IReadOnlyDictionary<string, string> _values;

    public TestAnalyzerConfigOptions(IReadOnlyDictionary<string, string> values) => _values = values;

    public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
}
