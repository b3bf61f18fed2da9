using System;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Telemetry.Analyzers.Lock;

/// <summary>Decides which AdditionalFile is the catalog lock (<c>catalog.lock.json</c>, added by the package's targets).</summary>
public static class CatalogLockFileFilter
{
    /// <summary>Item metadata that marks the lock file (made compiler-visible by the package's props).</summary>
    public const string MetadataKey = "build_metadata.AdditionalFiles.TelemetryCatalogLock";

    /// <summary>True for a .json AdditionalFile whose TelemetryCatalogLock metadata is true.</summary>
    public static bool IsLock(string path, AnalyzerConfigOptions options) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) &&
        options.TryGetValue(MetadataKey, out var value) &&
        string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
