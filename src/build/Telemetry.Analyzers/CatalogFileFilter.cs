using Microsoft.CodeAnalysis.Diagnostics;
using Telemetry.Catalog;

namespace Telemetry.Analyzers;

/// <summary>Applies the catalog library's catalog-file rule (<see cref="CatalogFiles.IsCatalog"/>) to an AdditionalFile's options.</summary>
public static class CatalogFileFilter
{
    /// <summary>Item metadata that marks a catalog file (made compiler-visible by the package's props).</summary>
    public const string MetadataKey = CatalogFiles.CatalogMetadataKey;

    /// <summary>True for a .yaml/.yml AdditionalFile whose TelemetryCatalog metadata is true.</summary>
    public static bool IsCatalog(string path, AnalyzerConfigOptions options) =>
        CatalogFiles.IsCatalog(path, options.TryGetValue(MetadataKey, out var value) ? value : null);
}
