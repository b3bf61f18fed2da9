namespace Telemetry.Catalog.Model;

/// <summary>
/// Where a node stands in a catalog file. Lines and columns are 1-based, as editors and
/// <c>dotnet build</c> print them; the analyzer converts them to Roslyn's 0-based positions.
/// <see cref="Start"/>/<see cref="End"/> are character offsets into the file for span-based tools.
/// </summary>
public sealed record SourceSpan(string FilePath, int Line, int Column, int EndLine, int EndColumn, int Start, int End)
{
    /// <summary>A span that points at the start of a file (used when no better position is known).</summary>
    public static SourceSpan StartOf(string filePath) => new(filePath, 1, 1, 1, 1, 0, 0);

    /// <inheritdoc/>
    public override string ToString() => $"{FilePath}({Line},{Column})";
}
