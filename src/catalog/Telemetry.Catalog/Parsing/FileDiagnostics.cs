using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>The diagnostics of the file being read; each is reported at the default severity of its id (<see cref="DiagnosticTable"/>).</summary>
internal sealed class FileDiagnostics
{
    public FileDiagnostics(string filePath, List<CatalogDiagnostic> list)
    {
        FilePath = filePath;
        List = list;
    }

    /// <summary>Path of the file, as given to the parser.</summary>
    public string FilePath { get; }

    /// <summary>The diagnostics so far (shared with the <see cref="MappingReader"/>s of the file).</summary>
    public List<CatalogDiagnostic> List { get; }

    /// <summary>Reports <paramref name="id"/> at <paramref name="span"/>.</summary>
    public void Report(string id, SourceSpan span, string message) => List.Add(new CatalogDiagnostic(id, message, span));

    /// <summary>The diagnostics without repeats, in file order.</summary>
    public List<CatalogDiagnostic> Distinct()
    {
        var seen = new HashSet<CatalogDiagnostic>();
        var result = new List<CatalogDiagnostic>();
        foreach (var d in List)
        {
            if (seen.Add(d)) result.Add(d);
        }

        result.Sort((a, b) => a.Location.Start != b.Location.Start ? a.Location.Start.CompareTo(b.Location.Start) : string.CompareOrdinal(a.Id, b.Id));
        return result;
    }
}
