using System;
using System.Collections.Generic;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>
/// Turns the frames of a stack trace into grouping keys that survive rebuilds: the <c>Namespace.Type.Method</c> of a
/// frame without parameters, line numbers, file paths, IL offsets, generic arguments or arity, and with compiler
/// names folded back to the source method: an async state machine (<c>&lt;LoadAsync&gt;d__4.MoveNext</c>) becomes
/// <c>LoadAsync</c>, a lambda (<c>&lt;&gt;c.&lt;Main&gt;b__0_0</c>) <c>Main.lambda</c>, a local function
/// (<c>&lt;Main&gt;g__Parse|0_1</c>) <c>Main.Parse</c>. It reads the stack trace text (the same text that is sent), so it
/// needs no reflection and works trimmed and AOT-compiled.
/// </summary>
internal static class StackFrameNormalizer
{
    /// <summary>The normalised frames of <paramref name="stackTrace"/>, top first (async boundary markers skipped).</summary>
    public static List<string> Frames(string? stackTrace, int max)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(stackTrace)) return result;
        foreach (var rawLine in stackTrace.AsSpan().EnumerateLines())
        {
            if (result.Count >= max) break;
            var frame = Normalize(rawLine);
            if (frame is not null) result.Add(frame);
        }

        return result;
    }

    /// <summary>The normalised method of one stack trace line, or null when the line is not a frame.</summary>
    public static string? Normalize(ReadOnlySpan<char> line)
    {
        line = line.Trim();

        // "at Ns.Type.Method(args) in file:line 12": the first word is localised ("at", "bei", "à"), skip it.
        var space = line.IndexOf(' ');
        if (space <= 0) return null;
        var rest = line.Slice(space + 1).TrimStart();
        var paren = rest.IndexOf('(');
        if (paren <= 0) return null;
        var method = rest.Slice(0, paren);
        if (method.IndexOf(' ') >= 0) return null; // "--- End of stack trace from previous location ---" and the like
        return NormalizeMethod(method);
    }

    /// <summary>Normalises <c>Ns.Type`1+Nested.&lt;Run&gt;d__3.MoveNext</c> style names.</summary>
    internal static string NormalizeMethod(ReadOnlySpan<char> method)
    {
        // 1. Drop generic argument lists ("[T]", "[[System.Int32, …]]") and arity ("`1"), and nested-type '+'.
        var plain = new StringBuilder(method.Length);
        var depth = 0;
        for (var i = 0; i < method.Length; i++)
        {
            var c = method[i];
            if (c == '[') { depth++; continue; }
            if (c == ']') { if (depth > 0) depth--; continue; }
            if (depth > 0) continue;
            if (c == '`')
            {
                while (i + 1 < method.Length && char.IsAsciiDigit(method[i + 1])) i++;
                continue;
            }

            plain.Append(c == '+' ? '.' : c);
        }

        // 2. Fold compiler-generated names segment by segment.
        var segments = plain.ToString().Split('.');
        var output = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s.Length == 0) continue;
            if (s[0] != '<')
            {
                output.Add(s);
                continue;
            }

            var close = s.IndexOf('>');
            if (close < 0)
            {
                output.Add(StripDigits(s));
                continue;
            }

            var name = s.Substring(1, close - 1);
            var kind = close + 1 < s.Length ? s[close + 1] : '\0';
            if (name.Length == 0)
            {
                // "<>c", "<>c__DisplayClass3_0": closure containers, not source names.
                continue;
            }

            switch (kind)
            {
                case 'd': // async or iterator state machine: "<Load>d__4", then "MoveNext"
                    AddOnce(output, name);
                    if (i + 1 < segments.Length && segments[i + 1] is "MoveNext") i++;
                    break;
                case 'b': // lambda
                    AddOnce(output, name);
                    output.Add("lambda");
                    break;
                case 'g': // local function: "<Main>g__Parse|0_1"
                    AddOnce(output, name);
                    var g = s.IndexOf("__", close, StringComparison.Ordinal);
                    var bar = s.IndexOf('|', close);
                    output.Add(g >= 0 && bar > g ? s.Substring(g + 2, bar - g - 2) : "local");
                    break;
                default:
                    AddOnce(output, name);
                    break;
            }
        }

        return string.Join('.', output);
    }

    private static void AddOnce(List<string> output, string name)
    {
        // "Type.Run" followed by "<Run>d__3" (state machine frames that were not resolved) names the method once.
        if (output.Count == 0 || !string.Equals(output[^1], name, StringComparison.Ordinal)) output.Add(name);
    }

    private static string StripDigits(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) sb.Append(c);
        }

        return sb.ToString();
    }
}
