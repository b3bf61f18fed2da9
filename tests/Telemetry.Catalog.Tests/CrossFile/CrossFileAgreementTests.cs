using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Telemetry.Analyzers;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Generators;

namespace Telemetry.Catalog.Tests.CrossFile;

/// <summary>
/// One catalog with names claimed by more than one file, run through the three parts that decide about them: the
/// analyzers report the later claims, the tool's lint reports the same ones, and the generator generates every event
/// type once, from the file that owns it, and skips exactly the events reported.
/// </summary>
public sealed partial class CrossFileAgreementTests : IDisposable
{
    // In path order: a.yaml owns watchlist.add and bulk.remove_all; b.yaml repeats watchlist.add (TEL0004) and its
    // bulk_remove.all gives the C# name BulkRemoveAll again (TEL0003); c.yaml repeats a metric of a.yaml (TEL0004) and
    // defines chart.zoom, which nobody else does.
    private static readonly (string File, string Yaml)[] Files =
    {
        ("b.yaml", "feature: watchlist\nevents:\n  add: { description: Added again. }\n  remove: { description: Removed. }\n"),
        ("a.yaml", "feature: alpha\nevents:\n  watchlist.add: { description: Added. }\n  bulk.remove_all: { description: All removed. }\nmetrics:\n  orders.placed: { kind: counter }\n"),
        ("c.yaml", "feature: chart\nevents:\n  zoom: { description: Zoomed. }\n  bulk_remove.all: { description: Same C# name. }\nmetrics:\n  orders.placed: { kind: counter }\n"),
    };

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telemetry-crossfile-" + Guid.NewGuid().ToString("N"));

    public CrossFileAgreementTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var (file, yaml) in Files) File.WriteAllText(Path.Combine(_folder, file), yaml);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Generator_analyzers_and_tool_agree_on_names_claimed_in_two_files()
    {
        var expected = new[]
        {
            "TEL0003 c.yaml:4 bulk_remove.all",
            "TEL0004 b.yaml:3 watchlist.add",
            "TEL0004 c.yaml:6 orders.placed",
        };

        var analyzers = Analyzers();
        var tool = Lint();
        Assert.Equal(expected, analyzers);
        Assert.Equal(expected, tool);

        // The generator skips exactly the events reported, and generates every other event's type once.
        var generated = Generated();
        var reportedEvents = expected.Select(e => e.Split(' ')).Where(p => p[2] != "orders.placed").Select(p => p[1].Split(':')[0] + " " + GeneratedNames.EventType(p[2])).ToList();
        var all = Files.SelectMany(f => CatalogParser.Parse(f.File, f.Yaml).Events.Select(e => f.File + " " + GeneratedNames.EventType(e.Name))).ToList();
        Assert.Equal(all.Except(reportedEvents).OrderBy(x => x, StringComparer.Ordinal), generated.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal(generated.Count, generated.Select(g => g.Split(' ')[1]).Distinct().Count());
    }

    private List<string> Analyzers()
    {
        var texts = Files.Select(f => (AdditionalText)new TestAdditionalText(Path.Combine(_folder, f.File), f.Yaml)).ToImmutableArray();
        var compilation = CSharpCompilation.Create("Consumer", new[] { CSharpSyntaxTree.ParseText("class Anchor { }") });
        var options = new AnalyzerOptions(texts, new CatalogOptions(texts.Select(t => t.Path)));
        var diagnostics = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new CatalogDiagnosticsAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => Row(d.Id, Path.GetFileName(d.Location.GetLineSpan().Path), d.Location.GetLineSpan().StartLinePosition.Line + 1, d.GetMessage()))
            .OrderBy(r => r, StringComparer.Ordinal)
            .ToList();
    }

    private List<string> Lint()
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = CatalogTool.Run(new[] { "lint", "." }, new ToolContext(output, error, _folder, Color: false));
        Assert.Equal(1, code);
        return LintLine().Matches(output.ToString())
            .Select(m => Row(m.Groups["id"].Value, Path.GetFileName(m.Groups["path"].Value), int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["message"].Value))
            .OrderBy(r => r, StringComparer.Ordinal)
            .ToList();
    }

    private List<string> Generated()
    {
        var texts = Files.Select(f => (AdditionalText)new TestAdditionalText(Path.Combine(_folder, f.File), f.Yaml)).ToImmutableArray();
        var compilation = CSharpCompilation.Create("Consumer", new[] { CSharpSyntaxTree.ParseText("class Anchor { }") });
        var driver = CSharpGeneratorDriver.Create(new[] { new CatalogGenerator().AsSourceGenerator() }, texts, optionsProvider: new CatalogOptions(texts.Select(t => t.Path)));
        var result = driver.RunGenerators(compilation).GetRunResult();
        var byFeature = Files.ToDictionary(f => Naming.Pascal(CatalogParser.Parse(f.File, f.Yaml).Feature!) + ".g.cs", f => f.File, StringComparer.Ordinal);
        return result.GeneratedTrees
            .Where(t => byFeature.ContainsKey(Path.GetFileName(t.FilePath)))
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<StructDeclarationSyntax>()
                .Where(r => r.BaseList?.ToString().Contains("ITelemetryEvent", StringComparison.Ordinal) == true)
                .Select(r => byFeature[Path.GetFileName(t.FilePath)] + " " + r.Identifier.Text))
            .ToList();
    }

    // The event or metric a message names first: the row says who reported what, where.
    private static string Row(string id, string file, int line, string message) =>
        $"{id} {file}:{line} {QuotedName().Match(message).Groups[1].Value}";

    [GeneratedRegex(@"^(?<path>[^\n(]+)\((?<line>\d+),\d+\): error (?<id>TEL\d{4}): (?<message>[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex LintLine();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();

    /// <summary>What MSBuild tells the compiler of the catalog files: each is marked <c>TelemetryCatalog=true</c>.</summary>
    private sealed class CatalogOptions(IEnumerable<string> catalogs) : AnalyzerConfigOptionsProvider
    {
        private readonly HashSet<string> _catalogs = new(catalogs, StringComparer.Ordinal);

        public override AnalyzerConfigOptions GlobalOptions => Options.None;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.None;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _catalogs.Contains(textFile.Path) ? Options.Catalog : Options.None;

        private sealed class Options(string? catalog) : AnalyzerConfigOptions
        {
            public static readonly Options None = new(null);
            public static readonly Options Catalog = new("true");

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            {
                value = key == CatalogFiles.CatalogMetadataKey ? catalog : null;
                return value is not null;
            }
        }
    }
}
