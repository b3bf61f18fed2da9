using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// TEL4004 (info): an active catalog event that no code of this compilation tracks, reported at the event's
/// line in the YAML file when the compilation ends. A use is a call of the generated Track method (directly, as
/// a method group, or inside any wrapper method of this compilation), a <c>new</c> of the event struct, or
/// <c>ITelemetryClient.Track&lt;TEvent&gt;</c> with it. Uses inside the generator's own output do not count.
/// Derived aggregate events, planned and deprecated events are exempt, as are files with errors (nothing is
/// generated from them). Calls in other projects are invisible here: see docs/diagnostics/TEL4004.md.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UntrackedEventAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UntrackedEvent);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        // Uses in generated code (other generators' wrappers) count; nothing is reported in C# at all.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var catalogs = CatalogFileFilter.Catalogs(start.Options);
            if (catalogs.Count == 0) return;
            var symbols = TelemetrySymbols.Create(start.Compilation);
            if (symbols is null) return;

            var tracked = new ConcurrentDictionary<string, bool>(System.StringComparer.Ordinal);
            start.RegisterOperationAction(
                ctx =>
                {
                    if (symbols.IsGeneratedByTelemetry(ctx.ContainingSymbol.ContainingType)) return;
                    if (Used(ctx.Operation, symbols) is { } name) tracked.TryAdd(name, true);
                },
                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.MethodReference);

            start.RegisterCompilationEndAction(end =>
            {
                var generated = symbols.EventsByName;
                var definitions = CatalogDiagnosticsAnalyzer.Definitions(catalogs, end.CancellationToken);
                foreach (var catalog in catalogs)
                {
                    var text = catalog.GetText(end.CancellationToken);
                    if (text is null) continue;
                    var file = CatalogDiagnosticsAnalyzer.Parse(catalog, definitions, end.CancellationToken);
                    if (file.HasErrors) continue;
                    foreach (var e in file.Events)
                    {
                        if (e.IsAggregate || e.Status != EventStatus.Active || tracked.ContainsKey(e.Name) || !generated.ContainsKey(e.Name)) continue;
                        end.ReportDiagnostic(Diagnostic.Create(Descriptors.UntrackedEvent,
                            CatalogDiagnosticsAnalyzer.ToLocation(catalog.Path, text, e.Location), e.Name, Naming.TrackMethod(e.Name)));
                    }
                }
            });
        });
    }

    private static string? Used(IOperation operation, TelemetrySymbols symbols)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (symbols.TrackedEvent(invocation.TargetMethod) is { } tracked) return tracked.Name;

                // client.Track(in evt): the runtime's generic entry point with a generated event type.
                var method = invocation.TargetMethod;
                return method.Name == "Track" && method.TypeArguments.Length == 1 && symbols.Event(method.TypeArguments[0]) is { } direct ? direct.Name : null;
            case IMethodReferenceOperation reference:
                return symbols.TrackedEvent(reference.Method)?.Name;
            case IObjectCreationOperation creation:
                return symbols.Event(creation.Type)?.Name;
            default:
                return null;
        }
    }
}
