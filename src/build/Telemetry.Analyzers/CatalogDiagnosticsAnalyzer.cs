using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Catalog;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Analyzers;

/// <summary>
/// Reports the shared catalog model's diagnostics at the YAML file's line and column, in
/// <c>dotnet build</c> output and in the IDE error list. No second parser: it maps
/// <see cref="CatalogDiagnostic"/> data to Roslyn diagnostics.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CatalogDiagnosticsAnalyzer : DiagnosticAnalyzer
{
    // Parse each text once per host process (and set of shared definitions), however many compilations and analyzers ask.
    private static readonly ConditionalWeakTable<SourceText, ParsedEntry> Parsed = new();
    private static readonly ConditionalWeakTable<SourceText, DefinitionsEntry> ParsedDefinitions = new();

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = Descriptors.CatalogById.Values.ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var catalogs = CatalogFileFilter.Catalogs(start.Options);
            if (catalogs.Count == 0) return;

            // Cross-file checks (TEL0004) and shared definitions need every file; computed once per compilation, lazily.
            var definitions = new Lazy<DefinitionTable>(() => Definitions(catalogs, start.CancellationToken));
            var crossFile = new Lazy<IReadOnlyList<CatalogDiagnostic>>(() =>
                CatalogSet.From(catalogs.Select(f => Parse(f, definitions.Value, start.CancellationToken))).CrossFileDiagnostics);

            start.RegisterAdditionalFileAction(ctx =>
            {
                if (!catalogs.Contains(ctx.AdditionalFile)) return;
                var text = ctx.AdditionalFile.GetText(ctx.CancellationToken);
                if (text is null) return;
                var file = Parse(ctx.AdditionalFile, definitions.Value, ctx.CancellationToken);
                foreach (var d in file.Diagnostics) Report(ctx, text, d);
                foreach (var d in crossFile.Value)
                {
                    if (string.Equals(d.Location.FilePath, ctx.AdditionalFile.Path, StringComparison.Ordinal)) Report(ctx, text, d);
                }
            });
        });
    }

    /// <summary>The shared definitions of all <paramref name="catalogs"/> (each file's read once per text).</summary>
    internal static DefinitionTable Definitions(IEnumerable<AdditionalText> catalogs, System.Threading.CancellationToken ct)
    {
        var perFile = new List<KeyValuePair<string, EquatableArray<PropertySpec>>>();
        foreach (var f in catalogs)
        {
            var text = f.GetText(ct);
            if (text is null) continue;
            var defs = ParsedDefinitions.GetValue(text, t => new DefinitionsEntry(CatalogParser.ReadDefinitions(f.Path, t.ToString()))).Definitions;
            if (!defs.IsEmpty) perFile.Add(new KeyValuePair<string, EquatableArray<PropertySpec>>(f.Path, defs));
        }

        return DefinitionTable.From(perFile);
    }

    /// <summary>Parses <paramref name="file"/> with <c>ref:</c> resolved against <paramref name="definitions"/>.</summary>
    internal static CatalogFile Parse(AdditionalText file, DefinitionTable definitions, System.Threading.CancellationToken ct)
    {
        var text = file.GetText(ct);
        if (text is null) return CatalogParser.Parse(file.Path, string.Empty);
        var entry = Parsed.GetValue(text, _ => new ParsedEntry());
        lock (entry)
        {
            if (entry.File is null || !definitions.Equals(entry.Definitions))
            {
                entry.File = CatalogParser.Parse(file.Path, text.ToString(), definitions);
                entry.Definitions = definitions;
            }

            return entry.File;
        }
    }

    private sealed class ParsedEntry
    {
        public DefinitionTable? Definitions;
        public CatalogFile? File;
    }

    private sealed class DefinitionsEntry(EquatableArray<PropertySpec> definitions)
    {
        public EquatableArray<PropertySpec> Definitions { get; } = definitions;
    }

    private static void Report(AdditionalFileAnalysisContext ctx, SourceText text, CatalogDiagnostic d)
    {
        if (!Descriptors.CatalogById.TryGetValue(d.Id, out var descriptor)) return;
        ctx.ReportDiagnostic(Diagnostic.Create(descriptor, ToLocation(ctx.AdditionalFile.Path, text, d.Location), d.Message));
    }

    /// <summary>Maps the model's 1-based line/column to Roslyn's 0-based span inside the YAML file.</summary>
    /// <remarks>
    /// Positions past the text are clamped to it. The parser strips a leading U+FEFF (BOM) before it counts
    /// columns; a <see cref="SourceText"/> built from a string (not decoded from a file) may still hold it as
    /// character 0, so columns on line 1 move right by one there.
    /// </remarks>
    internal static Location ToLocation(string path, SourceText text, SourceSpan span)
    {
        var lines = text.Lines;
        var last = Math.Max(lines.Count - 1, 0);
        var bom = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var startLine = Clamp(span.Line - 1L, 0, last);
        var endLine = Clamp(span.EndLine - 1L, startLine, last);
        var startChar = Clamp(span.Column - 1L + (startLine == 0 ? bom : 0), 0, LineLength(lines, startLine));
        var endChar = Clamp(span.EndColumn - 1L + (endLine == 0 ? bom : 0), endLine == startLine ? startChar : 0, LineLength(lines, endLine));
        if (lines.Count == 0) return Location.Create(path, new TextSpan(0, 0), new LinePositionSpan(LinePosition.Zero, LinePosition.Zero));
        var textSpan = TextSpan.FromBounds(lines[startLine].Start + startChar, lines[endLine].Start + endChar);
        return Location.Create(path, textSpan, new LinePositionSpan(new LinePosition(startLine, startChar), new LinePosition(endLine, endChar)));
    }

    private static int LineLength(TextLineCollection lines, int line) => lines.Count == 0 ? 0 : lines[line].End - lines[line].Start;

    private static int Clamp(long value, int min, int max) => (int)Math.Max(min, Math.Min(Math.Max(min, max), value));
}
