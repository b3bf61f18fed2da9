using System;
using System.Collections.Generic;
using System.IO;
using Telemetry.Catalog.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Telemetry.Catalog.Parsing;

/// <summary>Reads YAML text into a <see cref="YamlNode"/> tree, turning every YamlDotNet failure into TEL0001.</summary>
internal static class YamlTreeReader
{
    /// <summary>Hard limit on nesting: a catalog is at most a few levels deep; deeper input is hostile or broken.</summary>
    private const int MaxDepth = 64;

    public static YamlNode? Read(string filePath, string text, List<CatalogDiagnostic> diagnostics)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(filePath, parser, anchors, 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var ev = parser.Current!;
                diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml, CatalogSeverity.Error,
                    "A catalog file holds one YAML document; remove the second '---' document", Span(filePath, ev.Start, ev.End)));
                return null;
            }

            return root;
        }
        catch (YamlException ex)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml, CatalogSeverity.Error,
                "YAML does not parse: " + Clean(ex.Message), Span(filePath, ex.Start, ex.End)));
            return null;
        }
        catch (NestingTooDeepException ex)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml, CatalogSeverity.Error,
                $"YAML nests deeper than {MaxDepth} levels", Span(filePath, ex.Mark, ex.Mark)));
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet throws a few non-YamlException types on pathological input; never let them escape.
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml, CatalogSeverity.Error,
                "YAML does not parse: " + Clean(ex.Message), SourceSpan.StartOf(filePath)));
            return null;
        }
    }

    private static YamlNode ReadNode(string filePath, IParser parser, Dictionary<string, YamlNode> anchors, int depth)
    {
        var current = parser.Current!;
        if (depth > MaxDepth)
        {
            throw new NestingTooDeepException(current.Start);
        }

        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"Alias '*{alias.Value.Value}' refers to no anchor");
            case Scalar scalar:
            {
                parser.MoveNext();
                var node = new YamlNode(YamlNodeKind.Scalar, Span(filePath, scalar.Start, scalar.End))
                {
                    Value = scalar.Value,
                    IsQuoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded,
                };
                Remember(anchors, scalar.Anchor, node);
                return node;
            }

            case SequenceStart seqStart:
            {
                parser.MoveNext();
                var node = new YamlNode(YamlNodeKind.Sequence, Span(filePath, seqStart.Start, seqStart.End));
                Remember(anchors, seqStart.Anchor, node);
                while (!parser.Accept<SequenceEnd>(out _))
                {
                    node.Items.Add(ReadNode(filePath, parser, anchors, depth + 1));
                }

                parser.MoveNext();
                return node;
            }

            case MappingStart mapStart:
            {
                parser.MoveNext();
                var node = new YamlNode(YamlNodeKind.Mapping, Span(filePath, mapStart.Start, mapStart.End));
                Remember(anchors, mapStart.Anchor, node);
                while (!parser.Accept<MappingEnd>(out _))
                {
                    var key = ReadNode(filePath, parser, anchors, depth + 1);
                    var value = ReadNode(filePath, parser, anchors, depth + 1);
                    node.Entries.Add(new KeyValuePair<YamlNode, YamlNode>(key, value));
                }

                parser.MoveNext();
                return node;
            }

            default:
                throw new YamlException(current.Start, current.End, "Unexpected YAML event " + current.GetType().Name);
        }
    }

    private static void Remember(Dictionary<string, YamlNode> anchors, AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    internal static SourceSpan Span(string filePath, Mark start, Mark end)
    {
        var line = Math.Max(1, (int)Math.Min(int.MaxValue, start.Line));
        var column = Math.Max(1, (int)Math.Min(int.MaxValue, start.Column));
        var endLine = Math.Max(line, (int)Math.Min(int.MaxValue, end.Line));
        var endColumn = endLine == line ? Math.Max(column, (int)Math.Min(int.MaxValue, end.Column)) : Math.Max(1, (int)Math.Min(int.MaxValue, end.Column));
        var startIndex = (int)Math.Max(0, Math.Min(int.MaxValue, start.Index));
        var endIndex = (int)Math.Max(startIndex, Math.Min(int.MaxValue, end.Index));
        return new SourceSpan(filePath, line, column, endLine, endColumn, startIndex, endIndex);
    }

    /// <summary>YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the position is reported separately.</summary>
    private static string Clean(string message)
    {
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(idx + 3) : message;
    }

    private sealed class NestingTooDeepException : Exception
    {
        public NestingTooDeepException(Mark mark) => Mark = mark;

        public Mark Mark { get; }
    }
}
