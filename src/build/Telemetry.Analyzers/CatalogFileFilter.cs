using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
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

    /// <summary>The AdditionalFiles of <paramref name="options"/> that are catalogs, in the order the compiler gives them.</summary>
    public static List<AdditionalText> Catalogs(AnalyzerOptions options) =>
        options.AdditionalFiles.Where(f => IsCatalog(f.Path, options.AnalyzerConfigOptionsProvider.GetOptions(f))).ToList();
}
