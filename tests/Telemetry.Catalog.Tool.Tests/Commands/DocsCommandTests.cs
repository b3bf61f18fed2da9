using Telemetry.Catalog.Model;
using Telemetry.Catalog.Schema;
using Telemetry.Catalog.Tool.Docs;
using Telemetry.Catalog.Tool.Tests.TestSupport;

namespace Telemetry.Catalog.Tool.Tests.Commands;

public sealed class DocsCommandTests
{
    [Fact]
    public void Docs_of_the_fixture_catalog_match_golden_pages()
    {
        using var temp = new TempFolder();

        var run = ToolRunner.Run("docs", "Fixtures/valid", "--out", temp.Combine("docs"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Golden.MatchFolder("docs-valid", temp.Combine("docs"));
    }

    [Fact]
    public void Committed_event_catalog_docs_are_up_to_date()
    {
        using var temp = new TempFolder();

        var regenerate = ToolRunner.RunIn(RepoPaths.Root, "docs", "--out", temp.Combine("docs"));
        var check = ToolRunner.RunIn(RepoPaths.Root, "docs", "--check");

        Assert.Equal(0, regenerate.ExitCode);
        var committed = Path.Combine(RepoPaths.Root, "docs", "event-catalog");
        foreach (var file in Directory.GetFiles(temp.Combine("docs")))
        {
            var name = Path.GetFileName(file);
            var path = Path.Combine(committed, name);
            Assert.True(File.Exists(path), $"docs/event-catalog/{name} is missing; run 'dotnet run --project src/tools/Telemetry.Catalog.Tool -- docs'");
            Assert.True(File.ReadAllText(file) == File.ReadAllText(path).Replace("\r\n", "\n"),
                $"docs/event-catalog/{name} is out of date; run 'dotnet run --project src/tools/Telemetry.Catalog.Tool -- docs'");
        }

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal($"docs/event-catalog: up to date ({Directory.GetFiles(temp.Combine("docs")).Length} files)\n", check.Out);
    }

    [Fact]
    public void Shipped_docs_have_a_page_per_feature_an_index_and_a_metrics_page()
    {
        using var temp = new TempFolder();

        ToolRunner.RunIn(RepoPaths.Root, "docs", "--out", temp.Combine("docs"));

        var names = Directory.GetFiles(temp.Combine("docs")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
        var features = CatalogDocs.Features(Catalogs.Shipped()).Select(f => f.Feature + ".md");
        Assert.Equal(features.Append("README.md").Append("metrics.md").Append("definitions.md").OrderBy(n => n, StringComparer.Ordinal), names);
        var definitions = File.ReadAllText(temp.Combine("docs", "definitions.md"));
        Assert.Contains("| <a id=\"timeframe\"></a>`timeframe` | enum | one of `1m`, `5m`, `15m`, `1h`, `4h`, `1d` |", definitions);
        Assert.Contains("[`chart.zoom`](chart.md#chartzoom)", definitions);
        Assert.Contains("chart.md", names);
        var chart = File.ReadAllText(temp.Combine("docs", "chart.md"));
        Assert.Contains("## `chart.crosshair_agg`", chart);
        Assert.Contains("| Aggregation | into [`chart.crosshair_agg`](#chartcrosshair_agg) every 5 s (5000 ms), one event per `symbol`", chart);
        var replay = File.ReadAllText(temp.Combine("docs", "replay.md"));
        Assert.Contains("| `note` | string | no | at most 2000 characters | free_text: length only, sent as `note_length` (integer) |", replay);
        Assert.Contains("\"note_length\": 34", replay);
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("tests/Telemetry.Catalog.Tool.Tests/Fixtures/valid")]
    public void Every_example_payload_is_valid_against_its_event_schema(string folder)
    {
        var set = Catalogs.Load(Path.Combine(RepoPaths.Root, folder));
        Assert.DoesNotContain(set.AllDiagnostics, d => d.Severity == CatalogSeverity.Error);

        foreach (var e in set.Events)
        {
            var source = e.AggregatedFrom is { } from ? Catalogs.Event(set, from) : null;
            var payload = ExamplePayload.Write(e, source);
            var errors = SchemaValidator.Validate(EventJsonSchema.Write(e), payload);
            Assert.True(errors.Count == 0, $"{e.Name}: {string.Join("; ", errors)}\n{payload}");
        }
    }

    [Fact]
    public void The_pages_carry_each_example_payload()
    {
        using var temp = new TempFolder();
        ToolRunner.Run("docs", "Fixtures/valid", "--out", temp.Combine("docs"));
        var set = Catalogs.Load(RepoPaths.Fixture("valid"));
        var pages = string.Concat(Directory.GetFiles(temp.Combine("docs")).Select(File.ReadAllText));

        foreach (var e in set.Events.Where(e => e.Name != "chart.crosshair_move"))
        {
            var source = e.AggregatedFrom is { } from ? Catalogs.Event(set, from) : null;
            Assert.Contains("```json\n" + ExamplePayload.Write(e, source) + "```\n", pages);
        }
    }

    [Fact]
    public void A_second_run_writes_nothing_and_stale_generated_pages_are_removed()
    {
        using var temp = new TempFolder();
        var docs = temp.Combine("docs");
        Assert.Equal(0, ToolRunner.RunIn(temp.Path, "docs", RepoPaths.Fixture("valid"), "--out", "docs").ExitCode);
        File.WriteAllText(Path.Combine(docs, "old_feature.md"), CatalogDocs.Marker + " from catalog/old.yaml. -->\n# old\n");
        File.WriteAllText(Path.Combine(docs, "notes.md"), "# Hand-written notes stay.\n");

        var run = ToolRunner.RunIn(temp.Path, "docs", RepoPaths.Fixture("valid"), "--out", "docs");

        Assert.Equal("docs: 0 written, 4 unchanged, 1 stale removed\n", run.Out);
        Assert.False(File.Exists(Path.Combine(docs, "old_feature.md")));
        Assert.True(File.Exists(Path.Combine(docs, "notes.md")));
    }

    [Fact]
    public void Check_reports_missing_and_out_of_date_pages_and_exits_1()
    {
        using var temp = new TempFolder();
        ToolRunner.RunIn(temp.Path, "docs", RepoPaths.Fixture("valid"), "--out", "docs");
        File.AppendAllText(temp.Combine("docs", "chart.md"), "edited by hand\n");
        File.Delete(temp.Combine("docs", "metrics.md"));

        var run = ToolRunner.RunIn(temp.Path, "docs", RepoPaths.Fixture("valid"), "--out", "docs", "--check");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("docs/chart.md: out of date\ndocs/metrics.md: missing\ndocs is out of date; run 'telemetry-catalog docs' and commit the result.\n", run.Out);
    }

    [Fact]
    public void Docs_refuse_a_catalog_with_errors_and_write_nothing()
    {
        using var temp = new TempFolder();

        var run = ToolRunner.Run("docs", "Fixtures/errors", "--out", temp.Combine("docs"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Fixtures/errors/chart.yaml(4,3): error TEL2001: ", run.Error);
        Assert.EndsWith("telemetry-catalog docs: the catalog has errors; nothing was written. Run 'telemetry-catalog lint' for the full report.\n", run.Error);
        Assert.False(Directory.Exists(temp.Combine("docs")));
    }
}
