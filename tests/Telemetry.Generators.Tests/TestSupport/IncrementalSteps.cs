using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>Reads and checks the tracked incremental steps of a generator run (after NetEscapades.EnumGenerators' TestHelpers).</summary>
internal static class IncrementalSteps
{
    /// <summary>Every named step of <see cref="TrackingNames"/>.</summary>
    public static readonly string[] All = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The output values and reasons of step <paramref name="name"/> (empty when it did not run).</summary>
    public static IReadOnlyList<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string name) =>
        result.TrackedSteps.TryGetValue(name, out var steps)
            ? steps.SelectMany(s => s.Outputs).ToList()
            : Array.Empty<(object, IncrementalStepRunReason)>();

    /// <summary>"Step: reason, reason" lines, for assertion messages.</summary>
    public static string Describe(GeneratorRunResult result) =>
        string.Join("\n", result.TrackedSteps.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"  {p.Key}: {string.Join(", ", p.Value.SelectMany(s => s.Outputs).Select(o => o.Reason))}"))
        + "\n  outputs: " + string.Join(", ", result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).Select(o => o.Reason));

    /// <summary>
    /// Types that must never be cached by a pipeline step: they pin compilations, syntax trees or file
    /// contents in memory and defeat equality, so every edit would regenerate everything.
    /// </summary>
    private static readonly Type[] Forbidden =
    {
        typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(AdditionalText),
        typeof(SourceText), typeof(Location), typeof(SemanticModel),
    };

    /// <summary>
    /// Walks every object reachable through the fields of the tracked steps' outputs and returns the paths to any
    /// Roslyn object (<see cref="Forbidden"/>) or YamlDotNet object found; empty when the cached graph is plain data.
    /// </summary>
    public static IReadOnlyList<string> ForbiddenObjects(GeneratorRunResult result)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var name in All)
        {
            var i = 0;
            foreach (var (value, _) in Outputs(result, name)) Visit(value, $"{name}[{i++}]");
        }

        return found;

        void Visit(object? node, string path)
        {
            if (node is null) return;
            var type = node.GetType();
            if (type.IsPrimitive || type.IsEnum || node is string || node is decimal) return;
            if (!type.IsValueType && !visited.Add(node)) return;
            if (Forbidden.Any(f => f.IsInstanceOfType(node)) || (type.Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) ?? false))
            {
                found.Add($"{path}: {type.FullName}");
                return;
            }

            if (node is IEnumerable items)
            {
                var index = 0;
                foreach (var item in items) Visit(item, $"{path}[{index++}]");
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                    Visit(field.GetValue(node), path + "." + field.Name);
                }
            }
        }
    }
}
