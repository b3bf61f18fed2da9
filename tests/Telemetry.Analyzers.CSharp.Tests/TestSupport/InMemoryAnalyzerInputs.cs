using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Telemetry.Analyzers.CSharp.Tests.TestSupport;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class InMemoryText(string path, string text) : AdditionalText
{
    public override string Path => path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>
/// Per-AdditionalFile metadata as the package's CompilerVisibleItemMetadata produces it: files under
/// <see cref="TelemetryProject.CatalogFolder"/> ending in .yaml are catalogs, <see cref="TelemetryProject.LockPath"/> is the lock.
/// </summary>
internal sealed class CatalogOptionsProvider : AnalyzerConfigOptionsProvider
{
    private static readonly AnalyzerConfigOptions Empty = new Options(null, null);

    public override AnalyzerConfigOptions GlobalOptions => Empty;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        textFile.Path == TelemetryProject.LockPath
            ? new Options("build_metadata.AdditionalFiles.TelemetryCatalogLock", "true")
            : textFile.Path.EndsWith(".yaml", StringComparison.Ordinal)
                ? new Options("build_metadata.AdditionalFiles.TelemetryCatalog", "true")
                : Empty;

    private sealed class Options(string? key, string? value) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string name, out string result)
        {
            var found = key is not null && name == key;
            result = found ? value! : null!;
            return found;
        }
    }
}
