using Microsoft.CodeAnalysis.Diagnostics;
using Telemetry.Catalog;

namespace Telemetry.Analyzers.Lock;

/// <summary>Applies the catalog library's lock-file rule (<see cref="CatalogFiles.IsLock"/>) to an AdditionalFile's options.</summary>
public static class CatalogLockFileFilter
{
    /// <summary>Item metadata that marks the lock file (made compiler-visible by the package's props).</summary>
    public const string MetadataKey = CatalogFiles.LockMetadataKey;

    /// <summary>True for a .json AdditionalFile whose TelemetryCatalogLock metadata is true.</summary>
    public static bool IsLock(string path, AnalyzerConfigOptions options) =>
        CatalogFiles.IsLock(path, options.TryGetValue(MetadataKey, out var value) ? value : null);
}
