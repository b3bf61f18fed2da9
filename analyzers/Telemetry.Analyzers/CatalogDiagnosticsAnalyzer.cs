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
    // Parse each text once per host process, however many compilations and analyzers ask.
    private static readonly ConditionalWeakTable<SourceText, CatalogFile> Parsed = new();

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = Descriptors.CatalogById.Values.ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var catalogs = start.Options.AdditionalFiles
                .Where(f => CatalogFileFilter.IsCatalog(f.Path, start.Options.AnalyzerConfigOptionsProvider.GetOptions(f)))
                .ToList();
            if (catalogs.Count == 0) return;

            // Cross-file checks (TEL0004) need every file; computed once per compilation, lazily.
            var crossFile = new Lazy<IReadOnlyList<CatalogDiagnostic>>(() =>
                CatalogSet.From(catalogs.Select(f => Parse(f, start.CancellationToken))).CrossFileDiagnostics);

            start.RegisterAdditionalFileAction(ctx =>
            {
                if (!catalogs.Contains(ctx.AdditionalFile)) return;
                var text = ctx.AdditionalFile.GetText(ctx.CancellationToken);
                if (text is null) return;
                var file = Parse(ctx.AdditionalFile, ctx.CancellationToken);
                foreach (var d in file.Diagnostics) Report(ctx, text, d);
                foreach (var d in crossFile.Value)
                {
                    if (string.Equals(d.Location.FilePath, ctx.AdditionalFile.Path, StringComparison.Ordinal)) Report(ctx, text, d);
                }
            });
        });
    }

    internal static CatalogFile Parse(AdditionalText file, System.Threading.CancellationToken ct)
    {
        var text = file.GetText(ct);
        if (text is null) return CatalogParser.Parse(file.Path, string.Empty);
        return Parsed.GetValue(text, t => CatalogParser.Parse(file.Path, t.ToString()));
    }

    private static void Report(AdditionalFileAnalysisContext ctx, SourceText text, CatalogDiagnostic d)
    {
        if (!Descriptors.CatalogById.TryGetValue(d.Id, out var descriptor)) return;
        ctx.ReportDiagnostic(Diagnostic.Create(descriptor, ToLocation(ctx.AdditionalFile.Path, text, d.Location), d.Message));
    }

    /// <summary>Maps the model's 1-based line/column to Roslyn's 0-based span inside the YAML file.</summary>
    internal static Location ToLocation(string path, SourceText text, SourceSpan span)
    {
        var lineCount = text.Lines.Count;
        var startLine = Math.Min(Math.Max(span.Line - 1, 0), Math.Max(lineCount - 1, 0));
        var endLine = Math.Min(Math.Max(span.EndLine - 1, startLine), Math.Max(lineCount - 1, 0));
        var startLineLength = lineCount == 0 ? 0 : text.Lines[startLine].End - text.Lines[startLine].Start;
        var endLineLength = lineCount == 0 ? 0 : text.Lines[endLine].End - text.Lines[endLine].Start;
        var startChar = Math.Min(Math.Max(span.Column - 1, 0), startLineLength);
        var endChar = endLine == startLine ? Math.Min(Math.Max(span.EndColumn - 1, startChar), endLineLength) : Math.Min(Math.Max(span.EndColumn - 1, 0), endLineLength);
        var start = new LinePosition(startLine, startChar);
        var end = new LinePosition(endLine, endChar);
        var textSpan = lineCount == 0 ? new TextSpan(0, 0) : TextSpan.FromBounds(text.Lines[startLine].Start + startChar, Math.Max(text.Lines[startLine].Start + startChar, text.Lines[endLine].Start + endChar));
        return Location.Create(path, textSpan, new LinePositionSpan(start, end));
    }
}
