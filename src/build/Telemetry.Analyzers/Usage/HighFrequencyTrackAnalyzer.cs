using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Telemetry.Analyzers.Usage;

/// <summary>
/// TEL4003: a generated Track method of an event that is sampled above 0.01, not aggregated and not local-only,
/// called where code runs many times a second:
/// <list type="bullet">
/// <item>in a method named like such a handler (<c>OnPointerMoved</c>, <c>Canvas_MouseMove</c>, <c>OnRender</c>, Unity's <c>Update()</c>);</item>
/// <item>in a lambda subscribed to such an event (<c>canvas.PointerMoved += (s, e) => ...</c>), or in a method of the same type subscribed to one (<c>canvas.PointerMoved += OnMoved</c>);</item>
/// <item>in the callback of a timer whose constant period is under a second (<c>System.Threading.Timer</c>, and
/// <c>Elapsed</c>/<c>Tick</c> handlers of timers whose <c>Interval</c> is set to a constant in the same member or the field's initializer);</item>
/// <item>in the body of a <c>for</c>, <c>foreach</c>, <c>while</c> or <c>do</c> loop; a loop waiting on a <c>PeriodicTimer</c> only when its period is a constant under one second.</item>
/// </list>
/// Generated code is read (XAML-generated event hookups are subscriptions too) but never reported in.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HighFrequencyTrackAnalyzer : DiagnosticAnalyzer
{
    private const double FastTimerLimitMs = 1000;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HighFrequencyTrack);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        // Analyze (without ReportDiagnostics): subscriptions in generated code count, diagnostics there are dropped.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = TelemetrySymbols.Create(start.Compilation);
            if (symbols is null) return;
            start.RegisterSymbolStartAction(typeStart =>
            {
                var state = new TypeState();
                typeStart.RegisterOperationAction(ctx => OnInvocation(ctx, symbols, state), OperationKind.Invocation);
                typeStart.RegisterOperationAction(ctx => OnSubscription(ctx, state), OperationKind.EventAssignment);
                typeStart.RegisterOperationAction(ctx => OnTimerCreation(ctx, state), OperationKind.ObjectCreation);
                typeStart.RegisterSymbolEndAction(end => ReportDeferred(end, state));
            }, SymbolKind.NamedType);
        });
    }

    private static void OnInvocation(OperationAnalysisContext context, TelemetrySymbols symbols, TypeState state)
    {
        var invocation = (IInvocationOperation)context.Operation;

        // Generated code is analysed for its subscriptions only.
        if (context.IsGeneratedCode || symbols.TrackedEvent(invocation.TargetMethod) is not { IsCostlyPerCall: true } info) return;
        var found = FindContext(invocation, context.ContainingSymbol);
        if (found.Description is { } description)
        {
            Report(context.ReportDiagnostic, invocation, info, description);
        }
        else if (found.Handler is { } handler)
        {
            // Maybe subscribed to a high-frequency event elsewhere in this type: decided at the type's end.
            state.Pending.Add(new PendingCall(handler, invocation, info));
        }
    }

    private static void OnSubscription(OperationAnalysisContext context, TypeState state)
    {
        var subscription = (IEventAssignmentOperation)context.Operation;
        if (!subscription.Adds || HandlerMethod(subscription.HandlerValue) is not { } handler) return;
        if (DescribeEvent(subscription) is { } description) state.Subscribed.TryAdd(handler.OriginalDefinition, description);
    }

    private static void OnTimerCreation(OperationAnalysisContext context, TypeState state)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (TimerIntervals.PeriodOfThreadingTimer(creation) is not { } period || !IsFast(period)) return;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "callback" && HandlerMethod(argument.Value) is { } handler)
            {
                state.Subscribed.TryAdd(handler.OriginalDefinition, TimerDescription(period));
            }
        }
    }

    private static void ReportDeferred(SymbolAnalysisContext context, TypeState state)
    {
        foreach (var pending in state.Pending)
        {
            if (state.Subscribed.TryGetValue(pending.Handler.OriginalDefinition, out var description))
            {
                Report(context.ReportDiagnostic, pending.Invocation, pending.Event, $"in '{pending.Handler.Name}', {description}");
            }
        }
    }

    private static void Report(System.Action<Diagnostic> report, IInvocationOperation invocation, EventTypeInfo info, string where)
    {
        report(Diagnostic.Create(Descriptors.HighFrequencyTrack, invocation.Syntax.GetLocation(),
            info.Name, info.Sampling.ToString("0.####", CultureInfo.InvariantCulture), where));
    }

    /// <summary>
    /// Walks from the Track call outwards to the first context that decides: a loop, a lambda subscribed to an
    /// event or passed to a timer, a local function or the containing method. Lambdas passed as ordinary method
    /// arguments (<c>Dispatcher.Post(() => ...)</c>, <c>items.ForEach(...)</c>) are assumed to run where they are passed.
    /// </summary>
    private static (string? Description, IMethodSymbol? Handler) FindContext(IOperation start, ISymbol containing)
    {
        for (IOperation current = start, parent = start.Parent!; parent is not null; current = parent, parent = parent.Parent!)
        {
            switch (parent)
            {
                case IForEachLoopOperation forEach when current == forEach.Collection:
                    break;
                case ILoopOperation loop when TimerIntervals.PeriodicTimerPeriod(loop) is { } period:
                    // A PeriodicTimer loop runs once per period: fast only under a second, like any other timer.
                    if (period >= FastTimerLimitMs) return (null, null);
                    return ($"in a PeriodicTimer loop every {period.ToString("0.###", CultureInfo.InvariantCulture)} ms", null);
                case ILoopOperation:
                    return ("inside a loop", null);
                case IAnonymousFunctionOperation lambda:
                    switch (LambdaUse(lambda, out var user))
                    {
                        case LambdaRole.Handler:
                            return ("in " + user, null);
                        case LambdaRole.PassedAlong:
                            break;
                        default:
                            return (null, null);
                    }

                    break;
                case ILocalFunctionOperation local:
                    return HighFrequencyNames.DescribeMethod(local.Symbol) is { } localKind
                        ? ($"in '{local.Symbol.Name}', {localKind}", null)
                        : (null, local.Symbol);
            }
        }

        if (containing is not IMethodSymbol method) return (null, null);
        return HighFrequencyNames.DescribeMethod(method) is { } kind ? ($"in '{method.Name}', {kind}", null) : (null, method);
    }

    private enum LambdaRole
    {
        Unknown,
        Handler,
        PassedAlong,
    }

    private static LambdaRole LambdaUse(IAnonymousFunctionOperation lambda, out string? description)
    {
        description = null;
        IOperation current = lambda;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation) current = current.Parent;
        switch (current.Parent)
        {
            case IEventAssignmentOperation { Adds: true } subscription when subscription.HandlerValue == current || Contains(subscription.HandlerValue, lambda):
                description = DescribeEvent(subscription);
                return description is null ? LambdaRole.Unknown : LambdaRole.Handler;
            case IArgumentOperation { Parent: IObjectCreationOperation creation } argument when argument.Parameter?.Name == "callback":
                if (TimerIntervals.PeriodOfThreadingTimer(creation) is { } period && IsFast(period))
                {
                    description = TimerDescription(period);
                    return LambdaRole.Handler;
                }

                return LambdaRole.Unknown;
            case IArgumentOperation { Parent: IInvocationOperation }:
                return LambdaRole.PassedAlong;
            default:
                return LambdaRole.Unknown;
        }
    }

    private static bool Contains(IOperation outer, IOperation inner)
    {
        for (var op = inner; op is not null; op = op.Parent!)
        {
            if (op == outer) return true;
        }

        return false;
    }

    /// <summary>Why an event subscription is high-frequency (the event's name, or a fast timer's Elapsed/Tick), or null.</summary>
    private static string? DescribeEvent(IEventAssignmentOperation subscription)
    {
        if (subscription.EventReference is not IEventReferenceOperation reference) return null;
        var name = reference.Event.Name;
        if (TimerIntervals.IsTimerType(reference.Event.ContainingType) || TimerIntervals.IsTimerType(reference.Instance?.Type))
        {
            return TimerIntervals.IntervalOf(subscription) is { } interval && IsFast(interval) ? TimerDescription(interval) : null;
        }

        return HighFrequencyNames.Describe(name) is not null ? $"a handler of the '{name}' event" : null;
    }

    private static IMethodSymbol? HandlerMethod(IOperation value) => StringNamedTrackAnalyzer.WithoutConversions(value) switch
    {
        IDelegateCreationOperation { Target: IMethodReferenceOperation reference } => reference.Method,
        IMethodReferenceOperation reference => reference.Method,
        _ => null,
    };

    private static bool IsFast(double milliseconds) => milliseconds > 0 && milliseconds < FastTimerLimitMs;

    private static string TimerDescription(double milliseconds) =>
        $"a timer callback that runs every {milliseconds.ToString("0.##", CultureInfo.InvariantCulture)} ms";

    private sealed class TypeState
    {
        public ConcurrentBag<PendingCall> Pending { get; } = new();

        public ConcurrentDictionary<IMethodSymbol, string> Subscribed { get; } = new(SymbolEqualityComparer.Default);
    }

    private sealed record PendingCall(IMethodSymbol Handler, IInvocationOperation Invocation, EventTypeInfo Event);
}
