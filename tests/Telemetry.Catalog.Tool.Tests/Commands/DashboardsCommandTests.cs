using System.Text.Json;
using Telemetry.Catalog.Tool.Monitoring;
using Telemetry.Catalog.Tool.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Telemetry.Catalog.Tool.Tests.Commands;

public sealed class DashboardsCommandTests
{
    [Fact]
    public void Dashboards_match_golden_files()
    {
        using var temp = new TempFolder();

        var run = ToolRunner.Run("dashboards", "--out", temp.Combine("monitoring"));

        Assert.Equal(0, run.ExitCode);
        Golden.MatchFolder("monitoring", temp.Combine("monitoring"));
    }

    [Fact]
    public void Committed_monitoring_files_are_up_to_date()
    {
        var check = ToolRunner.RunIn(RepoPaths.Root, "dashboards", "--check");

        Assert.True(check.ExitCode == 0, check + "\nRun 'dotnet run --project src/tools/Telemetry.Catalog.Tool -- dashboards' and commit docs/monitoring.");
    }

    [Fact]
    public void Alert_rules_are_yaml_with_the_pipeline_alerts()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(PrometheusAlerts.Write(MonitoringSettings.Default)));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var group = (YamlMappingNode)((YamlSequenceNode)root["groups"])[0];
        var rules = ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>().ToList();
        string Field(YamlMappingNode rule, params string[] path) =>
            path.Aggregate((YamlNode)rule, (node, key) => ((YamlMappingNode)node)[key]).ToString();

        var bySeverity = rules.GroupBy(r => Field(r, "labels", "severity")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, bySeverity["critical"]);
        Assert.Equal(7, bySeverity["warning"]);
        Assert.Equal(2, bySeverity["info"]);
        var critical = rules.Single(r => Field(r, "alert") == "TelemetryIngestDropRateCritical");
        Assert.Equal("5m", Field(critical, "for"));
        Assert.Equal("sum(rate(telemetry_ingest_events_dropped_total[5m])) / sum(rate(telemetry_ingest_events_incoming_total[5m])) > 0.1", Field(critical, "expr"));
        Assert.EndsWith("> 0.05", Field(rules.Single(r => Field(r, "alert") == "TelemetryIngestDropRateHigh"), "expr"));
        Assert.EndsWith("> 50", Field(rules.Single(r => Field(r, "alert") == "TelemetryProjectedCostOverBudget"), "expr"));
        Assert.EndsWith("< 6", Field(rules.Single(r => Field(r, "alert") == "TelemetryIngestTrafficLow"), "expr"));
        Assert.Equal("histogram_quantile(0.95, sum by (le) (rate(telemetry_ingest_request_duration_seconds_bucket[5m]))) > 0.15",
            Field(rules.Single(r => Field(r, "alert") == "TelemetryIngestLatencyHigh"), "expr"));
        Assert.Equal("sum(rate(telemetry_ingest_request_duration_seconds_count{status=~\"5..\"}[5m])) > 0",
            Field(rules.Single(r => Field(r, "alert") == "TelemetryIngestServerErrors"), "expr"));
        Assert.Equal("sum by (change) (increase(telemetry_ingest_error_issues_new_total[10m])) > 0", Field(rules.Single(r => Field(r, "alert") == "TelemetryErrorNewIssue"), "expr"));
        Assert.StartsWith("sum(rate(telemetry_ingest_errors_captured_total[5m])) > 3 * sum(rate(telemetry_ingest_errors_captured_total[1d]))",
            Field(rules.Single(r => Field(r, "alert") == "TelemetryErrorRateSpike"), "expr"));
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(Field(r, "annotations", "summary"))));
    }

    [Fact]
    public void Dashboard_queries_every_pipeline_metric()
    {
        using var doc = JsonDocument.Parse(GrafanaDashboard.Write(MonitoringSettings.Default));
        var exprs = doc.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();

        foreach (var metric in MetricNames.All)
        {
            Assert.Contains(exprs, e => e.Contains(metric.Prometheus, StringComparison.Ordinal));
        }

        Assert.Contains(exprs, e => e.Contains("histogram_quantile(0.99, sum by (le) (rate(telemetry_ingest_request_duration_seconds_bucket[5m])))", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("sum by (reason) (rate(telemetry_client_events_dropped_total[5m]))", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("sum by (sink, reason) (rate(telemetry_client_events_resent_total[5m]))", StringComparison.Ordinal));
        Assert.Contains(exprs, e => e.Contains("$price_per_event", StringComparison.Ordinal));
    }

    [Fact]
    public void Price_and_budget_options_reach_the_files()
    {
        using var temp = new TempFolder();

        ToolRunner.Run("dashboards", "--out", temp.Path, "--price", "0.0002", "--monthly-budget", "75");

        Assert.Contains("* 86400 * 30 * 0.0002 > 75", File.ReadAllText(temp.Combine(PrometheusAlerts.FileName)));
        Assert.Contains("\"query\": \"0.0002\"", File.ReadAllText(temp.Combine(GrafanaDashboard.FileName)));
    }
}
