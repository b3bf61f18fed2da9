using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers.CSharp.Tests.Docs;

/// <summary>
/// Every diagnostic the analyzers can report (and TEL4005, which the compiler reports for planned events) has a help
/// link to its docs page, a page with the four sections users look for, a row in the index, and a release-tracking entry.
/// </summary>
public class DiagnosticDocumentationTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Ids()
    {
        var ids = new TheoryData<string>();
        foreach (var id in IdList()) ids.Add(id);
        return ids;
    }

    private static List<string> IdList() =>
        AllDescriptors().Select(d => d.Id).Append(DiagnosticIds.PlannedEvent).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToList();

    [Fact]
    public void Every_id_of_the_registry_is_covered()
    {
        var documented = IdList();
        var registry = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(DiagnosticIds.HelpLinkBase))
            .Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(registry.OrderBy(i => i, StringComparer.Ordinal), documented);
    }

    [Fact]
    public void The_diagnostic_table_defines_every_id_of_the_registry_once()
    {
        var registry = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(DiagnosticIds.HelpLinkBase))
            .Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(registry.OrderBy(i => i, StringComparer.Ordinal), DiagnosticTable.All.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_descriptor_is_its_row_of_the_diagnostic_table()
    {
        Assert.All(AllDescriptors(), d =>
        {
            var row = DiagnosticTable.Get(d.Id);
            Assert.Equal(row.Title, d.Title.ToString());
            Assert.Equal(row.Category, d.Category);
            Assert.Equal(Descriptors.ToRoslyn(row.DefaultSeverity), d.DefaultSeverity);
            Assert.Equal(row.MessageFormat, d.MessageFormat.ToString());
        });
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_docs_index_row_and_page_title_match_the_diagnostic_table(string id)
    {
        var row = DiagnosticTable.Get(id);
        var index = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", "README.md"));
        Assert.Contains($"| [{id}]({id}.md) | {row.DefaultSeverity} | {row.Category} | {row.Title} |", index, StringComparison.Ordinal);
        var page = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", id + ".md"));
        Assert.StartsWith($"# {id}: {row.Title}\n", page.Replace("\r\n", "\n"), StringComparison.Ordinal);
        Assert.Contains($"| Severity | {row.DefaultSeverity}", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_descriptor_links_to_its_page()
    {
        Assert.All(AllDescriptors(), d => Assert.Equal(DiagnosticIds.HelpLink(d.Id), d.HelpLinkUri));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_has_a_page_with_bad_and_good_examples_a_fix_and_suppression(string id)
    {
        var page = Path.Combine(Root, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), page + " is missing");
        var text = File.ReadAllText(page);
        Assert.StartsWith("# " + id + ":", text, StringComparison.Ordinal);
        foreach (var section in new[] { "## Bad", "## Good", "## How to fix", "## How to suppress" }) Assert.Contains(section, text, StringComparison.Ordinal);
        Assert.Contains("dotnet_diagnostic." + id + ".severity", text, StringComparison.Ordinal);
        Assert.Contains("<NoWarn>", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_is_in_the_index_and_in_release_tracking(string id)
    {
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", "README.md")), StringComparison.Ordinal);
        var releases = File.ReadAllText(Path.Combine(Root, "src", "build", "Telemetry.Analyzers", "AnalyzerReleases.Shipped.md")) +
                       File.ReadAllText(Path.Combine(Root, "src", "build", "Telemetry.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(id, releases, StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryStrict_escalates_every_warning_and_no_info()
    {
        // WarningsAsErrors turns a listed id into an error whatever its severity: listing an info (TEL4004) would fail
        // every strict project with an event not yet tracked. Strict escalates warnings only.
        var targets = File.ReadAllText(Path.Combine(Root, "src", "build", "Telemetry.Generators.Package", "buildTransitive", "Telemetry.Generators.targets"));
        var start = targets.IndexOf("<WarningsAsErrors>", StringComparison.Ordinal);
        var strict = targets.Substring(start, targets.IndexOf("</WarningsAsErrors>", start, StringComparison.Ordinal) - start);
        var listed = strict.Split(';', '>').Where(t => t.StartsWith("TEL", StringComparison.Ordinal)).ToHashSet();
        var warnings = AllDescriptors().Where(d => d.DefaultSeverity == DiagnosticSeverity.Warning).Select(d => d.Id).ToHashSet();
        Assert.Equal(warnings.OrderBy(i => i), listed.OrderBy(i => i));
        Assert.DoesNotContain("TEL4004", listed);
    }

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors() =>
        typeof(CatalogDiagnosticsAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .GroupBy(d => d.Id)
            .Select(g => g.First());

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Telemetry.Generators.sln not found above " + AppContext.BaseDirectory);
    }
}
