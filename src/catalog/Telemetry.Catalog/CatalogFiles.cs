using System;

namespace Telemetry.Catalog;

/// <summary>
/// Which files are catalog files and which one is the catalog lock: the rule the generator and the analyzers
/// both apply to their AdditionalFiles (through the item metadata the package's props make compiler-visible).
/// </summary>
public static class CatalogFiles
{
    /// <summary>Item metadata that marks a catalog file.</summary>
    public const string CatalogMetadataKey = "build_metadata.AdditionalFiles.TelemetryCatalog";

    /// <summary>Item metadata that marks the catalog lock file.</summary>
    public const string LockMetadataKey = "build_metadata.AdditionalFiles.TelemetryCatalogLock";

    /// <summary>True for a .yaml/.yml file whose TelemetryCatalog metadata (<paramref name="metadata"/>, null when unset) is true.</summary>
    public static bool IsCatalog(string path, string? metadata) =>
        CatalogFolder.HasCatalogExtension(path) && IsTrue(metadata);

    /// <summary>True for a .json file whose TelemetryCatalogLock metadata (<paramref name="metadata"/>, null when unset) is true.</summary>
    public static bool IsLock(string path, string? metadata) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && IsTrue(metadata);

    private static bool IsTrue(string? metadata) => string.Equals(metadata?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
