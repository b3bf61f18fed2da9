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
        // YamlDotNet reads U+0000 as the end of the input and lets some other control characters through, so a
        // binary or corrupted file could lose its tail silently; YAML allows neither, so report the first one.
        if (FindDisallowedCharacter(filePath, text) is { } bad)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml,
                $"YAML does not parse: character U+{(int)text[bad.Start]:X4} is not allowed in a YAML file (is it a binary file or in another encoding than UTF-8?)", bad));
            return null;
        }

        var open = new List<ParsingEvent>();
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
            var root = ReadNode(filePath, parser, anchors, open, 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var ev = parser.Current!;
                diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml,
                    "A catalog file holds one YAML document; remove the second '---' document", Span(filePath, ev.Start, ev.End)));
                return null;
            }

            return root;
        }
        catch (YamlException ex)
        {
            var message = Clean(ex.Message);
            var span = Span(filePath, ex.Start, ex.End);
            if (message.IndexOf("tab", StringComparison.OrdinalIgnoreCase) >= 0 && FindTabIndentation(filePath, text) is { } tab)
            {
                // YamlDotNet marks the start of the enclosing mapping (often line 1), not the tab.
                span = tab;
            }
            else if (open.Count > 0 && ex.Start.Line > open[open.Count - 1].Start.Line &&
                     (message.IndexOf("flow mapping", StringComparison.Ordinal) >= 0 || message.IndexOf("flow sequence", StringComparison.Ordinal) >= 0))
            {
                // An unclosed '{' or '[' is found only where the parser gives up, often lines later: point at the bracket.
                var bracket = open[open.Count - 1];
                message = $"the '{(bracket is MappingStart ? "{" : "[")}' opened here is not closed where expected ({message.TrimEnd('.')} at line {ex.Start.Line}, column {ex.Start.Column})";
                span = Span(filePath, bracket.Start, bracket.End);
            }

            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml, "YAML does not parse: " + message, span));
            return null;
        }
        catch (NestingTooDeepException ex)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml,
                $"YAML nests deeper than {MaxDepth} levels", Span(filePath, ex.Mark, ex.Mark)));
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet throws a few non-YamlException types on pathological input (an InvalidOperationException
            // for a plain scalar running on inside an unclosed '{'); never let them escape, and point at the
            // unclosed bracket when there is one, since YamlDotNet's message carries no position.
            if (open.Count > 0)
            {
                var bracket = open[open.Count - 1];
                var kind = bracket is MappingStart ? "{" : "[";
                diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml,
                    $"YAML does not parse: the '{kind}' opened here is not closed where expected (expected ',' or '{(kind == "{" ? "}" : "]")}')",
                    Span(filePath, bracket.Start, bracket.End)));
            }
            else
            {
                diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml,
                    "YAML does not parse: " + Clean(ex.Message), SourceSpan.StartOf(filePath)));
            }

            return null;
        }
    }

    private static YamlNode ReadNode(string filePath, IParser parser, Dictionary<string, YamlNode> anchors, List<ParsingEvent> open, int depth)
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
                if (seqStart.Style == SequenceStyle.Flow) open.Add(seqStart);
                while (!parser.Accept<SequenceEnd>(out _))
                {
                    node.Items.Add(ReadNode(filePath, parser, anchors, open, depth + 1));
                }

                if (seqStart.Style == SequenceStyle.Flow) open.RemoveAt(open.Count - 1);
                parser.MoveNext();
                return node;
            }

            case MappingStart mapStart:
            {
                parser.MoveNext();
                var node = new YamlNode(YamlNodeKind.Mapping, Span(filePath, mapStart.Start, mapStart.End));
                Remember(anchors, mapStart.Anchor, node);
                if (mapStart.Style == MappingStyle.Flow) open.Add(mapStart);
                while (!parser.Accept<MappingEnd>(out _))
                {
                    var key = ReadNode(filePath, parser, anchors, open, depth + 1);
                    var value = ReadNode(filePath, parser, anchors, open, depth + 1);
                    node.Entries.Add(new KeyValuePair<YamlNode, YamlNode>(key, value));
                }

                if (mapStart.Style == MappingStyle.Flow) open.RemoveAt(open.Count - 1);
                parser.MoveNext();
                return node;
            }

            default:
                throw new YamlException(current.Start, current.End, "Unexpected YAML event " + current.GetType().Name);
        }
    }

    /// <summary>The first character YAML does not allow (c-printable, YAML 1.2 §5.1), or null.</summary>
    private static SourceSpan? FindDisallowedCharacter(string filePath, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            bool allowed;
            if (char.IsHighSurrogate(c))
            {
                allowed = i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                if (allowed) i++;
            }
            else
            {
                allowed = c == '\t' || c == '\n' || c == '\r' || (c >= '\u0020' && c <= '\u007E') || c == '\u0085' ||
                          (c >= '\u00A0' && c <= '\uD7FF') || (c >= '\uE000' && c <= '\uFFFD');
            }

            if (!allowed) return At(filePath, text, i);
        }

        return null;
    }

    /// <summary>Where the first line whose indentation holds a tab has it, or null.</summary>
    private static SourceSpan? FindTabIndentation(string filePath, string text)
    {
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            for (var i = lineStart; i < text.Length && (text[i] == ' ' || text[i] == '\t'); i++)
            {
                if (text[i] == '\t') return At(filePath, text, i);
            }

            var next = lineStart;
            while (next < text.Length && !IsLineBreak(text, next)) next++;
            if (next >= text.Length) break;
            lineStart = next + 1;
        }

        return null;
    }

    /// <summary>A one-character span at <paramref name="index"/>, with YamlDotNet's (and Roslyn's) line counting.</summary>
    private static SourceSpan At(string filePath, string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (IsLineBreak(text, i))
            {
                line++;
                lineStart = i + 1;
            }
        }

        var column = index - lineStart + 1;
        return new SourceSpan(filePath, line, column, line, column + 1, index, Math.Min(text.Length, index + 1));
    }

    /// <summary>
    /// True where a line ends: \n, a \r not followed by \n (a \r\n pair ends its line at the \n), and NEL, LS and PS
    /// (U+0085, U+2028, U+2029), which YamlDotNet and Roslyn's SourceText both count as line breaks.
    /// </summary>
    private static bool IsLineBreak(string text, int i) => text[i] switch
    {
        '\n' or '\u0085' or '\u2028' or '\u2029' => true,
        '\r' => i + 1 >= text.Length || text[i + 1] != '\n',
        _ => false,
    };

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
