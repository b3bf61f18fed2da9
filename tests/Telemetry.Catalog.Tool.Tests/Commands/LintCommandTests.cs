using System.Text.Json;
using Telemetry.Catalog.Tool.Tests.TestSupport;

namespace Telemetry.Catalog.Tool.Tests.Commands;

public sealed class LintCommandTests
{
    [Theory]
    [InlineData("valid", 0)]
    [InlineData("warnings", 0)]
    [InlineData("errors", 1)]
    [InlineData("broken", 1)]
    public void Lint_prints_msbuild_lines_and_exits_by_severity(string fixture, int exitCode)
    {
        var run = ToolRunner.Run("lint", $"Fixtures/{fixture}");

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Golden.Match($"lint/{fixture}.txt", run.Out);
    }

    [Fact]
    public void Lint_of_broken_yaml_reports_TEL0001_at_its_line_and_column()
    {
        var run = ToolRunner.Run("lint", "Fixtures/broken");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Fixtures/broken/broken.yaml(5,18): error TEL0001: ", run.Out);
    }

    [Fact]
    public void Lint_reports_cross_file_duplicates_with_TEL0004()
    {
        var run = ToolRunner.Run("lint", "Fixtures/errors");

        Assert.Contains("Fixtures/errors/orders.yaml(11,3): error TEL0004: Event 'chart.zoom' is defined twice (first at Fixtures/errors/chart.yaml(9,3))", run.Out);
    }

    [Fact]
    public void Warnings_as_errors_fails_on_a_warning_and_prints_it_as_an_error()
    {
        var run = ToolRunner.Run("lint", "Fixtures/warnings", "--warnings-as-errors");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Fixtures/warnings/profile.yaml(7,7): error TEL1001: ", run.Out);
        Assert.EndsWith("1 file, 1 event, 0 metrics: 1 error, 0 warnings\n", run.Out);
    }

    [Fact]
    public void Lint_accepts_single_files_and_several_paths()
    {
        var run = ToolRunner.Run("lint", "Fixtures/valid/chart.yaml", "Fixtures/warnings");

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("2 files, 4 events, 0 metrics: 0 errors, 1 warning\n", run.Out);
    }

    [Fact]
    public void Lint_defaults_to_the_catalog_folder_of_the_working_directory()
    {
        var run = ToolRunner.RunIn(RepoPaths.Root, "lint");

        var shipped = Catalogs.Shipped();
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{shipped.Files.Count} files, {shipped.Events.Count()} events, {shipped.Files.Sum(f => f.Metrics.Count)} metrics: 0 errors, 0 warnings\n", run.Out);
    }

    [Fact]
    public void Sarif_output_matches_golden()
    {
        var run = ToolRunner.Run("lint", "Fixtures/errors", "--format", "sarif");

        Assert.Equal(1, run.ExitCode);
        Golden.Match("lint/errors.sarif.json", run.Out);
    }

    [Fact]
    public void Sarif_has_the_2_1_0_shape_with_rules_help_links_and_regions()
    {
        var run = ToolRunner.Run("lint", "Fixtures/errors", "Fixtures/warnings", "--format", "sarif");
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;

        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        var sarifRun = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = sarifRun.GetProperty("tool").GetProperty("driver");
        Assert.Equal("telemetry-catalog", driver.GetProperty("name").GetString());
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        foreach (var rule in rules)
        {
            var id = rule.GetProperty("id").GetString()!;
            Assert.Matches("^TEL[0-9]{4}$", id);
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
            Assert.Equal($"https://github.com/telemetry-generators/telemetry-generators/blob/main/docs/diagnostics/{id}.md", rule.GetProperty("helpUri").GetString());
        }

        var results = sarifRun.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(6, results.Count);
        foreach (var result in results)
        {
            var ruleId = result.GetProperty("ruleId").GetString();
            Assert.Equal(ruleId, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            Assert.Contains(result.GetProperty("level").GetString(), new[] { "error", "warning" });
            Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetProperty("text").GetString()));
            var location = Assert.Single(result.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            var uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
            Assert.StartsWith("Fixtures/", uri);
            Assert.False(Path.IsPathRooted(uri));
            var region = location.GetProperty("region");
            var startLine = region.GetProperty("startLine").GetInt32();
            var startColumn = region.GetProperty("startColumn").GetInt32();
            var endLine = region.GetProperty("endLine").GetInt32();
            var endColumn = region.GetProperty("endColumn").GetInt32();
            Assert.True(startLine >= 1 && startColumn >= 1);
            Assert.True(endLine > startLine || (endLine == startLine && endColumn >= startColumn));
        }

        var warning = Assert.Single(results, r => r.GetProperty("level").GetString() == "warning");
        Assert.Equal("TEL1001", warning.GetProperty("ruleId").GetString());
    }

    [Fact]
    public void Sarif_positions_are_the_msbuild_positions()
    {
        var text = ToolRunner.Run("lint", "Fixtures/errors").Out;
        using var doc = JsonDocument.Parse(ToolRunner.Run("lint", "Fixtures/errors", "--format", "sarif").Out);

        foreach (var result in doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray())
        {
            var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            var region = location.GetProperty("region");
            var line = $"{location.GetProperty("artifactLocation").GetProperty("uri").GetString()}({region.GetProperty("startLine").GetInt32()},{region.GetProperty("startColumn").GetInt32()}): error {result.GetProperty("ruleId").GetString()}: ";
            Assert.Contains(line, text);
        }
    }

    [Fact]
    public void Output_option_writes_the_report_to_a_file()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("out", "lint.sarif");

        var run = ToolRunner.Run("lint", "Fixtures/errors", "--format", "sarif", "--output", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("5 errors, 0 warnings; report written to ", run.Out);
        Assert.Equal(ToolRunner.Run("lint", "Fixtures/errors", "--format", "sarif").Out, File.ReadAllText(file));
    }
}
