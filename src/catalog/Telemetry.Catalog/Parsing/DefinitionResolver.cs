using System;
using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>
/// Resolves <c>ref:</c> names: against the shared definitions of every catalog file (<see cref="DefinitionTable"/>, the
/// first pass), then against the definitions this file declares.
/// </summary>
internal sealed class DefinitionResolver
{
    private readonly FileDiagnostics _file;
    private readonly DefinitionTable _definitions;
    private readonly Dictionary<string, PropertySpec> _ownDefinitions = new(StringComparer.Ordinal);

    public DefinitionResolver(FileDiagnostics file, DefinitionTable definitions)
    {
        _file = file;
        _definitions = definitions;
    }

    /// <summary>Adds a definition this file declares.</summary>
    public void AddOwn(PropertySpec definition) => _ownDefinitions[definition.Name] = definition;

    /// <summary>The definition <paramref name="refNode"/> names, or null (reported) when it names none.</summary>
    public PropertySpec? Resolve(string owner, string name, YamlNode refNode)
    {
        if (refNode.Kind != YamlNodeKind.Scalar || refNode.IsNull || string.IsNullOrEmpty(refNode.Value))
        {
            Report(DiagnosticIds.InvalidStructure, refNode.Span,
                $"Property '{name}' of '{owner}': 'ref' names a definition, not {refNode.Describe()}");
            return null;
        }

        var target = refNode.Value!;
        if (_definitions.TryGet(target, out var def) || _ownDefinitions.TryGetValue(target, out def)) return def;
        var known = new List<string>(_definitions.Names);
        foreach (var own in _ownDefinitions.Keys) if (!known.Contains(own)) known.Add(own);
        known.Sort(StringComparer.Ordinal);
        Report(DiagnosticIds.InvalidType, refNode.Span,
            $"Property '{name}' of '{owner}' refers to unknown definition '{target}'" +
            (known.Count == 0 ? "; no catalog file has 'definitions:'" : $" (known definitions: {string.Join(", ", known)})"));
        return null;
    }

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);
}
