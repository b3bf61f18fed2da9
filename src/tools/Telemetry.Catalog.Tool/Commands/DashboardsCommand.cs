using System.CommandLine;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Monitoring;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary><c>dashboards</c>: the Grafana dashboard and the Prometheus alert rules over the pipeline's metrics.</summary>
internal static class DashboardsCommand
{
    public const string DefaultOut = "docs/monitoring";

    public static Command Create(ToolContext context)
    {
        var defaults = MonitoringSettings.Default;
        var output = CommonOptions.Out(DefaultOut, "the dashboard and alert rules");
        var check = CommonOptions.Check("the files");
        var price = new Option<decimal>("--price")
        {
            Description = $"Dollars per event, for the cost panels and the cost alert. Default: {defaults.PricePerEvent}",
            DefaultValueFactory = _ => defaults.PricePerEvent,
            HelpName = "dollars",
        };
        var budget = new Option<decimal>("--monthly-budget")
        {
            Description = $"Projected monthly cost above which the info alert fires. Default: {defaults.MonthlyBudget}",
            DefaultValueFactory = _ => defaults.MonthlyBudget,
            HelpName = "dollars",
        };
        price.AtLeastZero();
        budget.AtLeastZero();
        var command = new Command("dashboards",
            $"Write {GrafanaDashboard.FileName} (client SDK, ingest server and cost panels) and {PrometheusAlerts.FileName} " +
            "(drop rate, forwarding, latency, cost and client-error alerts) for the pipeline's metrics. Needs no catalog.")
        {
            output, check, price, budget,
        };
        command.SetAction(parse =>
        {
            var settings = new MonitoringSettings(parse.GetValue(price), parse.GetValue(budget));
            var files = new[]
            {
                new GeneratedFile(GrafanaDashboard.FileName, GrafanaDashboard.Write(settings)),
                new GeneratedFile(PrometheusAlerts.FileName, PrometheusAlerts.Write(settings)),
            };
            return GeneratedFolder.WriteOrCheck(context, parse.GetValue(output)!, files, stale: null, parse.GetValue(check), "dashboards");
        });
        return command;
    }
}
