namespace Telemetry.Catalog.Model;

/// <summary>One parsed catalog file: its events (derived aggregate events included), metrics and diagnostics.</summary>
/// <param name="FilePath">Path as given to the parser.</param>
/// <param name="Feature">The file's feature (prefix of action keys).</param>
/// <param name="Description">What the feature is.</param>
/// <param name="Owner">Owning team.</param>
/// <param name="Events">Events in catalog order; a derived aggregate follows its source.</param>
/// <param name="Metrics">Metrics in catalog order.</param>
/// <param name="Diagnostics">Problems found in this file alone (cross-file checks: <see cref="Telemetry.Catalog.CatalogSet"/>).</param>
/// <param name="ContentHash">FNV-1a 64 of the text, for caches and lock files.</param>
public sealed record CatalogFile(
    string FilePath,
    string? Feature,
    string? Description,
    string? Owner,
    EquatableArray<EventSpec> Events,
    EquatableArray<MetricSpec> Metrics,
    EquatableArray<CatalogDiagnostic> Diagnostics,
    string ContentHash)
{
    /// <summary>The file's shared property definitions (top-level <c>definitions:</c>), in catalog order.</summary>
    public EquatableArray<PropertySpec> Definitions { get; init; }

    /// <summary>True when any diagnostic is an error at its default severity.</summary>
    public bool HasErrors => HasErrorsUnder(ConfiguredSeverities.None);

    /// <summary>
    /// True when any diagnostic is an error at the severity the project configures (<paramref name="severities"/>):
    /// the generator skips such a file (see <see cref="ConfiguredSeverities.BlocksGeneration"/>).
    /// </summary>
    public bool HasErrorsUnder(ConfiguredSeverities severities)
    {
        foreach (var d in Diagnostics)
        {
            if (severities.BlocksGeneration(d)) return true;
        }

        return false;
    }
}
