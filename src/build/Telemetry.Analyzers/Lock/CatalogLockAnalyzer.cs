using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Catalog;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers.Lock;

/// <summary>
/// TEL3001: compares the catalog with <c>catalog.lock.json</c> (the AdditionalFile marked
/// <c>TelemetryCatalogLock=true</c>) on every build, with the shared <see cref="CatalogLock.Compare"/> rules.
/// Breaking changes are reported at the event or property in the YAML file; a removed event at its entry in the
/// lock file. No lock file, no check: the lock is written on purpose, by the <c>TelemetryUpdateLock</c> target.
/// While a catalog file has errors (TEL0001-TEL0005 already fail the build) the comparison is skipped, so
/// half-parsed files never show up as removed events.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CatalogLockAnalyzer : DiagnosticAnalyzer
{
    private static readonly ConditionalWeakTable<SourceText, CatalogLockFile> ParsedLocks = new();

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BreakingChange, Descriptors.InvalidYaml, Descriptors.InvalidStructure);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var options = start.Options.AnalyzerConfigOptionsProvider;
            var catalogs = CatalogFileFilter.Catalogs(start.Options);
            var lockFile = start.Options.AdditionalFiles
                .Where(f => CatalogLockFileFilter.IsLock(f.Path, options.GetOptions(f)))
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .FirstOrDefault();
            if (lockFile is null || catalogs.Count == 0) return;

            var results = new Lazy<IReadOnlyList<CatalogDiagnostic>>(() => Compare(catalogs, lockFile, start.CancellationToken));
            start.RegisterAdditionalFileAction(ctx =>
            {
                if (ctx.AdditionalFile != lockFile && !catalogs.Contains(ctx.AdditionalFile)) return;
                var text = ctx.AdditionalFile.GetText(ctx.CancellationToken);
                if (text is null) return;
                foreach (var d in results.Value)
                {
                    if (!string.Equals(d.Location.FilePath, ctx.AdditionalFile.Path, StringComparison.Ordinal)) continue;
                    var descriptor = d.Id switch
                    {
                        DiagnosticIds.BreakingChange => Descriptors.BreakingChange,
                        DiagnosticIds.InvalidYaml => Descriptors.InvalidYaml,
                        _ => Descriptors.InvalidStructure,
                    };
                    ctx.ReportDiagnostic(Diagnostic.Create(descriptor, CatalogDiagnosticsAnalyzer.ToLocation(ctx.AdditionalFile.Path, text, d.Location), d.Message));
                }
            });
        });
    }

    private static IReadOnlyList<CatalogDiagnostic> Compare(IReadOnlyList<AdditionalText> catalogs, AdditionalText lockFile, System.Threading.CancellationToken ct)
    {
        var definitions = CatalogDiagnosticsAnalyzer.Definitions(catalogs, ct);
        var set = CatalogSet.From(catalogs.Select(f => CatalogDiagnosticsAnalyzer.Parse(f, definitions, ct)));
        if (CatalogLockCheck.HasErrorsInScope(set)) return Array.Empty<CatalogDiagnostic>();

        var text = lockFile.GetText(ct);
        if (text is null) return Array.Empty<CatalogDiagnostic>();
        var locked = ParsedLocks.GetValue(text, t => CatalogLock.Read(lockFile.Path, t.ToString()));

        // The one lock check; its scope here: every catalog file of the compilation. An unreadable lock is its own
        // problem (TEL0001/TEL0002 at the lock file).
        var check = CatalogLockCheck.Run(set, locked);
        return check.Outcome == CatalogLockCheckOutcome.LockUnreadable ? locked.Diagnostics.ToList() : check.Breaking;
    }
}
