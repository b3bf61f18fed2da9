using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Output;
using Telemetry.Catalog.Tool.Shared;

namespace Telemetry.Catalog.Tool.Cost;

/// <summary>Prints a <see cref="CostEstimate"/> (and its comparison with a published estimate, when asked) as a table or as JSON.</summary>
internal static class CostReport
{
    public static string Text(CostEstimate estimate, EventSpec? subject, IReadOnlyList<EstimateFinding>? findings)
    {
        var s = estimate.Scenario;
        var sb = new StringBuilder();
        sb.Append($"Cost per month: {Scenario(s)}.\n\n");
        var table = new TextTable(("event", false), ("frequency", false), ("raw events/month", true), ("raw $/month", true),
            ("sent events/month", true), ("sent $/month", true), ("how", false));
        foreach (var c in estimate.Events)
        {
            table.Add(c.Event.Name, Frequency(c.Event), CostFormat.Events(c.RawEvents), CostFormat.Money(CostModel.Price(c.RawEvents, s)),
                CostFormat.Events(c.SentEvents), CostFormat.Money(CostModel.Price(c.SentEvents, s)), c.How);
        }

        table.Add("total", string.Empty, CostFormat.Events(estimate.RawEvents), CostFormat.Money(estimate.RawCost),
            CostFormat.Events(estimate.SentEvents), CostFormat.Money(estimate.SentCost), string.Empty);
        sb.Append(table);
        sb.Append($"\nSaving: {CostFormat.Percent(estimate.Saving)} of events and cost " +
            $"({CostFormat.Money(estimate.RawCost)} raw vs {CostFormat.Money(estimate.SentCost)} sent per month).\n");
        sb.Append("Raw: every interaction sent as its own event. Sent: with the catalog's sampling, local_only, full stream and aggregation. " +
            "Planned events are listed but not in the totals; metrics are not billed per event and are left out.\n");

        if (findings is not null)
        {
            sb.Append('\n');
            sb.Append($"Comparison with the published crosshair estimate ({subject?.Name ?? "no subject"} under its scenario: {Scenario(CostScenario.Default, includeNormal: false)}):\n");
            if (findings.Count == 0)
            {
                sb.Append("- nothing to compare: the catalog has no aggregated frequency: high event like the crosshair.\n");
            }

            foreach (var f in findings)
            {
                sb.Append($"- {f.Claim}: {(f.Agrees ? "agrees" : "DISAGREES")}\n");
                sb.Append($"    published: {f.Published}\n");
                sb.Append($"    computed:  {f.Computed}\n");
                sb.Append($"    why:       {f.Explanation}\n");
            }
        }

        return sb.ToString();
    }

    public static string Json(CostEstimate estimate, EventSpec? subject, IReadOnlyList<EstimateFinding>? findings) => JsonOutput.Write(w =>
    {
        var s = estimate.Scenario;
        w.WriteStartObject();
        w.WriteStartObject("scenario");
        w.WriteNumber("users", s.Users);
        w.WriteNumber("hours_per_day", CostFormat.Json(s.HoursPerDay, 6));
        w.WriteNumber("days", s.Days);
        w.WriteNumber("high_frequency_rate_per_second", CostFormat.Json(s.HighFrequencyRate, 6));
        w.WriteNumber("normal_rate_per_hour", CostFormat.Json(s.NormalRatePerHour, 6));
        w.WriteNumber("price_per_event", CostFormat.Json(s.PricePerEvent, 10));
        w.WriteEndObject();
        w.WriteStartArray("events");
        foreach (var c in estimate.Events)
        {
            w.WriteStartObject();
            w.WriteString("event", c.Event.Name);
            w.WriteString("frequency", Frequency(c.Event));
            w.WriteString("status", CatalogWords.Status(c.Event.Status));
            w.WriteNumber("wire_sampling", CostFormat.Json((decimal)EventWire.Sampling(c.Event), 6));
            w.WriteNumber("raw_events_per_month", CostFormat.Json(c.RawEvents, 2));
            w.WriteNumber("raw_cost_per_month", CostFormat.Json(CostModel.Price(c.RawEvents, s), 2));
            w.WriteNumber("sent_events_per_month", CostFormat.Json(c.SentEvents, 2));
            w.WriteNumber("sent_cost_per_month", CostFormat.Json(CostModel.Price(c.SentEvents, s), 2));
            w.WriteBoolean("in_totals", c.Counted);
            w.WriteString("how", c.How);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("total");
        w.WriteNumber("raw_events_per_month", CostFormat.Json(estimate.RawEvents, 2));
        w.WriteNumber("raw_cost_per_month", CostFormat.Json(estimate.RawCost, 2));
        w.WriteNumber("sent_events_per_month", CostFormat.Json(estimate.SentEvents, 2));
        w.WriteNumber("sent_cost_per_month", CostFormat.Json(estimate.SentCost, 2));
        w.WriteNumber("saving_percent", CostFormat.Json(estimate.Saving * 100m, 3));
        w.WriteEndObject();
        if (findings is not null)
        {
            w.WriteStartObject("comparison");
            w.WriteString("estimate", EstimateComparison.Crosshair);
            if (subject is null) w.WriteNull("event");
            else w.WriteString("event", subject.Name);
            w.WriteStartArray("findings");
            foreach (var f in findings)
            {
                w.WriteStartObject();
                w.WriteString("claim", f.Claim);
                w.WriteString("published", f.Published);
                w.WriteString("computed", f.Computed);
                w.WriteBoolean("agrees", f.Agrees);
                w.WriteString("explanation", f.Explanation);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    private static string Frequency(EventSpec e) => e.IsAggregate ? "aggregate" : CatalogWords.Frequency(e.Frequency);

    private static string Scenario(CostScenario s, bool includeNormal = true)
    {
        string N(decimal v) => v.ToString("#,0.######", CultureInfo.InvariantCulture);
        var text = $"{N(s.Users)} users, {N(s.HoursPerDay)} h/day, {s.Days} days; frequency: high events at {N(s.HighFrequencyRate)}/s";
        if (includeNormal) text += $", other events at {N(s.NormalRatePerHour)}/h each";
        return text + $"; ${N(s.PricePerEvent)} per event";
    }
}
