using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>Kind of a node of the lightweight YAML tree.</summary>
internal enum YamlNodeKind
{
    Scalar,
    Mapping,
    Sequence,
}

/// <summary>
/// A YAML node with its position. Built from YamlDotNet's event stream rather than its
/// representation model so duplicate keys are reported as diagnostics instead of exceptions,
/// and so nothing of YamlDotNet escapes this library.
/// </summary>
internal sealed class YamlNode
{
    public YamlNode(YamlNodeKind kind, SourceSpan span)
    {
        Kind = kind;
        Span = span;
    }

    public YamlNodeKind Kind { get; }

    public SourceSpan Span { get; set; }

    /// <summary>Scalar text (null for non-scalars).</summary>
    public string? Value { get; set; }

    /// <summary>True when the scalar was quoted (so "1.0" stays a string, 1.0 a number).</summary>
    public bool IsQuoted { get; set; }

    /// <summary>Key/value pairs of a mapping, in document order.</summary>
    public List<KeyValuePair<YamlNode, YamlNode>> Entries { get; } = new();

    /// <summary>Items of a sequence.</summary>
    public List<YamlNode> Items { get; } = new();

    public bool IsNull => Kind == YamlNodeKind.Scalar && !IsQuoted && (Value is null || Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public string Describe() => Kind switch
    {
        YamlNodeKind.Mapping => "a mapping",
        YamlNodeKind.Sequence => "a list",
        _ => IsNull ? "null" : "'" + Value + "'",
    };
}
