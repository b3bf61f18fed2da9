using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Telemetry.Analyzers.Usage;
using Telemetry.Catalog.Model;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Telemetry.Analyzers.CodeFixes;

/// <summary>
/// Fix for TEL4001: rewrites <c>client.Track("watchlist.add", new { symbol = "BTC/USDT", source = "search" })</c>
/// (or the same with a dictionary) into <c>client.TrackWatchlistAdd(symbol: "BTC/USDT", source: WatchlistAddSource.Search)</c>.
/// Offered only in the clear case: the receiver is an <c>ITelemetryClient</c>; every property given maps by catalog
/// name to a parameter of the generated method (<c>screen_x</c>, <c>screenX</c> or <c>ScreenX</c> -> <c>screenX</c>);
/// each value converts implicitly to the parameter's type, or is a string constant naming a member of the
/// parameter's generated enum; and every required parameter is given. Anything else keeps the diagnostic without
/// a fix, rather than guess or silently drop a property.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseGeneratedTrackMethodCodeFix)), Shared]
public sealed class UseGeneratedTrackMethodCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.StringNamedTrack);

    /// <inheritdoc/>
    /// <remarks>
    /// Not the batch fixer: it merges the text changes of independent fixes, and several fixes that each insert the
    /// same <c>using</c> conflict there, leaving calls unfixed. This one rewrites every call of a document in one
    /// editor and adds each missing <c>using</c> once.
    /// </remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var ct = context.CancellationToken;
        var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
        if (root is null || model is null) return document;
        var editor = await DocumentEditor.CreateAsync(document, ct).ConfigureAwait(false);
        var imports = new List<string>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node) continue;
            var invocation = node as InvocationExpressionSyntax ?? node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null || Plan(invocation, model, diagnostic, ct) is not { } plan) continue;
            RewriteCall(editor, invocation, plan);
            if (plan.Import is { } ns && !imports.Contains(ns)) imports.Add(ns);
        }

        AddImports(editor, imports);
        return editor.GetChangedDocument();
    }

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node) continue;
            var invocation = node as InvocationExpressionSyntax ?? node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null || Plan(invocation, model, diagnostic, context.CancellationToken) is not { } plan) continue;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use '{plan.Method.Name}'",
                    ct => ApplyAsync(context.Document, invocation, plan, ct),
                    equivalenceKey: nameof(UseGeneratedTrackMethodCodeFix)),
                diagnostic);
        }
    }

    private static Rewrite? Plan(InvocationExpressionSyntax invocation, SemanticModel model, Diagnostic diagnostic, CancellationToken ct)
    {
        if (!diagnostic.Properties.TryGetValue(StringNamedTrackAnalyzer.EventTypeProperty, out var eventTypeName) || eventTypeName is null) return null;
        if (invocation.Expression is not MemberAccessExpressionSyntax { Expression: var receiver }) return null;
        if (model.GetOperation(invocation, ct) is not IInvocationOperation operation) return null;

        var symbols = TelemetrySymbols.Create(model.Compilation);
        var eventType = model.Compilation.GetTypeByMetadataName(eventTypeName);
        if (symbols is null || symbols.Event(eventType) is not { } info || symbols.FindTrackMethod(info) is not { } method) return null;

        // The generated method extends ITelemetryClient: the receiver must be one.
        var receiverType = model.GetTypeInfo(receiver, ct).Type;
        if (receiverType is null || !model.Compilation.ClassifyConversion(receiverType, symbols.Client).IsImplicit) return null;

        var entries = Entries(operation, diagnostic);
        if (entries is null) return null;

        var parameters = method.Parameters.Skip(1).ToList();
        var arguments = new Dictionary<IParameterSymbol, ExpressionSyntax>(SymbolEqualityComparer.Default);
        foreach (var (key, value) in entries)
        {
            var parameter = parameters.FirstOrDefault(p => Matches(p.Name, key));
            if (parameter is null || arguments.ContainsKey(parameter)) return null;
            var expression = Convert(value, parameter.Type, model.Compilation);
            if (expression is null) return null;
            arguments.Add(parameter, expression);
        }

        if (parameters.Any(p => !p.IsOptional && !arguments.ContainsKey(p))) return null;
        var ordered = parameters.Where(arguments.ContainsKey).Select(p => (p.Name, arguments[p])).ToList();
        var needsImport = model.LookupSymbols(invocation.SpanStart, receiverType, method.Name, includeReducedExtensionMethods: true).IsEmpty;
        return new Rewrite(method, receiver, ordered, needsImport ? method.ContainingNamespace.ToDisplayString() : null);
    }

    /// <summary>The (key, value) pairs the call gives besides the event name, or null when their shape is not clear.</summary>
    private static List<(string Key, IOperation Value)>? Entries(IInvocationOperation operation, Diagnostic diagnostic)
    {
        var first = StringNamedTrackAnalyzer.FirstArgument(operation);
        if (first is null) return null;
        var rest = operation.Arguments
            .Where(a => a != first && a.ArgumentKind != ArgumentKind.DefaultValue && a.Parameter?.Ordinal > first.Parameter!.Ordinal)
            .ToList();

        diagnostic.Properties.TryGetValue(StringNamedTrackAnalyzer.ShapeProperty, out var shape);
        if (shape == StringNamedTrackAnalyzer.NameInDictionary)
        {
            // Track(new Dictionary<string, object> { ["event"] = "watchlist.add", ["symbol"] = ... }): nothing else may follow.
            if (rest.Count > 0) return null;
            var all = StringNamedTrackAnalyzer.Entries(first.Value).ToList();
            var named = all.Where(e => StringNamedTrackAnalyzer.NameKeys.Contains(e.Key)).ToList();
            return named.Count == 1 ? all.Where(e => !StringNamedTrackAnalyzer.NameKeys.Contains(e.Key)).ToList() : null;
        }

        // Track("watchlist.add") or Track("watchlist.add", <anonymous object or dictionary>).
        if (rest.Count == 0) return new List<(string, IOperation)>();
        if (rest.Count != 1) return null;
        var properties = StringNamedTrackAnalyzer.WithoutConversions(rest[0].Value);
        if (properties is not (IAnonymousObjectCreationOperation or IObjectCreationOperation { Initializer: not null })) return null;
        var entries = StringNamedTrackAnalyzer.Entries(properties).ToList();

        // Every initializer element must have become an entry; otherwise something would be lost.
        var count = properties switch
        {
            IAnonymousObjectCreationOperation anonymous => anonymous.Initializers.Length,
            IObjectCreationOperation creation => creation.Initializer!.Initializers.Length,
            _ => -1,
        };
        return entries.Count == count ? entries : null;
    }

    /// <summary>A catalog key (<c>screen_x</c>), a camelCase or PascalCase member (<c>screenX</c>, <c>ScreenX</c>) matches parameter <c>screenX</c>.</summary>
    private static bool Matches(string parameter, string key) =>
        string.Equals(parameter, key, StringComparison.Ordinal) ||
        string.Equals(parameter, Naming.Camel(key), StringComparison.Ordinal);

    private static ExpressionSyntax? Convert(IOperation value, ITypeSymbol target, Compilation compilation)
    {
        var original = StringNamedTrackAnalyzer.WithoutConversions(value);
        if (original.Syntax is not ExpressionSyntax syntax) return null;
        if (original.Type is { } type && compilation.ClassifyConversion(type, target).IsImplicit)
        {
            return syntax.WithoutTrivia();
        }

        // "search" for a generated enum parameter: the member the generator made of that catalog value.
        var enumType = target is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : target;
        if (enumType.TypeKind == TypeKind.Enum && original.ConstantValue is { HasValue: true, Value: string text })
        {
            var member = enumType.GetMembers(Naming.EnumMember(text)).OfType<IFieldSymbol>().FirstOrDefault();
            if (member is null) return null;
            var typeName = ParseTypeName(enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            return MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, typeName, IdentifierName(member.Name))
                .WithAdditionalAnnotations(Simplifier.Annotation);
        }

        return null;
    }

    private static async Task<Document> ApplyAsync(Document document, InvocationExpressionSyntax invocation, Rewrite plan, CancellationToken ct)
    {
        var editor = await DocumentEditor.CreateAsync(document, ct).ConfigureAwait(false);
        RewriteCall(editor, invocation, plan);
        AddImports(editor, plan.Import is { } ns ? new[] { ns } : Array.Empty<string>());
        return editor.GetChangedDocument();
    }

    private static void RewriteCall(DocumentEditor editor, InvocationExpressionSyntax invocation, Rewrite plan)
    {
        var arguments = SeparatedList(plan.Arguments.Select(a =>
            Argument(a.Value).WithNameColon(NameColon(IdentifierName(SyntaxFacts.GetKeywordKind(a.Name) != SyntaxKind.None ? ParseToken("@" + a.Name) : Identifier(a.Name))))));
        var replacement = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, plan.Receiver.WithoutTrivia(), IdentifierName(plan.Method.Name)),
                ArgumentList(arguments))
            .WithTriviaFrom(invocation)
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.ReplaceNode(invocation, replacement);
    }

    /// <summary>Adds each namespace the document does not import yet, once, in one edit.</summary>
    private static void AddImports(DocumentEditor editor, IReadOnlyCollection<string> namespaces)
    {
        if (editor.OriginalRoot is not CompilationUnitSyntax unit) return;
        var missing = namespaces.Where(ns => unit.Usings.All(u => u.Name?.ToString() != ns)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return;
        var directives = missing.Select(ns => UsingDirective(ParseName(ns)).WithAdditionalAnnotations(Formatter.Annotation)).ToArray();
        editor.ReplaceNode(unit, (current, _) => ((CompilationUnitSyntax)current).AddUsings(directives));
    }

    private sealed record Rewrite(IMethodSymbol Method, ExpressionSyntax Receiver, List<(string Name, ExpressionSyntax Value)> Arguments, string? Import);
}
