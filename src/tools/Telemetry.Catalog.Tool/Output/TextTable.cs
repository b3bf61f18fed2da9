using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Telemetry.Catalog.Tool.Output;

/// <summary>A plain-text table: padded columns, numbers right-aligned, a dashed rule under the header.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _right;
    private readonly List<string[]> _rows = new();

    /// <param name="columns">Header and alignment per column (true = right-aligned).</param>
    public TextTable(params (string Header, bool Right)[] columns)
    {
        _headers = columns.Select(c => c.Header).ToArray();
        _right = columns.Select(c => c.Right).ToArray();
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length) throw new ArgumentException($"expected {_headers.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        Line(sb, _headers, widths);
        Line(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in _rows) Line(sb, row, widths);
        return sb.ToString();
    }

    private void Line(StringBuilder sb, string[] cells, int[] widths)
    {
        var parts = cells.Select((c, i) => _right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
        sb.Append(string.Join("  ", parts).TrimEnd()).Append('\n');
    }
}
