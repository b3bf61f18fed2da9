using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// Finds the period of a timer when it is a constant: <c>new System.Threading.Timer(cb, null, 0, 100)</c>,
/// <c>new System.Timers.Timer(100)</c>, <c>{ Interval = 100 }</c>, <c>timer.Interval = TimeSpan.FromMilliseconds(16)</c>.
/// Numbers are milliseconds (what those APIs take); TimeSpan values are read from the usual factory methods and
/// constructors. Anything computed at run time is unknown (null), and an unknown period is never reported.
/// </summary>
internal static class TimerIntervals
{
    /// <summary>True for a timer type: its name ends with "Timer" (System.Threading, System.Timers, DispatcherTimer, ...).</summary>
    public static bool IsTimerType(ITypeSymbol? type) => type is not null && type.Name.EndsWith("Timer", StringComparison.Ordinal);

    /// <summary>The period in milliseconds of a <c>System.Threading.Timer</c> creation, or null.</summary>
    public static double? PeriodOfThreadingTimer(IObjectCreationOperation creation)
    {
        if (creation.Type?.ToDisplayString() != "System.Threading.Timer") return null;
        var period = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "period");
        return period is null ? null : Milliseconds(period.Value);
    }

    /// <summary>
    /// The interval of the timer whose event <paramref name="subscription"/> subscribes to (<c>timer.Elapsed += ...</c>,
    /// <c>timer.Tick += ...</c>), when the same member or the timer field's initializer sets it to a constant.
    /// </summary>
    public static double? IntervalOf(IEventAssignmentOperation subscription) =>
        subscription.EventReference is IEventReferenceOperation { Instance: { } instance } ? IntervalOfTimer(subscription, instance) : null;

    /// <summary>
    /// The period of the <c>PeriodicTimer</c> a loop waits on (<c>while (await timer.WaitForNextTickAsync(ct))</c>),
    /// read like any other timer's: a constant set where the timer is created in the same member or in the field's
    /// initializer. Null when the loop does not wait on a PeriodicTimer or the period is not a constant.
    /// </summary>
    public static double? PeriodicTimerPeriod(ILoopOperation loop)
    {
        var condition = loop switch
        {
            IWhileLoopOperation w => w.Condition,
            IForLoopOperation f => f.Condition,
            _ => null,
        };
        if (condition is null) return null;
        var awaited = StringNamedTrackAnalyzer.WithoutConversions(condition);
        if (awaited is IAwaitOperation await) awaited = StringNamedTrackAnalyzer.WithoutConversions(await.Operation);
        if (awaited is IInvocationOperation { TargetMethod.Name: "WaitForNextTickAsync", Instance: { } instance } &&
            instance.Type?.Name == "PeriodicTimer")
        {
            return IntervalOfTimer(loop, instance);
        }

        return null;
    }

    private static double? IntervalOfTimer(IOperation at, IOperation instance)
    {
        var timer = ReferencedSymbol(instance);
        if (timer is null || !IsTimerType(instance.Type)) return null;

        var root = at;
        while (root.Parent is not null) root = root.Parent;
        var found = FindIn(root, timer);
        if (found is not null) return found;

        // A timer field created by its initializer: private readonly Timer _timer = new(100);
        if (timer is IFieldSymbol or IPropertySymbol && at.SemanticModel is { } model)
        {
            foreach (var reference in timer.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree != model.SyntaxTree) continue;
                var syntax = reference.GetSyntax();
                var initializer = syntax switch
                {
                    VariableDeclaratorSyntax v => v.Initializer?.Value,
                    PropertyDeclarationSyntax p => p.Initializer?.Value,
                    _ => null,
                };
                if (initializer is not null && model.GetOperation(initializer) is { } op && FromCreation(op) is { } ms) return ms;
            }
        }

        return null;
    }

    /// <summary>A constant duration in milliseconds: a number, or a TimeSpan built from constants. Null otherwise.</summary>
    public static double? Milliseconds(IOperation operation)
    {
        operation = StringNamedTrackAnalyzer.WithoutConversions(operation);
        if (operation.ConstantValue.HasValue)
        {
            return operation.ConstantValue.Value switch
            {
                int i => i,
                long l => l,
                uint u => u,
                double d => d,
                float f => f,
                _ => null,
            };
        }

        if (operation is IInvocationOperation { TargetMethod.ContainingType: { } type } call && IsTimeSpan(type) && call.Arguments.Length > 0 &&
            Number(call.Arguments[0].Value) is { } n)
        {
            return call.TargetMethod.Name switch
            {
                "FromMilliseconds" => n,
                "FromSeconds" => n * 1000,
                "FromMinutes" => n * 60_000,
                "FromHours" => n * 3_600_000,
                "FromTicks" => n / 10_000,
                _ => null,
            };
        }

        if (operation is IObjectCreationOperation creation && IsTimeSpan(creation.Type))
        {
            var values = creation.Arguments.Select(a => Number(a.Value)).ToList();
            if (values.Any(v => v is null)) return null;
            return values.Count switch
            {
                1 => values[0]!.Value / 10_000,
                3 => (((values[0]!.Value * 60) + values[1]!.Value) * 60 + values[2]!.Value) * 1000,
                4 => ((((values[0]!.Value * 24) + values[1]!.Value) * 60 + values[2]!.Value) * 60 + values[3]!.Value) * 1000,
                5 => (((((values[0]!.Value * 24) + values[1]!.Value) * 60 + values[2]!.Value) * 60 + values[3]!.Value) * 1000) + values[4]!.Value,
                _ => null,
            };
        }

        return null;
    }

    private static double? FindIn(IOperation root, ISymbol timer)
    {
        foreach (var op in root.DescendantsAndSelf())
        {
            switch (op)
            {
                // timer.Interval = 100;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Interval", Instance: { } target } } set
                    when SymbolEqualityComparer.Default.Equals(ReferencedSymbol(target), timer):
                    return Milliseconds(set.Value);
                // timer = new Timer(100) / new Timer { Interval = 100 };
                case ISimpleAssignmentOperation { Target: { } target } assignment
                    when SymbolEqualityComparer.Default.Equals(ReferencedSymbol(target), timer) && FromCreation(assignment.Value) is { } assigned:
                    return assigned;
                // var timer = new Timer(100);
                case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator
                    when SymbolEqualityComparer.Default.Equals(declarator.Symbol, timer) && FromCreation(value) is { } declared:
                    return declared;
            }
        }

        return null;
    }

    private static double? FromCreation(IOperation operation)
    {
        if (StringNamedTrackAnalyzer.WithoutConversions(operation) is not IObjectCreationOperation creation || !IsTimerType(creation.Type)) return null;
        if (creation.Initializer is { } init)
        {
            foreach (var element in init.Initializers)
            {
                if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Interval" } } set) return Milliseconds(set.Value);
            }
        }

        var interval = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name is "interval" or "period");
        return interval is null ? null : Milliseconds(interval.Value);
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => StringNamedTrackAnalyzer.WithoutConversions(operation) switch
    {
        ILocalReferenceOperation l => l.Local,
        IFieldReferenceOperation f => f.Field,
        IPropertyReferenceOperation p => p.Property,
        IParameterReferenceOperation p => p.Parameter,
        _ => null,
    };

    private static double? Number(IOperation operation) => StringNamedTrackAnalyzer.WithoutConversions(operation).ConstantValue switch
    {
        { HasValue: true, Value: int i } => i,
        { HasValue: true, Value: long l } => l,
        { HasValue: true, Value: double d } => d,
        { HasValue: true, Value: float f } => f,
        _ => null,
    };

    private static bool IsTimeSpan(ITypeSymbol? type) => type?.ToDisplayString() == "System.TimeSpan";
}
