using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Telemetry.Generators;

/// <summary>
/// Turns simple catalog patterns into plain C# character checks, so the generated Track methods check them without a
/// regular expression engine (source generators do not see each other's output, so <c>[GeneratedRegex]</c> cannot be
/// used in generated code). Handled: an anchored sequence <c>^…$</c> of literal characters and character classes of
/// literals and ranges, each with an optional <c>?</c>, <c>*</c>, <c>+</c>, <c>{n}</c> or <c>{m,n}</c>, where every
/// variable-length item's characters are disjoint from those of the items that may follow it directly (up to the first
/// one that needs a character), so that matching greedily without backtracking gives exactly the regular expression's answer. Anything else (groups, alternation, negated classes,
/// <c>\d</c>, <c>\w</c>, <c>\s</c>, <c>.</c>, …) keeps the compiled <see cref="System.Text.RegularExpressions.Regex"/>.
/// </summary>
internal static class PatternMatcher
{
    private sealed class Item
    {
        public List<(char Lo, char Hi)> Ranges = new();
        public int Min = 1;
        public int Max = 1; // -1: unbounded
    }

    /// <summary>The body of <c>static bool M(string? value)</c>, or null when the pattern is not one of the simple forms.</summary>
    public static string? TryCompile(string pattern)
    {
        var items = Parse(pattern);
        if (items is null) return null;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Min == items[i].Max) continue;
            // Greedy is exact when the run cannot go on into what must follow: the later items up to and including the
            // first one that needs at least one character.
            for (var j = i + 1; j < items.Count; j++)
            {
                if (Overlaps(items[i].Ranges, items[j].Ranges)) return null;
                if (items[j].Min >= 1) break;
            }
        }

        // A span, every index compared with its length: the JIT drops the bounds checks. A range is one unsigned
        // comparison ((uint)(c - lo) <= hi - lo).
        var sb = new StringBuilder();
        sb.Append("if (value is null) return true;\n");
        sb.Append("var s = global::System.MemoryExtensions.AsSpan(value);\n");
        sb.Append("if (s.Length > 0 && s[s.Length - 1] == '\\n') s = s.Slice(0, s.Length - 1); // '$' also matches before a final newline\n");
        sb.Append("var i = 0;\n");
        if (items.Any(item => item.Min != 1 || item.Max != 1)) sb.Append("int start;\n");
        foreach (var item in items)
        {
            var test = Condition(item.Ranges, "s[i]");
            if (item.Min == 1 && item.Max == 1)
            {
                sb.Append($"if ((uint)i >= (uint)s.Length || !({test})) return false;\ni++;\n");
                continue;
            }

            sb.Append("start = i;\n");
            var bound = item.Max < 0 ? string.Empty : $" && i - start < {item.Max}";
            sb.Append($"while (i < s.Length{bound} && ({test})) i++;\n");
            if (item.Min > 0) sb.Append($"if (i - start < {item.Min}) return false;\n");
        }

        sb.Append("return i == s.Length;\n");
        return sb.ToString();
    }

    private static List<Item>? Parse(string pattern)
    {
        if (pattern.Length < 2 || pattern[0] != '^' || pattern[pattern.Length - 1] != '$') return null;
        if (pattern.Length >= 3 && pattern[pattern.Length - 2] == '\\') return null; // "\$" is a literal dollar
        var items = new List<Item>();
        var i = 1;
        var end = pattern.Length - 1;
        while (i < end)
        {
            var c = pattern[i];
            var item = new Item();
            if (c == '[')
            {
                i++;
                if (i < end && pattern[i] == '^') return null;
                var closed = false;
                while (i < end)
                {
                    if (pattern[i] == ']' && item.Ranges.Count > 0)
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    if (ReadChar(pattern, ref i, end, inClass: true) is not { } lo) return null;
                    var hi = lo;
                    if (i + 1 < end && pattern[i] == '-' && pattern[i + 1] != ']')
                    {
                        i++;
                        if (ReadChar(pattern, ref i, end, inClass: true) is not { } h || h < lo) return null;
                        hi = h;
                    }

                    item.Ranges.Add((lo, hi));
                }

                if (!closed) return null;
            }
            else
            {
                if (ReadChar(pattern, ref i, end, inClass: false) is not { } literal) return null;
                item.Ranges.Add((literal, literal));
            }

            if (i < end)
            {
                switch (pattern[i])
                {
                    case '?': item.Min = 0; item.Max = 1; i++; break;
                    case '*': item.Min = 0; item.Max = -1; i++; break;
                    case '+': item.Min = 1; item.Max = -1; i++; break;
                    case '{':
                        var close = pattern.IndexOf('}', i);
                        if (close < 0 || close >= end) return null;
                        var parts = pattern.Substring(i + 1, close - i - 1).Split(',');
                        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)) return null;
                        var max = min;
                        if (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out max)) return null;
                        if (max < min || max > 100_000) return null;
                        item.Min = min;
                        item.Max = max;
                        i = close + 1;
                        break;
                }

                // Lazy or possessive quantifiers and stacked quantifiers are not simple.
                if (i < end && pattern[i] is '?' or '+' or '*' or '{') return null;
            }

            if (item.Ranges.Any(r => r.Lo <= '\n' && r.Hi >= '\n')) return null;
            items.Add(item);
        }

        return items;
    }

    private static char? ReadChar(string pattern, ref int i, int end, bool inClass)
    {
        var c = pattern[i];
        if (c == '\\')
        {
            if (i + 1 >= end) return null;
            var e = pattern[i + 1];
            i += 2;
            // Only escaped punctuation is a plain literal; \d, \w, \s, \b, \p{…}, \u…, \n … are not simple.
            return char.IsLetterOrDigit(e) || e > 127 ? null : e;
        }

        if (!inClass && (c is '.' or '(' or ')' or '|' or '[' or ']' or '{' or '}' or '?' or '*' or '+' or '^' or '$')) return null;
        if (inClass && (c is '[' or '^')) return null;
        if (c > 127 || char.IsControl(c) || char.IsWhiteSpace(c)) return null;
        i++;
        return c;
    }

    private static bool Overlaps(List<(char Lo, char Hi)> a, List<(char Lo, char Hi)> b) =>
        a.Any(x => b.Any(y => x.Lo <= y.Hi && y.Lo <= x.Hi));

    private static string Condition(List<(char Lo, char Hi)> ranges, string c) =>
        string.Join(" || ", ranges.Select(r => r.Lo == r.Hi
            ? $"{c} == {Literal(r.Lo)}"
            : $"(uint)({c} - {Literal(r.Lo)}) <= {(r.Hi - r.Lo).ToString(CultureInfo.InvariantCulture)}u"));

    private static string Literal(char c) => c switch
    {
        '\'' => "'\\''",
        '\\' => "'\\\\'",
        _ => "'" + c + "'",
    };
}
