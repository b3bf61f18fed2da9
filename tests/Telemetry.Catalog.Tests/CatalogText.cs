using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog.Tests;

/// <summary>Small helpers shared by the catalog tests: parse a text, find a position in it.</summary>
internal static class CatalogText
{
    public const string FilePath = "catalog/test.yaml";

    public static CatalogFile Parse(string yaml, string filePath = FilePath) => CatalogParser.Parse(filePath, yaml);

    public static IEnumerable<CatalogDiagnostic> Errors(this CatalogFile file) =>
        file.Diagnostics.Where(d => d.Severity == CatalogSeverity.Error);

    public static EventSpec Event(this CatalogFile file, string name) =>
        file.Events.SingleOrDefault(e => e.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No event '{name}'; events: {string.Join(", ", file.Events.Select(e => e.Name))}; diagnostics:\n{Describe(file.Diagnostics)}");

    public static PropertySpec Property(this EventSpec spec, string name) =>
        spec.Properties.SingleOrDefault(p => p.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No property '{name}' in '{spec.Name}'; properties: {string.Join(", ", spec.Properties.Select(p => p.Name))}");

    /// <summary>1-based line and column of the first occurrence of <paramref name="needle"/>.</summary>
    public static (int Line, int Column) PositionOf(string text, string needle)
    {
        var index = text.IndexOf(needle, StringComparison.Ordinal);
        if (index < 0) throw new ArgumentException($"'{needle}' does not occur in the text", nameof(needle));
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    public static string Describe(IEnumerable<CatalogDiagnostic> diagnostics)
    {
        var lines = diagnostics.Select(d => "  " + d).ToList();
        return lines.Count == 0 ? "  (no diagnostics)" : string.Join("\n", lines);
    }
}
