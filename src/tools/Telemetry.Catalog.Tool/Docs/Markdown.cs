using System.Linq;
using System.Text;

namespace Telemetry.Catalog.Tool.Docs;

/// <summary>Small Markdown helpers: table cells, code spans and GitHub heading anchors.</summary>
internal static class Markdown
{
    /// <summary>Text safe inside a table cell: one line, pipes escaped.</summary>
    public static string Cell(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "–";
        return string.Join(" ", text!.Split('\n', '\r').Select(s => s.Trim()).Where(s => s.Length > 0)).Replace("|", "\\|");
    }

    /// <summary>A code span that survives a table cell (GitHub reads <c>\|</c> inside code spans in tables as a pipe).</summary>
    public static string Code(string text)
    {
        var fence = text.Contains('`') ? "``" : "`";
        var pad = text.StartsWith('`') || text.EndsWith('`') ? " " : string.Empty;
        return fence + pad + text.Replace("|", "\\|") + pad + fence;
    }

    /// <summary>The anchor GitHub gives a heading: lower case, punctuation except '-' and '_' dropped, spaces to '-'.</summary>
    public static string Anchor(string heading)
    {
        var sb = new StringBuilder(heading.Length);
        foreach (var c in heading.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') sb.Append(c);
            else if (c == ' ') sb.Append('-');
        }

        return sb.ToString();
    }

    /// <summary>A paragraph: line breaks inside the text become spaces.</summary>
    public static string Paragraph(string text) =>
        string.Join(" ", text.Split('\n', '\r').Select(s => s.Trim()).Where(s => s.Length > 0));
}
