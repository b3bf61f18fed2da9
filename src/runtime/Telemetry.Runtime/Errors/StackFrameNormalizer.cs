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
internal static partial class StackFrameNormalizer
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
        // The method ends at the first '(' outside generic brackets; a space outside them means this is no frame
        // ("--- End of stack trace from previous location ---" and the like).
        var depth = 0;
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == '[') depth++;
            else if (c == ']' && depth > 0) depth--;
            else if (depth == 0 && c == ' ') return null;
            else if (depth == 0 && c == '(') return i == 0 ? null : NormalizeMethod(rest.Slice(0, i));
        }

        return null;
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

            var m = CompilerName().Match(s);
            if (!m.Success)
            {
                output.Add(StripDigits(s));
                continue;
            }

            // "<Main>" or "<<Main>$>" (top-level statements): the source name without the compiler's brackets.
            var name = m.Groups["name"].Value.Replace("<", string.Empty, StringComparison.Ordinal).Replace(">", string.Empty, StringComparison.Ordinal).Replace("$", string.Empty, StringComparison.Ordinal);
            if (name.Length == 0)
            {
                // "<>c", "<>c__DisplayClass3_0": closure containers, not source names.
                continue;
            }

            switch (m.Groups["kind"].Value)
            {
                case "d": // async or iterator state machine: "<Load>d__4", then "MoveNext"
                    AddOnce(output, name);
                    if (i + 1 < segments.Length && segments[i + 1] is "MoveNext") i++;
                    break;
                case "b": // lambda
                    AddOnce(output, name);
                    output.Add("lambda");
                    break;
                case "g": // local function: "<Main>g__Parse|0_1"
                    AddOnce(output, name);
                    var rest = m.Groups["rest"].Value;
                    var bar = rest.IndexOf('|');
                    output.Add(bar > 0 ? rest.Substring(0, bar) : "local");
                    break;
                default:
                    AddOnce(output, name);
                    break;
            }
        }

        return string.Join('.', output);
    }

    // "<Load>d__4", "<Main>b__0_0", "<Main>g__Parse|0_1", "<<Main>$>g__Simulate|0_0", "<>c__DisplayClass3_0".
    [System.Text.RegularExpressions.GeneratedRegex(@"^<(?<name>.*)>(?<kind>[A-Za-z]?)(?:__(?<rest>.*))?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CompilerName();

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
