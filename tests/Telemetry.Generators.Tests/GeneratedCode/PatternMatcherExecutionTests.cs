using System.Text;
using System.Text.RegularExpressions;
using Telemetry.Generators.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Generators.Tests.GeneratedCode;

/// <summary>
/// Simple catalog patterns are checked by generated character tests instead of a Regex. Whatever the form, the
/// generated check must give the regular expression's answer: random and near-miss strings, compared with
/// <see cref="Regex.IsMatch(string, string, RegexOptions)"/>, for patterns that are compiled to character checks and for
/// ones that keep the Regex.
/// </summary>
public sealed class PatternMatcherExecutionTests
{
    private static readonly string[] Patterns =
    {
        "^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$",
        "^[a-z]+-[0-9]?$",
        "^a*b+c?$",
        "^[A-Za-z_][A-Za-z0-9_]{0,7}$",
        "^x{2}y{1,3}\\.z$",
        "^v[0-9]+(\\.[0-9]+){0,2}$",
        "^[a-c]+[b-d]$",
        "^[a-c]+x?[b-d]$",
        "^[a-c]+x?y[b-d]+$",
        "^ab/c$",
    };

    private static readonly Lazy<GeneratedAssembly> Assembly = new(() =>
    {
        var yaml = new StringBuilder("feature: pattern\nevents:\n");
        var driver = new StringBuilder("using Telemetry.Events;\nusing Telemetry.Runtime;\npublic static class Driver\n{\n    public static void Run(ITelemetryClient c, int which, string value)\n    {\n        switch (which)\n        {\n");
        for (var i = 0; i < Patterns.Length; i++)
        {
            yaml.Append($"  p{i}:\n    properties:\n      value: {{ type: string, pattern: \"{Patterns[i].Replace("\\", "\\\\")}\" }}\n");
            driver.Append($"            case {i}: c.TrackPatternP{i}(value); break;\n");
        }

        driver.Append("        }\n    }\n}\n");
        return GeneratedAssembly.Build(new[] { CatalogInput.File("pattern.yaml", yaml.ToString()) }, driver.ToString(), "PatternDriver",
            new Dictionary<string, string> { ["build_property.TelemetryConstraintPolicy"] = "Throw" });
    });

    private delegate void Run(ITelemetryClient client, int which, string value);

    [Fact]
    public void Simple_patterns_are_generated_as_character_checks_and_others_keep_the_regex()
    {
        var source = string.Concat(Assembly.Value.Sources.Values);
        Assert.Contains("internal static bool Value(string? value)\n", source.Replace("\r\n", "\n"), StringComparison.Ordinal);
        Assert.Contains("__C.Pattern(\"^v[0-9]+(\\\\.[0-9]+){0,2}$\")", source, StringComparison.Ordinal);
        Assert.Contains("__C.Pattern(\"^[a-c]+[b-d]$\")", source, StringComparison.Ordinal); // overlapping sets need backtracking
        Assert.Contains("__C.Pattern(\"^[a-c]+x?[b-d]$\")", source, StringComparison.Ordinal); // also past an optional item
        Assert.DoesNotContain("TelemetryConstraints.Pattern(\"^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$\")", source, StringComparison.Ordinal);
        Assert.DoesNotContain("TelemetryConstraints.Pattern(\"^[a-c]+x?y[b-d]+$\")", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_checks_agree_with_the_regular_expression_on_random_and_near_miss_strings()
    {
        var run = Assembly.Value.Method<Run>("Driver", "Run");
        using var client = new InMemoryTelemetryClient(new TelemetryClientOptions { UserId = "user-1" });
        var random = new Random(20261206);
        const string alphabet = "ABCZ09az_-/.vxyabcd\n é";
        var starts = new[] { "BTC/USDT", "abc-1", "aabbc", "_x1", "xxyy.z", "v1.2.3", "abcd", "ABCDEFGHIJKLMNO/A" };
        var disagreements = new List<string>();
        for (var n = 0; n < 20_000; n++)
        {
            string value;
            if (n % 2 == 0)
            {
                var length = random.Next(0, 20);
                var chars = new char[length];
                for (var k = 0; k < length; k++) chars[k] = alphabet[random.Next(alphabet.Length)];
                value = new string(chars);
            }
            else
            {
                // A near miss: a valid-looking seed with one character changed, inserted or removed, or a newline appended.
                var seed = starts[random.Next(starts.Length)];
                var sb = new StringBuilder(seed);
                var at = random.Next(sb.Length + 1);
                switch (random.Next(4))
                {
                    case 0 when sb.Length > 0 && at < sb.Length: sb[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: sb.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 2 when sb.Length > 0 && at < sb.Length: sb.Remove(at, 1); break;
                    default: sb.Append('\n'); break;
                }

                value = sb.ToString();
            }

            for (var p = 0; p < Patterns.Length; p++)
            {
                var expected = Regex.IsMatch(value, Patterns[p], RegexOptions.CultureInvariant);
                bool actual;
                try
                {
                    run(client, p, value);
                    actual = true;
                }
                catch (ArgumentOutOfRangeException)
                {
                    actual = false;
                }

                if (expected != actual && disagreements.Count < 10) disagreements.Add($"{Patterns[p]} on \"{value.Replace("\n", "\\n")}\": regex {expected}, generated {actual}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }
}
