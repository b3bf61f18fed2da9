namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>A catalog file as the compiler would see it: an AdditionalFile path (absolute, as MSBuild passes them) and its text.</summary>
/// <param name="Path">Absolute path with forward slashes, e.g. <c>/project/catalog/watchlist.yaml</c>.</param>
/// <param name="Text">The YAML.</param>
/// <param name="IsCatalog">False for an AdditionalFile without <c>TelemetryCatalog=true</c>.</param>
internal sealed record CatalogInput(string Path, string Text, bool IsCatalog = true)
{
    /// <summary>The folder every test catalog lives in.</summary>
    public const string Folder = "/project/catalog/";

    /// <summary>A catalog file named <paramref name="fileName"/> in <see cref="Folder"/>.</summary>
    public static CatalogInput File(string fileName, string text) => new(Folder + fileName, text);

    /// <summary>Every shipped catalog file of the repository, under <see cref="Folder"/>.</summary>
    public static IReadOnlyList<CatalogInput> Shipped() =>
        Directory.GetFiles(RepoPaths.Catalog, "*.yaml")
            .Concat(Directory.GetFiles(RepoPaths.Catalog, "*.yml"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => File(System.IO.Path.GetFileName(p), System.IO.File.ReadAllText(p)))
            .ToList();
}
