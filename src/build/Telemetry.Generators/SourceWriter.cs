using System;
using System.Globalization;
using System.Text;

namespace Telemetry.Generators;

/// <summary>
/// A small indented writer, so the emitter reads as the code it writes. Indents with tabs: a large catalog's generated
/// code is read, hashed and kept by every build, and a tab is a quarter of four spaces.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length == 0)
        {
            _sb.Append('\n');
            return this;
        }

        _sb.Append('\t', _indent).Append(text).Append('\n');
        return this;
    }

    public SourceWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public void Doc(string tag, string? text, string? attributes = null)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        var lines = Escape(text!).Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 1)
        {
            Line($"/// <{tag}{attributes}>{lines[0].Trim()}</{tag}>");
            return;
        }

        Line($"/// <{tag}{attributes}>");
        foreach (var l in lines) Line("/// " + l.Trim());
        Line($"/// </{tag}>");
    }

    public override string ToString() => _sb.ToString();

    public static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal.</summary>
    public static string Literal(string? value)
    {
        if (value is null) return "null";
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A C# double literal that round-trips.</summary>
    public static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture) + "d";

    /// <summary>Prefixes C# keywords with '@'.</summary>
    public static string Identifier(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>A C# bool literal.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Join(string separator, System.Collections.Generic.IEnumerable<string> items) => string.Join(separator, items);

    public static ArgumentException Unreachable(string what) => new("Unreachable: " + what);
}
