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
        var seed = CostScenario.Seed;
        var paths = CommonOptions.Paths();
        var users = new Option<int>("--users") { Description = $"Active users. Default: {seed.Users}", DefaultValueFactory = _ => seed.Users, HelpName = "n" };
        var hours = new Option<decimal>("--hours-per-day") { Description = $"Active hours per user and day. Default: {seed.HoursPerDay}", DefaultValueFactory = _ => seed.HoursPerDay, HelpName = "h" };
        var days = new Option<int>("--days") { Description = $"Days per month. Default: {seed.Days}", DefaultValueFactory = _ => seed.Days, HelpName = "n" };
        var rate = new Option<decimal>("--rate")
        {
            Description = $"Interactions per second of each frequency: high event while a user is active. Default: {seed.HighFrequencyRate}",
            DefaultValueFactory = _ => seed.HighFrequencyRate,
            HelpName = "per-second",
        };
        var normalRate = new Option<decimal>("--normal-rate")
        {
            Description = $"Interactions per hour of each other event while a user is active (an assumption; the seeds give none). Default: {seed.NormalRatePerHour}",
            DefaultValueFactory = _ => seed.NormalRatePerHour,
            HelpName = "per-hour",
        };
        var price = new Option<decimal>("--price") { Description = $"Dollars per event. Default: {seed.PricePerEvent}", DefaultValueFactory = _ => seed.PricePerEvent, HelpName = "dollars" };
        var format = CommonOptions.Format("text", "json");
        var explain = new Option<bool>("--explain")
        {
            Description = "Always add the 'Seed 000 check' (seed 000's cost figures recomputed); without it the check appears only with the seed's scenario (the defaults).",
        };
        users.AtLeastZero();
        days.AtLeastZero();
        hours.Between(0m, 24m);
        rate.AtLeastZero();
        normalRate.AtLeastZero();
        price.AtLeastZero();

        var command = new Command("cost",
            "Estimate events and price per month for each event and in total: raw (every interaction sent) vs with the catalog's " +
            "sampling, local_only, full stream and aggregation. Defaults are seed 000's scenario, where a 'Seed 000 check' recomputes the seed's figures.")
        {
            paths, users, hours, days, rate, normalRate, price, format, explain,
        };
        command.SetAction(parse =>
        {
            var catalog = CatalogLoader.Load(context, parse.GetValue(paths));
            if (!CatalogGate.Passes(context, catalog, "cost")) return ExitCodes.Failed;
            var scenario = new CostScenario(parse.GetValue(users), parse.GetValue(hours), parse.GetValue(days), parse.GetValue(rate),
                parse.GetValue(normalRate), parse.GetValue(price));
            var estimate = CostModel.Estimate(catalog.Events, scenario);
            var subject = SeedCheck.Subject(catalog.Events);
            var showCheck = parse.GetValue(explain) || (scenario.IsSeed && subject is not null);
            var findings = showCheck ? (subject is null ? System.Array.Empty<SeedFinding>() : SeedCheck.Run(subject)) : null;
            context.Out.Write(parse.GetValue(format) == "json"
                ? CostReport.Json(estimate, subject, findings)
                : CostReport.Text(estimate, subject, findings));
            return ExitCodes.Ok;
        });
        return command;
    }
}
