namespace Telemetry.Generators;

/// <summary>Names of the generator's pipeline steps, so tests can assert what was cached.</summary>
public static class TrackingNames
{
    /// <summary>Catalog AdditionalFiles read into (path, text).</summary>
    public const string CatalogTexts = nameof(CatalogTexts);

    /// <summary>Each text parsed into the catalog model.</summary>
    public const string CatalogFiles = nameof(CatalogFiles);
    /// <summary>The shared definitions of all catalog files (first parsing pass).</summary>
    public const string Definitions = nameof(Definitions);

    /// <summary>Cross-file index: duplicates and hint names.</summary>
    public const string CatalogIndex = nameof(CatalogIndex);

    /// <summary>Per-file generation spec (names and types resolved; what the emitters write).</summary>
    public const string FileModels = nameof(FileModels);

    /// <summary>Generator options from MSBuild properties.</summary>
    public const string Options = nameof(Options);
}
