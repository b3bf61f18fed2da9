using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Telemetry.Catalog;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// TEL4006: a constant argument of a generated Track method (or event constructor) that breaks its property's catalog
/// constraint: a number outside <c>min</c>/<c>max</c>, a string longer than <c>max_length</c> or not matching
/// <c>pattern</c>. Constants are what the compiler folds: literals, <c>const</c>s and constant expressions. The
/// constraints come from the catalog files of the compilation (shared definitions resolved), so the check is the one
/// the generated code runs, moved to where the call is written.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConstantConstraintAnalyzer : DiagnosticAnalyzer
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ConstantBreaksConstraint);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var catalogs = CatalogFileFilter.Catalogs(start.Options);
            if (catalogs.Count == 0) return;
            var symbols = TelemetrySymbols.Create(start.Compilation);
            if (symbols is null) return;

            // Event name -> parameter name -> property, from the catalog as the generator sees it.
            var properties = new Lazy<Dictionary<string, Dictionary<string, PropertySpec>>>(() =>
            {
                var definitions = CatalogDiagnosticsAnalyzer.Definitions(catalogs, start.CancellationToken);
                var map = new Dictionary<string, Dictionary<string, PropertySpec>>(StringComparer.Ordinal);
                foreach (var file in catalogs.Select(f => CatalogDiagnosticsAnalyzer.Parse(f, definitions, start.CancellationToken)))
                {
                    if (file.HasErrors) continue;
                    foreach (var e in file.Events)
                    {
                        if (map.ContainsKey(e.Name)) continue;
                        var byParameter = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
                        foreach (var p in e.Properties) byParameter[Naming.Camel(p.Name)] = p;
                        map[e.Name] = byParameter;
                    }
                }

                return map;
            });

            start.RegisterOperationAction(ctx =>
            {
                var invocation = (IInvocationOperation)ctx.Operation;
                if (symbols.TrackedEvent(invocation.TargetMethod) is not { } info) return;
                Check(ctx, info, invocation.Arguments, properties.Value, isTrack: true);
            }, OperationKind.Invocation);
            start.RegisterOperationAction(ctx =>
            {
                var creation = (IObjectCreationOperation)ctx.Operation;
                if (creation.Constructor is null || symbols.Event(creation.Type) is not { } info) return;
                Check(ctx, info, creation.Arguments, properties.Value, isTrack: false);
            }, OperationKind.ObjectCreation);
        });
    }

    private static void Check(OperationAnalysisContext context, EventTypeInfo info, ImmutableArray<IArgumentOperation> arguments,
        Dictionary<string, Dictionary<string, PropertySpec>> properties, bool isTrack)
    {
        if (!properties.TryGetValue(info.Name, out var byParameter)) return;
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is null) continue;
            if (!byParameter.TryGetValue(argument.Parameter.Name, out var property) || !property.HasCheckedConstraints) continue;
            if (property.Pii is not null && property.Treatment != PiiTreatment.None) continue;
            var value = Unwrap(argument.Value).ConstantValue;
            if (!value.HasValue || value.Value is null) continue;
            if (Broken(property, value.Value) is not { } rule) continue;
            var what = value.Value is string s ? "\"" + (s.Length > 40 ? s.Substring(0, 40) + "…" : s) + "\"" : Convert.ToString(value.Value, CultureInfo.InvariantCulture);
            var outcome = isTrack ? "throw (TelemetryConstraintPolicy=Throw) or drop the event (Report)" : "send a value the ingest server rejects";
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.ConstantBreaksConstraint, argument.Value.Syntax.GetLocation(),
                "The constant " + what, property.Name, info.Name, rule, outcome));
        }
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion && !operation.ConstantValue.HasValue) operation = conversion.Operand;
        return operation;
    }

    /// <summary>The rule <paramref name="value"/> breaks, or null. Clamped properties are only checked for their pattern.</summary>
    internal static string? Broken(PropertySpec property, object value)
    {
        var clamp = property.OnViolation == ConstraintAction.Clamp;
        if (value is string text)
        {
            if (property.Type != PropertyType.String) return null;
            if (!clamp && property.MaxLength is { } maxLength && Telemetry.Wire.TextLength.CodePoints(text) > maxLength) return "max_length " + maxLength;
            if (property.Pattern is { } pattern)
            {
                try
                {
                    if (!Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, PatternTimeout)) return "pattern " + pattern;
                }
                catch (RegexMatchTimeoutException)
                {
                    return null;
                }
            }

            return null;
        }

        if (clamp || property.Type is not (PropertyType.Int32 or PropertyType.Int64 or PropertyType.Double or PropertyType.Decimal)) return null;
        double number;
        try
        {
            number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
        {
            return null;
        }

        if (double.IsNaN(number)) return property.Min is not null || property.Max is not null ? "min/max (NaN)" : null;
        if (property.Min is { } min && number < min) return "min " + min.ToString("R", CultureInfo.InvariantCulture);
        if (property.Max is { } max && number > max) return "max " + max.ToString("R", CultureInfo.InvariantCulture);
        return null;
    }
}
