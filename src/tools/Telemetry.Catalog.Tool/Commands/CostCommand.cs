using System.CommandLine;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Cost;
using Telemetry.Catalog.Tool.Loading;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary><c>cost</c>: events and dollars per month per event and in total, raw vs with the catalog's sampling and aggregation.</summary>
internal static class CostCommand
{
    public static Command Create(ToolContext context)
    {
        var defaults = CostScenario.Default;
        var paths = CommonOptions.Paths();
        var users = new Option<int>("--users") { Description = $"Active users. Default: {defaults.Users}", DefaultValueFactory = _ => defaults.Users, HelpName = "n" };
        var hours = new Option<decimal>("--hours-per-day") { Description = $"Active hours per user and day. Default: {defaults.HoursPerDay}", DefaultValueFactory = _ => defaults.HoursPerDay, HelpName = "h" };
        var days = new Option<int>("--days") { Description = $"Days per month. Default: {defaults.Days}", DefaultValueFactory = _ => defaults.Days, HelpName = "n" };
        var rate = new Option<decimal>("--rate")
        {
            Description = $"Interactions per second of each frequency: high event while a user is active. Default: {defaults.HighFrequencyRate}",
            DefaultValueFactory = _ => defaults.HighFrequencyRate,
            HelpName = "per-second",
        };
        var normalRate = new Option<decimal>("--normal-rate")
        {
            Description = $"Interactions per hour of each other event while a user is active (an assumption of this tool). Default: {defaults.NormalRatePerHour}",
            DefaultValueFactory = _ => defaults.NormalRatePerHour,
            HelpName = "per-hour",
        };
        var price = new Option<decimal>("--price") { Description = $"Dollars per event. Default: {defaults.PricePerEvent}", DefaultValueFactory = _ => defaults.PricePerEvent, HelpName = "dollars" };
        var format = CommonOptions.Format("text", "json");
        var compare = new Option<string?>("--compare")
        {
            Description = "Compare with a published estimate: its figures recomputed from the catalog under its own scenario, " +
                "each marked agrees or DISAGREES with the reason. Known estimates: " + EstimateComparison.Crosshair + " (crosshair aggregation).",
            HelpName = "estimate",
        };
        compare.AcceptOnlyFromAmong(EstimateComparison.Crosshair);
        users.AtLeastZero();
        days.AtLeastZero();
        hours.Between(0m, 24m);
        rate.AtLeastZero();
        normalRate.AtLeastZero();
        price.AtLeastZero();

        var command = new Command("cost",
            "Estimate events and price per month for each event and in total: raw (every interaction sent) vs with the catalog's " +
            "sampling, local_only, full stream and aggregation. Defaults are the crosshair scenario; --compare checks a published estimate's figures.")
        {
            paths, users, hours, days, rate, normalRate, price, format, compare,
        };
        command.SetAction(parse =>
        {
            var catalog = CatalogLoader.Load(context, parse.GetValue(paths));
            if (!CatalogGate.Passes(context, catalog, "cost")) return ExitCodes.Failed;
            var scenario = new CostScenario(parse.GetValue(users), parse.GetValue(hours), parse.GetValue(days), parse.GetValue(rate),
                parse.GetValue(normalRate), parse.GetValue(price));
            var estimate = CostModel.Estimate(catalog.Events, scenario);
            var subject = EstimateComparison.Subject(catalog.Events);
            var findings = parse.GetValue(compare) is null ? null : subject is null ? System.Array.Empty<EstimateFinding>() : EstimateComparison.Run(subject);
            context.Out.Write(parse.GetValue(format) == "json"
                ? CostReport.Json(estimate, subject, findings)
                : CostReport.Text(estimate, subject, findings));
            return ExitCodes.Ok;
        });
        return command;
    }
}
