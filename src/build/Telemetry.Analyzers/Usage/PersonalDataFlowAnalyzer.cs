using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Privacy;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// TEL4002: a value that comes from personal data, passed to a generated Track method (or event constructor)
/// parameter whose event property carries no pii class. "Personal data" is a field, property, parameter or
/// method return value marked with a <c>DataClassificationAttribute</c> (such as <c>[PersonalData]</c>), or
/// named like personal data by the same rule as the catalog's TEL1001 (<see cref="PiiHeuristics.JudgeName"/>),
/// followed through local variables, string concatenation and interpolation and value-preserving string methods.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PersonalDataFlowAnalyzer : DiagnosticAnalyzer
{
    // Locals initialised from locals initialised from ...: deep enough for real code, bounded for hostile code.
    private const int MaxDepth = 8;

    // String methods whose result still holds the receiver's content.
    private static readonly ImmutableHashSet<string> PreservingStringMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Trim", "TrimStart", "TrimEnd", "ToLower", "ToUpper", "ToLowerInvariant", "ToUpperInvariant",
        "Substring", "Normalize", "ToString", "Replace", "PadLeft", "PadRight", "Split", "Remove", "Insert", "AsSpan", "ToCharArray");

    // Static string methods whose result holds their arguments' content.
    private static readonly ImmutableHashSet<string> CombiningStringMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Format", "Concat", "Join", "Create");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnclassifiedPersonalDataFlow);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = TelemetrySymbols.Create(start.Compilation);
            if (symbols is null) return;
            start.RegisterOperationAction(ctx => AnalyzeInvocation(ctx, symbols), OperationKind.Invocation);
            start.RegisterOperationAction(ctx => AnalyzeCreation(ctx, symbols), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, TelemetrySymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (symbols.TrackedEvent(invocation.TargetMethod) is not { } info) return;
        Check(context, symbols, info, invocation.Arguments, invocation.TargetMethod.Name);
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, TelemetrySymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is null || symbols.Event(creation.Type) is not { } info) return;
        Check(context, symbols, info, creation.Arguments, info.Type.Name);
    }

    private static void Check(OperationAnalysisContext context, TelemetrySymbols symbols, EventTypeInfo info, ImmutableArray<IArgumentOperation> arguments, string target)
    {
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter) continue;
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.Client)) continue;
            var property = PropertyFor(info.Type, parameter.Name);

            // No stored property: the generator drops the value (treatment: drop). A classified property is protected.
            if (property is null || symbols.Classification(property) is not null) continue;
            if (Source(argument.Value, symbols, 0) is not { } source) continue;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.UnclassifiedPersonalDataFlow, argument.Value.Syntax.GetLocation(),
                source.Name, source.Reason, parameter.Name, target, property.Name));
        }
    }

    /// <summary>
    /// The event property a constructor parameter fills: the same name in PascalCase, or <c>&lt;Name&gt;Length</c>
    /// for a <c>treatment: length</c> property (<c>note</c> is stored as <c>NoteLength</c>).
    /// </summary>
    internal static ISymbol? PropertyFor(INamedTypeSymbol eventType, string parameterName)
    {
        var pascal = Naming.Pascal(parameterName.TrimStart('@'));
        foreach (var candidate in new[] { pascal, pascal + "Length" })
        {
            foreach (var member in eventType.GetMembers(candidate))
            {
                // Generated events store each property in a readonly field; hand-written ones may use properties.
                if (member is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false }) return member;
            }
        }

        return null;
    }

    private static PersonalSource? Source(IOperation operation, TelemetrySymbols symbols, int depth)
    {
        if (depth > MaxDepth) return null;
        operation = StringNamedTrackAnalyzer.WithoutConversions(operation);
        if (operation.ConstantValue.HasValue) return null;
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return Judge(local.Local, local.Local.Type, symbols) ?? FromInitializer(local, symbols, depth);
            case IParameterReferenceOperation parameter:
                return Judge(parameter.Parameter, parameter.Parameter.Type, symbols);
            case IFieldReferenceOperation field:
                return Judge(field.Field, field.Field.Type, symbols);
            case IPropertyReferenceOperation property when property.Arguments.IsEmpty:
                return Judge(property.Property, property.Property.Type, symbols);
            case IInvocationOperation call:
                if (symbols.Classification(call.TargetMethod.GetReturnTypeAttributes()) is { } returned)
                {
                    return new PersonalSource(call.TargetMethod.Name + "()", $"its return value is marked [{ShortName(returned)}]");
                }

                if (call.Instance is { Type.SpecialType: SpecialType.System_String } receiver && PreservingStringMethods.Contains(call.TargetMethod.Name))
                {
                    return Source(receiver, symbols, depth + 1);
                }

                // string.Format("{0}", email), string.Concat(a, email), string.Join(",", names): any argument carries through.
                if (call.Instance is null && call.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String &&
                    CombiningStringMethods.Contains(call.TargetMethod.Name))
                {
                    foreach (var argument in call.Arguments)
                    {
                        if (FromArgument(argument.Value, symbols, depth + 1) is { } inner) return inner;
                    }
                }

                return null;
            case IArrayElementReferenceOperation element:
                // email.Split('@')[0]: an element of an array built from the value.
                return Source(element.ArrayReference, symbols, depth + 1);
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation hole && Source(hole.Expression, symbols, depth + 1) is { } inner) return inner;
                }

                return null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concat:
                return Source(concat.LeftOperand, symbols, depth + 1) ?? Source(concat.RightOperand, symbols, depth + 1);
            case ICoalesceOperation coalesce:
                return Source(coalesce.Value, symbols, depth + 1) ?? Source(coalesce.WhenNull, symbols, depth + 1);
            case IConditionalOperation conditional:
                return Source(conditional.WhenTrue, symbols, depth + 1) ?? (conditional.WhenFalse is { } whenFalse ? Source(whenFalse, symbols, depth + 1) : null);
            case IConditionalAccessOperation access:
                return Source(access.WhenNotNull, symbols, depth + 1);
            case IConditionalAccessInstanceOperation:
                return null;
            default:
                return null;
        }
    }

    /// <summary>An argument's source; a <c>params</c> array is looked into element by element.</summary>
    private static PersonalSource? FromArgument(IOperation value, TelemetrySymbols symbols, int depth)
    {
        if (StringNamedTrackAnalyzer.WithoutConversions(value) is IArrayCreationOperation { Initializer: { } init })
        {
            foreach (var element in init.ElementValues)
            {
                if (Source(element, symbols, depth + 1) is { } inner) return inner;
            }

            return null;
        }

        return Source(value, symbols, depth);
    }

    private static PersonalSource? FromInitializer(ILocalReferenceOperation local, TelemetrySymbols symbols, int depth)
    {
        var model = local.SemanticModel;
        if (model is null) return null;
        foreach (var reference in local.Local.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree) continue;
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value } &&
                model.GetOperation(value) is { } initializer &&
                Source(initializer, symbols, depth + 1) is { } source)
            {
                return source with { Name = local.Local.Name };
            }
        }

        return null;
    }

    private static PersonalSource? Judge(ISymbol symbol, ITypeSymbol? type, TelemetrySymbols symbols)
    {
        if (symbols.Classification(symbol) is { } attribute)
        {
            return new PersonalSource(symbol.Name, $"it is marked [{ShortName(attribute)}]");
        }

        if (type is null || !CanHoldPersonalText(type)) return null;
        return PiiHeuristics.JudgeCodeName(symbol.Name) is { } why ? new PersonalSource(symbol.Name, why) : null;
    }

    // Names alone are judged only for values that can carry personal data: not flags, counts, enums, times or ids.
    private static bool CanHoldPersonalText(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable) type = nullable.TypeArguments[0];
        if (type.TypeKind == TypeKind.Enum) return false;
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_DateTime:
                return false;
        }

        var name = type.ToDisplayString();
        return name is not ("System.DateTimeOffset" or "System.TimeSpan" or "System.Guid");
    }

    private static string ShortName(AttributeData attribute)
    {
        var name = attribute.AttributeClass?.Name ?? "DataClassification";
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private sealed record PersonalSource(string Name, string Reason);
}
