using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>
/// The entry point from text to model: one catalog file into a <see cref="CatalogFile"/> with <c>defaults</c> applied,
/// the derived aggregate events, and every single-file diagnostic. Never throws on any input text. It guards the text
/// (size, BOM, YAML) and hands the tree to the jobs: <see cref="CatalogReader"/> (YAML to model, with
/// <see cref="Defaults"/>, <see cref="PropertyReader"/>, <see cref="DefinitionResolver"/> and <see cref="AggregateReader"/>),
/// the rules in <c>Rules/</c> (one class per diagnostic family) and <see cref="Derivation.AggregateDerivation"/>.
/// Cross-file checks: <see cref="CatalogSet"/>.
/// </summary>
public static class CatalogParser
{
    /// <summary>Files larger than this are rejected before parsing (a catalog is a few kilobytes).</summary>
    public const int MaxFileLength = 4 * 1024 * 1024;

    /// <summary>Parses <paramref name="text"/>, read from <paramref name="filePath"/>; <c>ref:</c> resolves against the file's own definitions.</summary>
    public static CatalogFile Parse(string filePath, string text) => Parse(filePath, text, null);

    /// <summary>
    /// Parses <paramref name="text"/>, read from <paramref name="filePath"/>, resolving <c>ref:</c> against
    /// <paramref name="definitions"/> (the definitions of every catalog file, <see cref="ReadDefinitions"/>) and then the file's own.
    /// </summary>
    public static CatalogFile Parse(string filePath, string text, DefinitionTable? definitions)
    {
        var diagnostics = new List<CatalogDiagnostic>();
        var hash = ContentHash.Of(text ?? string.Empty);
        if (text is null || text.Length > MaxFileLength)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml,
                $"Catalog file is larger than {MaxFileLength / (1024 * 1024)} MB", SourceSpan.StartOf(filePath)));
            return Empty(filePath, diagnostics, hash);
        }

        // A UTF-8 BOM decoded as U+FEFF is legal; strip it so columns on line 1 stay right.
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);

        var root = YamlTreeReader.Read(filePath, text, diagnostics);
        if (root is null)
        {
            if (diagnostics.Count == 0)
            {
                diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidStructure,
                    "Catalog file is empty: it needs 'feature:' and 'events:' or 'metrics:'", SourceSpan.StartOf(filePath)));
            }

            return Empty(filePath, diagnostics, hash);
        }

        try
        {
            return new CatalogReader(new FileDiagnostics(filePath, diagnostics), definitions ?? DefinitionTable.Empty).Read(root, hash);
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException or OverflowException or FormatException or InvalidOperationException)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidStructure,
                "Catalog could not be read: " + ex.Message, SourceSpan.StartOf(filePath)));
            return Empty(filePath, diagnostics, hash);
        }
    }

    /// <summary>
    /// The shared definitions of one file (top-level <c>definitions:</c>) without its diagnostics: the first pass
    /// over all files, so that a <c>ref:</c> in any file can name a definition in any other. Cheap for files
    /// without definitions (no YAML is read).
    /// </summary>
    public static EquatableArray<PropertySpec> ReadDefinitions(string filePath, string text)
    {
        if (text is null || text.Length > MaxFileLength || text.IndexOf("definitions", StringComparison.Ordinal) < 0) return EquatableArray<PropertySpec>.Empty;
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        var scratch = new List<CatalogDiagnostic>();
        var root = YamlTreeReader.Read(filePath, text, scratch);
        if (root is null || root.Kind != YamlNodeKind.Mapping) return EquatableArray<PropertySpec>.Empty;
        try
        {
            return new CatalogReader(new FileDiagnostics(filePath, scratch), DefinitionTable.Empty).ReadDefinitionsOnly(root);
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException or OverflowException or FormatException or InvalidOperationException)
        {
            return EquatableArray<PropertySpec>.Empty;
        }
    }

    internal static CatalogFile Empty(string filePath, List<CatalogDiagnostic> diagnostics, string hash) =>
        new(filePath, null, null, null, EquatableArray<EventSpec>.Empty, EquatableArray<MetricSpec>.Empty, diagnostics.ToEquatableArray(), hash);
}
