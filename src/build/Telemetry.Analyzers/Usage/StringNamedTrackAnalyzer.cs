using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// TEL4001: a tracking call that names a catalog event by string, <c>client.Track("watchlist.add", new { ... })</c>
/// or <c>Track(new Dictionary&lt;string, object&gt; { ["event"] = "watchlist.add", ... })</c>, where the generated,
/// typed <c>TrackWatchlistAdd(...)</c> exists. Catalog names come from the <c>[TelemetryEvent]</c> structs of the
/// compilation and of referenced assemblies built with the runtime.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StringNamedTrackAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: metadata name of the generated event struct.</summary>
    public const string EventTypeProperty = "EventType";

    /// <summary>Diagnostic property: the generated Track method's name.</summary>
    public const string TrackMethodProperty = "TrackMethod";

    /// <summary>Diagnostic property: how the event name was given (<see cref="NameInArgument"/> or <see cref="NameInDictionary"/>).</summary>
    public const string ShapeProperty = "Shape";

    /// <summary>The name is the call's first argument.</summary>
    public const string NameInArgument = "Argument";

    /// <summary>The name is an entry of a dictionary (or anonymous object) passed as the first argument.</summary>
    public const string NameInDictionary = "Dictionary";

    /// <summary>Names of untyped tracking methods (analytics SDKs and home-grown wrappers).</summary>
    internal static readonly ImmutableHashSet<string> MethodNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Track", "TrackEvent", "Log", "LogEvent", "Capture", "CaptureEvent", "Send", "SendEvent",
        "Emit", "EmitEvent", "Publish", "PublishEvent", "Record", "RecordEvent");

    /// <summary>Dictionary keys and anonymous-object members that hold the event name.</summary>
    internal static readonly ImmutableHashSet<string> NameKeys = ImmutableHashSet.Create(
        StringComparer.Ordinal, "event", "Event", "event_name", "eventName", "EventName", "name", "Name");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.StringNamedTrack);

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
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, TelemetrySymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!MethodNames.Contains(method.Name) || symbols.TrackedEvent(method) is not null) return;
        var first = FirstArgument(invocation);
        if (first is null) return;

        var (name, shape) = EventName(first.Value);
        if (name is null || !symbols.EventsByName.TryGetValue(name, out var info) || info.IsAggregate) return;

        var properties = ImmutableDictionary.CreateRange(new[]
        {
            new KeyValuePair<string, string?>(EventTypeProperty, info.MetadataName),
            new KeyValuePair<string, string?>(TrackMethodProperty, info.TrackMethodName),
            new KeyValuePair<string, string?>(ShapeProperty, shape),
        });
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.StringNamedTrack, invocation.Syntax.GetLocation(), properties, method.Name, name, info.TrackMethodName));
    }

    /// <summary>The argument of the first parameter after an extension method's receiver, or null.</summary>
    internal static IArgumentOperation? FirstArgument(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var ordinal = method.IsExtensionMethod && method.MethodKind != MethodKind.ReducedExtension ? 1 : 0;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal) return argument;
        }

        return null;
    }

    /// <summary>The event name a tracking call's first argument gives, and where it stands.</summary>
    internal static (string? Name, string Shape) EventName(IOperation value)
    {
        value = WithoutConversions(value);
        if (value.ConstantValue.HasValue && value.ConstantValue.Value is string constant) return (constant, NameInArgument);
        foreach (var (key, entry) in Entries(value))
        {
            if (NameKeys.Contains(key) && WithoutConversions(entry).ConstantValue is { HasValue: true, Value: string name }) return (name, NameInDictionary);
        }

        return (null, NameInArgument);
    }

    /// <summary>
    /// The constant-keyed entries of a dictionary object initializer (<c>["k"] = v</c> or <c>{ "k", v }</c>) or the
    /// members of an anonymous object (<c>new { k = v }</c>). Empty for any other expression.
    /// </summary>
    internal static IEnumerable<(string Key, IOperation Value)> Entries(IOperation value)
    {
        value = WithoutConversions(value);
        if (value is IAnonymousObjectCreationOperation anonymous)
        {
            foreach (var initializer in anonymous.Initializers)
            {
                if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
                {
                    yield return (property.Property.Name, assignment.Value);
                }
            }

            yield break;
        }

        if (value is not IObjectCreationOperation { Initializer: { } init }) yield break;
        foreach (var element in init.Initializers)
        {
            switch (element)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } assignment
                    when indexer.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string key }:
                    yield return (key, assignment.Value);
                    break;
                case IInvocationOperation { Arguments.Length: 2 } add
                    when WithoutConversions(add.Arguments[0].Value).ConstantValue is { HasValue: true, Value: string key }:
                    yield return (key, add.Arguments[1].Value);
                    break;
            }
        }
    }

    /// <summary>Strips implicit conversions (boxing to object, string to object) and parentheses.</summary>
    internal static IOperation WithoutConversions(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { IsImplicit: true } conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }
}
