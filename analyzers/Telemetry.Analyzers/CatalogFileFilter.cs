using System;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Telemetry.Analyzers;

/// <summary>Decides which AdditionalFiles are catalog files. Shared with the analyzers.</summary>
public static class CatalogFileFilter
{
    /// <summary>Item metadata that marks a catalog file (made compiler-visible by the package's props).</summary>
    public const string MetadataKey = "build_metadata.AdditionalFiles.TelemetryCatalog";

    /// <summary>True for a .yaml/.yml AdditionalFile whose TelemetryCatalog metadata is true.</summary>
    public static bool IsCatalog(string path, AnalyzerConfigOptions options) =>
        (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) &&
        options.TryGetValue(MetadataKey, out var value) &&
        string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
