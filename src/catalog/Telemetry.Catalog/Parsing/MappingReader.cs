using System;
using System.Collections.Generic;
using System.Globalization;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>
/// Typed access to one YAML mapping with TEL0002 diagnostics for unknown keys, wrong value
/// types and missing required keys. Every key is looked up once; what was never asked for is unknown.
/// </summary>
internal sealed class MappingReader
{
    private readonly YamlNode _node;
    private readonly string _context;
    private readonly List<CatalogDiagnostic> _diagnostics;
    private readonly Dictionary<string, KeyValuePair<YamlNode, YamlNode>> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <param name="node">The mapping.</param>
    /// <param name="context">Names the mapping in messages (<c>event 'watchlist.add'</c>).</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <param name="duplicateKeyId">Diagnostic for a key written twice: TEL0002, or TEL0004 where keys name events or metrics.</param>
    /// <param name="describeKey">Names a duplicated key in the message (<c>Event 'watchlist.add'</c>); default: the key in the mapping's context.</param>
    public MappingReader(YamlNode node, string context, List<CatalogDiagnostic> diagnostics,
        string duplicateKeyId = DiagnosticIds.InvalidStructure, Func<string, string>? describeKey = null)
    {
        _node = node;
        _context = context;
        _diagnostics = diagnostics;
        foreach (var entry in node.Entries)
        {
            if (entry.Key.Kind != YamlNodeKind.Scalar || entry.Key.IsNull)
            {
                Error(DiagnosticIds.InvalidStructure, entry.Key.Span, $"{_context}: keys must be plain names, not {entry.Key.Describe()}");
                continue;
            }

            var key = entry.Key.Value!;
            if (_entries.TryGetValue(key, out var first))
            {
                var what = describeKey is null ? $"{_context}: key '{key}'" : describeKey(key);
                Error(duplicateKeyId, entry.Key.Span, $"{what} is defined twice (first at {first.Key.Span}); the second definition is ignored");
                continue;
            }

            _entries[key] = entry;
        }
    }

    public SourceSpan Span => _node.Span;

    public IEnumerable<KeyValuePair<YamlNode, YamlNode>> Entries => _entries.Values;

    public bool Has(string key)
    {
        _known.Add(key);
        return _entries.ContainsKey(key);
    }

    public YamlNode? Node(string key)
    {
        _known.Add(key);
        return _entries.TryGetValue(key, out var e) ? e.Value : null;
    }

    public SourceSpan KeySpan(string key) => _entries.TryGetValue(key, out var e) ? e.Key.Span : _node.Span;

    public string? String(string key, bool required = false)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required) Error(DiagnosticIds.InvalidStructure, _node.Span, $"{_context}: missing required key '{key}'");
            return null;
        }

        if (node.Kind != YamlNodeKind.Scalar || node.IsNull)
        {
            Error(DiagnosticIds.InvalidStructure, node.Span, $"{_context}: '{key}' must be text, not {node.Describe()}");
            return null;
        }

        return node.Value;
    }

    public bool? Bool(string key)
    {
        var node = Node(key);
        if (node is null) return null;
        if (node.Kind == YamlNodeKind.Scalar && !node.IsQuoted)
        {
            switch (node.Value)
            {
                case "true": case "True": case "TRUE": return true;
                case "false": case "False": case "FALSE": return false;
            }
        }

        Error(DiagnosticIds.InvalidStructure, node.Span, $"{_context}: '{key}' must be true or false, not {node.Describe()}");
        return null;
    }

    public double? Number(string key)
    {
        var node = Node(key);
        if (node is null) return null;
        if (TryNumber(node, out var value)) return value;
        Error(DiagnosticIds.InvalidStructure, node.Span, $"{_context}: '{key}' must be a number, not {node.Describe()}");
        return null;
    }

    public int? Integer(string key)
    {
        var node = Node(key);
        if (node is null) return null;
        if (node.Kind == YamlNodeKind.Scalar && !node.IsQuoted &&
            int.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(DiagnosticIds.InvalidStructure, node.Span, $"{_context}: '{key}' must be a whole number, not {node.Describe()}");
        return null;
    }

    /// <summary>Reads one of a closed set of words; reports TEL0002 with the allowed words otherwise.</summary>
    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices, string? diagnosticId = null)
        where T : struct
    {
        var node = Node(key);
        if (node is null) return null;
        if (node.Kind == YamlNodeKind.Scalar && !node.IsNull && choices.TryGetValue(node.Value!, out var value))
        {
            return value;
        }

        Error(diagnosticId ?? DiagnosticIds.InvalidStructure, node.Span,
            $"{_context}: '{key}' must be one of {string.Join(", ", choices.Keys)}, not {node.Describe()}");
        return null;
    }

    public List<YamlNode>? List(string key)
    {
        var node = Node(key);
        if (node is null) return null;
        if (node.Kind == YamlNodeKind.Sequence) return node.Items;
        Error(DiagnosticIds.InvalidStructure, node.Span, $"{_context}: '{key}' must be a list, not {node.Describe()}");
        return null;
    }

    public YamlNode? Mapping(string key, bool required = false)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required) Error(DiagnosticIds.InvalidStructure, _node.Span, $"{_context}: missing required key '{key}'");
            return null;
        }

        if (node.Kind == YamlNodeKind.Mapping) return node;
        Error(DiagnosticIds.InvalidStructure, node.Span, $"{_context}: '{key}' must be a mapping, not {node.Describe()}");
        return null;
    }

    /// <summary>Reports every key that no accessor asked for. Call after reading.</summary>
    public void ReportUnknownKeys(IEnumerable<string>? extraAllowed = null)
    {
        if (extraAllowed is not null)
        {
            foreach (var k in extraAllowed) _known.Add(k);
        }

        foreach (var entry in _node.Entries)
        {
            if (entry.Key.Kind != YamlNodeKind.Scalar || entry.Key.IsNull) continue;
            var key = entry.Key.Value!;
            if (!_known.Contains(key))
            {
                var allowed = new List<string>(_known);
                allowed.Sort(StringComparer.Ordinal);
                Error(DiagnosticIds.InvalidStructure, entry.Key.Span,
                    $"{_context}: unknown key '{key}' (known keys: {string.Join(", ", allowed)})");
            }
        }
    }

    /// <summary>Reports <paramref name="id"/> at its default severity (<see cref="DiagnosticTable"/>).</summary>
    public void Error(string id, SourceSpan span, string message) =>
        _diagnostics.Add(new CatalogDiagnostic(id, message, span));

    public static bool TryNumber(YamlNode node, out double value)
    {
        value = 0;
        return node.Kind == YamlNodeKind.Scalar && !node.IsQuoted && node.Value is not null &&
               double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value) &&
               !double.IsNaN(value) && !double.IsInfinity(value);
    }
}
