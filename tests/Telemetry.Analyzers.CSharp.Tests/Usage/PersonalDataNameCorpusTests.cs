using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Telemetry.Catalog.Privacy;
using Xunit;

namespace Telemetry.Analyzers.CSharp.Tests.Usage;

/// <summary>
/// Measures TEL4002's name rule on real code: every string-typed parameter, property, field and local declared in this
/// repository's samples, tests, runtime, ingest server, tools and benchmarks is judged by <see cref="PiiHeuristics.JudgeCodeName"/>.
/// Each name the rule flags is reviewed by hand in <c>personal-data-names.reviewed.tsv</c> as <c>personal</c> (it holds
/// personal data, or a test's stand-in for it) or <c>false-positive</c>; the test fails when a newly flagged name is not
/// reviewed, when a reviewed name is no longer flagged, or when false positives exceed the documented rate.
/// </summary>
public sealed class PersonalDataNameCorpusTests
{
    // The rate docs/diagnostics/TEL4002.md promises: false positives per string-typed name judged.
    private const double MaxFalsePositiveRate = 0.01;

    private static readonly string[] Folders = { "samples", "tests", "src/runtime", "src/ingest", "src/tools", "benchmarks" };

    [Fact]
    public void Every_flagged_name_in_the_repository_is_reviewed_and_false_positives_stay_rare()
    {
        var root = RepositoryRoot();
        var names = StringTypedNames(root);
        Assert.True(names.Count > 400, $"the corpus should hold the repository's string-typed names; found {names.Count}");

        var flagged = names.Where(n => PiiHeuristics.JudgeCodeName(n) is not null).ToHashSet(StringComparer.Ordinal);
        var reviewed = Reviewed(root);

        var unreviewed = flagged.Where(n => !reviewed.ContainsKey(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var stale = reviewed.Keys.Where(n => !flagged.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.True(unreviewed.Count == 0,
            "names TEL4002 flags that are not reviewed in personal-data-names.reviewed.tsv (add each as personal or false-positive): " +
            string.Join(", ", unreviewed.Select(n => $"{n} ({PiiHeuristics.JudgeCodeName(n)})")));
        Assert.True(stale.Count == 0, "reviewed names the rule no longer flags (remove them): " + string.Join(", ", stale));

        var falsePositives = reviewed.Count(r => r.Value == "false-positive");
        var rate = (double)falsePositives / names.Count;
        Assert.True(rate <= MaxFalsePositiveRate,
            $"{falsePositives} false positives among {names.Count} string-typed names ({rate:P2}); the documented bound is {MaxFalsePositiveRate:P1}");
    }

    [Theory]
    [InlineData("MessageId")]
    [InlineData("ServerAddress")]
    [InlineData("EmailTemplate")]
    [InlineData("RemoteAddress")]
    [InlineData("BaseAddress")]
    [InlineData("emailCount")]
    [InlineData("cardType")]
    public void Identifiers_and_machine_addresses_are_not_personal_by_name(string name) =>
        Assert.Null(PiiHeuristics.JudgeCodeName(name));

    [Theory]
    [InlineData("Email")]
    [InlineData("customerEmail")]
    [InlineData("HomeAddress")]
    [InlineData("phoneNumber")]
    [InlineData("FirstName")]
    [InlineData("message")]
    public void Personal_names_are_flagged(string name) => Assert.NotNull(PiiHeuristics.JudgeCodeName(name));

    /// <summary>Distinct names of string-typed declarations (the only values TEL4002 judges by name are text).</summary>
    private static HashSet<string> StringTypedNames(string root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in Folders)
        {
            var path = Path.Combine(root, folder);
            if (!Directory.Exists(path)) continue;
            foreach (var file in Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)) continue;
                var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file));
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    switch (node)
                    {
                        case ParameterSyntax { Type: { } type } parameter when IsString(type):
                            names.Add(parameter.Identifier.ValueText);
                            break;
                        case PropertyDeclarationSyntax property when IsString(property.Type):
                            names.Add(property.Identifier.ValueText);
                            break;
                        case VariableDeclarationSyntax declaration when IsString(declaration.Type):
                            foreach (var variable in declaration.Variables) names.Add(variable.Identifier.ValueText);
                            break;
                    }
                }
            }
        }

        names.RemoveWhere(string.IsNullOrEmpty);
        return names;
    }

    private static bool IsString(TypeSyntax type) => type switch
    {
        NullableTypeSyntax nullable => IsString(nullable.ElementType),
        PredefinedTypeSyntax predefined => predefined.Keyword.IsKind(SyntaxKind.StringKeyword),
        _ => false,
    };

    private static Dictionary<string, string> Reviewed(string root)
    {
        var file = Path.Combine(root, "tests", "Telemetry.Analyzers.CSharp.Tests", "Usage", "personal-data-names.reviewed.tsv");
        var reviewed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(file, Encoding.UTF8))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split('\t');
            Assert.True(parts.Length >= 2 && parts[1] is "personal" or "false-positive", $"bad line in {file}: {line}");
            reviewed.Add(parts[0], parts[1]);
        }

        return reviewed;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Telemetry.Generators.sln not found above " + AppContext.BaseDirectory);
    }
}
