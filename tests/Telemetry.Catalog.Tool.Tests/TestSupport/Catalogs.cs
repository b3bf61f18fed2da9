using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tool.Tests.TestSupport;

/// <summary>Catalog folders parsed with the shared library, for tests that check the tool's output against the model.</summary>
internal static class Catalogs
{
    public static CatalogSet Load(string folder) =>
        CatalogSet.Parse(Directory.GetFiles(folder, "*.y*ml", SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new KeyValuePair<string, string>(f, File.ReadAllText(f))));

    public static CatalogSet Shipped() => Load(Path.Combine(RepoPaths.Root, "catalog"));

    public static EventSpec Event(CatalogSet set, string name) => set.Events.Single(e => e.Name == name);
}
