using System.Text;

namespace Telemetry.Analyzers.Tests.Robustness;

/// <summary>
/// Derives broken and hostile catalogs from a valid one: each call applies one to three random mutations.
/// Everything depends only on the <see cref="Random"/> passed in, so a case is reproduced from its seed.
/// </summary>
internal static class CatalogMutator
{
    internal static readonly string[] Mutations =
    {
        "delete-lines", "duplicate-lines", "swap-lines", "shift-indentation", "swap-indentation", "insert-characters",
        "insert-bytes", "huge-string", "huge-number", "deep-sequence", "deep-mapping", "tabs", "bom", "duplicate-key",
        "duplicate-block", "truncate", "crlf", "lone-cr", "replace-word", "anchors", "flow-noise",
        "semantic-value", "semantic-value", "semantic-insert", "semantic-insert",
    };

    // Values per key that turn a valid catalog into one that breaks a privacy, cost or type rule (or keep it valid).
    private static readonly (string Key, string[] Values)[] SemanticValues =
    {
        ("sampling", new[] { "0.5", "0.01", "0", "1.0", "1.01", "-0.1" }),
        ("frequency", new[] { "high", "normal", "often" }),
        ("sensitivity", new[] { "financial", "session", "none", "secret" }),
        ("treatment", new[] { "none", "hash", "length", "drop", "redact", "encrypt" }),
        ("pii", new[] { "email", "phone", "free_text", "payment", "ssn" }),
        ("type", new[] { "string", "enum", "array", "int32", "timestamp", "strng" }),
        ("kind", new[] { "counter", "histogram", "gauge" }),
        ("local_only", new[] { "true", "false", "maybe" }),
        ("window_ms", new[] { "999", "1000", "60001" }),
        ("max_length", new[] { "0", "-1", "32" }),
    };

    // Lines inserted below "properties:" (at its indentation + 2) or below an event or metric key (+ 2).
    private static readonly string[] PropertyLines =
    {
        "email: string", "user_name: string", "note: { type: string }", "contact: { type: string, example: \"jane@example.com\" }",
        "phone: { type: string, pii: phone, treatment: none }", "card: { type: string, pii: payment, treatment: none, justification: Audited. }",
        "ip: { type: string, pii: ip_address }", "status: { type: enum }", "tags: { type: array }", "n: { type: int32, min: 3, max: 1 }",
    };

    private static readonly string[] FactLines =
    {
        "frequency: high", "sampling: 0.5", "sampling: 0.001", "sensitivity: financial", "local_only: true", "sampling: 2", "kind: counter",
        "aggregate: { into: agg, window_ms: 5000 }", "unknown_key: 1",
    };

    // Characters that YAML, the parser or Roslyn's line counting treat specially, plus some that nobody should meet.
    private static readonly string[] Specials =
    {
        ":", "-", "?", "{", "}", "[", "]", ",", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "\\", " ", "  ",
        "\t", "\n", "\r", "\r\n", "\0", "\a", "\u001B", "\u007F", "\u0085", "\u00A0", "\u2028", "\u2029", "\uFEFF",
        "\uFFFE", "\uFFFF", "\uD800", "\uDC00", "😀", "é", "☕", "\u200B", "---", "...", "<<", "~", "null", "true", "1e308",
    };

    private static readonly string[] Words =
    {
        "string", "strin", "enum", "array", "int32", "int64", "double", "decimal", "timestamp", "duration", "uuid", "boolean",
        "true", "false", "yes", "null", "~", "0", "-1", "1.5", "0.001", "1e308", "-1e308", "1e309", ".nan", ".inf", "2147483648",
        "high", "normal", "financial", "session", "none", "hash", "length", "drop", "redact", "email", "phone", "free_text",
        "A", "D", "planned", "deprecated", "active", "counter", "histogram", "[]", "{}", "[a, b]", "{ type: string }",
        "\"\"", "''", "\"quoted\"", "Upper", "with space", "dotted.name", "event_id", "telemetry", "count", "window_ms",
        "jane@example.com", "+1 415 555 0100", "4111 1111 1111 1111", "10.0.0.1", "(", "([", "^[a-z]+$",
    };

    public static (string Text, string Description) Mutate(string text, Random random)
    {
        var applied = new List<string>();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var name = Mutations[random.Next(Mutations.Length)];
            text = Apply(name, text, random);
            applied.Add(name);
        }

        return (text, string.Join("+", applied));
    }

    internal static string Apply(string name, string text, Random random)
    {
        var lines = SplitLines(text);
        switch (name)
        {
            case "delete-lines":
            {
                var n = 1 + random.Next(Math.Min(5, Math.Max(1, lines.Count)));
                for (var k = 0; k < n && lines.Count > 0; k++) lines.RemoveAt(random.Next(lines.Count));
                return Join(lines);
            }

            case "duplicate-lines":
            {
                if (lines.Count == 0) return text;
                var at = random.Next(lines.Count);
                var length = 1 + random.Next(Math.Min(4, lines.Count - at));
                lines.InsertRange(at + length, lines.GetRange(at, length));
                return Join(lines);
            }

            case "swap-lines":
            {
                if (lines.Count < 2) return text;
                var a = random.Next(lines.Count);
                var b = random.Next(lines.Count);
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return Join(lines);
            }

            case "shift-indentation":
            {
                if (lines.Count == 0) return text;
                var at = random.Next(lines.Count);
                var line = lines[at];
                var indent = line.Length - line.TrimStart(' ').Length;
                var delta = random.Next(-4, 5);
                lines[at] = new string(' ', Math.Max(0, indent + delta)) + line.TrimStart(' ');
                return Join(lines);
            }

            case "swap-indentation":
            {
                if (lines.Count < 2) return text;
                var a = random.Next(lines.Count);
                var b = random.Next(lines.Count);
                string Indent(string l) => l.Substring(0, l.Length - l.TrimStart(' ', '\t').Length);
                var ia = Indent(lines[a]);
                var ib = Indent(lines[b]);
                lines[a] = ib + lines[a].TrimStart(' ', '\t');
                lines[b] = ia + lines[b].TrimStart(' ', '\t');
                return Join(lines);
            }

            case "insert-characters":
            {
                var sb = new StringBuilder(text);
                var n = 1 + random.Next(8);
                for (var k = 0; k < n; k++)
                {
                    var piece = random.Next(4) == 0 ? ((char)random.Next(0, 0x10000)).ToString() : Specials[random.Next(Specials.Length)];
                    sb.Insert(random.Next(sb.Length + 1), piece);
                }

                return sb.ToString();
            }

            case "insert-bytes":
            {
                // A stretch of a binary or differently encoded file, decoded the way a UTF-8 reader or a Latin-1 one would.
                var bytes = new byte[1 + random.Next(64)];
                random.NextBytes(bytes);
                var decoded = random.Next(2) == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
                return text.Insert(random.Next(text.Length + 1), decoded);
            }

            case "huge-string":
            {
                var huge = new string((char)('a' + random.Next(26)), 100_000);
                var value = random.Next(3) switch { 0 => huge, 1 => "\"" + huge + "\"", _ => "\"" + huge };
                return ReplaceValue(lines, random, value) ?? text + "\nhuge: " + value;
            }

            case "huge-number":
            {
                var numbers = new[] { "1e308", "-1e308", "1e309", "-1e309", "4.9e-324", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368", "99999999999999999999999999999", "-2147483649", "0x7fffffff", "1_000" };
                return ReplaceValue(lines, random, numbers[random.Next(numbers.Length)]) ?? text;
            }

            case "deep-sequence":
            {
                var depth = 50 + random.Next(200);
                var closed = random.Next(2) == 0;
                var value = new string('[', depth) + (closed ? new string(']', depth) : string.Empty);
                return ReplaceValue(lines, random, value) ?? text + "\ndeep: " + value;
            }

            case "deep-mapping":
            {
                var depth = 50 + random.Next(200);
                var sb = new StringBuilder();
                if (random.Next(2) == 0)
                {
                    for (var d = 0; d < depth; d++) sb.Append('\n').Append(' ', 2 * (d + 1)).Append("k").Append(d).Append(':');
                    sb.Append(" leaf");
                }
                else
                {
                    for (var d = 0; d < depth; d++) sb.Append("{ k: ");
                    sb.Append("leaf").Append(' ').Append(new string('}', random.Next(2) == 0 ? depth : depth / 2));
                }

                return ReplaceValue(lines, random, sb.ToString()) ?? text + "\ndeep:" + sb;
            }

            case "tabs":
            {
                if (lines.Count == 0) return text;
                var at = random.Next(lines.Count);
                var line = lines[at];
                lines[at] = random.Next(3) switch
                {
                    0 => line.Replace("  ", "\t"),
                    1 => line.Replace(": ", ":\t"),
                    _ => "\t" + line,
                };
                return Join(lines);
            }

            case "bom":
                return random.Next(3) switch
                {
                    0 => "\uFEFF" + text,
                    1 => "\uFEFF\uFEFF" + text,
                    _ => text.Insert(random.Next(text.Length + 1), "\uFEFF"),
                };

            case "duplicate-key":
            {
                var keyed = Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains(':') && !lines[i].TrimStart().StartsWith('#')).ToList();
                if (keyed.Count == 0) return text;
                var at = keyed[random.Next(keyed.Count)];
                lines.Insert(at + 1, lines[at]);
                return Join(lines);
            }

            case "duplicate-block":
            {
                // Copies a key together with the more-indented lines below it (an event, a property): duplicate keys and events.
                var keyed = Enumerable.Range(0, lines.Count).Where(i => lines[i].TrimEnd().EndsWith(':')).ToList();
                if (keyed.Count == 0) return text;
                var start = keyed[random.Next(keyed.Count)];
                var indent = lines[start].Length - lines[start].TrimStart(' ').Length;
                var end = start + 1;
                while (end < lines.Count && (lines[end].Trim().Length == 0 || lines[end].Length - lines[end].TrimStart(' ').Length > indent)) end++;
                lines.InsertRange(end, lines.GetRange(start, end - start));
                return Join(lines);
            }

            case "truncate":
                return text.Substring(0, random.Next(text.Length + 1));

            case "crlf":
                return text.Replace("\r\n", "\n").Replace("\n", "\r\n");

            case "lone-cr":
                return random.Next(2) == 0 ? text.Replace("\r\n", "\n").Replace('\n', '\r') : MixLineEndings(text, random);

            case "replace-word":
                return ReplaceValue(lines, random, Words[random.Next(Words.Length)]) ?? text;

            case "anchors":
            {
                if (lines.Count == 0) return text;
                var at = random.Next(lines.Count);
                var piece = random.Next(4) switch { 0 => " &a", 1 => " *a", 2 => "\n<<: *a", _ => " !!str" };
                lines[at] += piece;
                return Join(lines);
            }

            case "flow-noise":
            {
                var pieces = new[] { "{", "}", "[", "]", ", ", ": ", "? ", "- " };
                var sb = new StringBuilder(text);
                var n = 1 + random.Next(5);
                for (var k = 0; k < n; k++) sb.Insert(random.Next(sb.Length + 1), pieces[random.Next(pieces.Length)]);
                return sb.ToString();
            }

            case "semantic-value":
            {
                var (key, values) = SemanticValues[random.Next(SemanticValues.Length)];
                var matches = Enumerable.Range(0, lines.Count).Where(i => lines[i].TrimStart().StartsWith(key + ": ", StringComparison.Ordinal)).ToList();
                if (matches.Count == 0) return text;
                var at = matches[random.Next(matches.Count)];
                var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
                lines[at] = lines[at].Substring(0, colon + 2) + values[random.Next(values.Length)];
                return Join(lines);
            }

            case "semantic-insert":
            {
                // Below "properties:" a property; below a key whose block is indented deeper (an event, a metric), a fact.
                var properties = random.Next(2) == 0;
                var candidates = Enumerable.Range(0, lines.Count - 1).Where(i => properties
                    ? lines[i].Trim() == "properties:" || lines[i].Trim() == "tags:"
                    : lines[i].TrimEnd().EndsWith(':') && Indent(lines[i + 1]) > Indent(lines[i]) && Indent(lines[i]) > 0).ToList();
                if (candidates.Count == 0) return text;
                var at = candidates[random.Next(candidates.Count)];
                var pool = properties ? PropertyLines : FactLines;
                lines.Insert(at + 1, new string(' ', Indent(lines[at + 1])) + pool[random.Next(pool.Length)]);
                return Join(lines);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    /// <summary>Replaces the value after a random "key:" with <paramref name="value"/>; null when no line has one.</summary>
    private static string? ReplaceValue(List<string> lines, Random random, string value)
    {
        var keyed = Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains(": ", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith('#')).ToList();
        if (keyed.Count == 0) return null;
        var at = keyed[random.Next(keyed.Count)];
        var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
        lines[at] = lines[at].Substring(0, colon + 2) + value;
        return Join(lines);
    }

    private static string MixLineEndings(string text, Random random)
    {
        var lines = SplitLines(text);
        var sb = new StringBuilder();
        var endings = new[] { "\n", "\r\n", "\r" };
        foreach (var line in lines) sb.Append(line).Append(endings[random.Next(endings.Length)]);
        return sb.ToString();
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static List<string> SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n').ToList();

    private static string Join(List<string> lines) => string.Join("\n", lines);
}
