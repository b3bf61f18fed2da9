using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telemetry.Catalog.Cost;
using Telemetry.Catalog.Model;
using Telemetry.Ingest.Errors;
using Telemetry.Ingest.Forwarding;
using Telemetry.Ingest.Operations;
using static Telemetry.Ingest.Dashboard.Html;

namespace Telemetry.Ingest.Dashboard;

/// <summary>The dashboard's server-rendered views. Numbers that tests compare carry <c>data-*</c> attributes naming what they count.</summary>
internal static class DashboardPages
{
    private static readonly string[] Views = { "", "/coverage", "/validation", "/events", "/cost", "/heatmap", "/errors" };
    private static readonly string[] ViewNames = { "Overview", "Catalog coverage", "Validation", "Per event", "Cost", "Heatmap", "Errors" };
    private static readonly string[] StackColours = { "#2f81f7", "#cf222e", "#bf8700" };

    public static string Login(string root, AntiforgeryTokenSet tokens, string? error, bool secureContext)
    {
        var b = new StringBuilder();
        Head(b, root, "Sign in");
        b.Append("<main id=\"main\" tabindex=\"-1\"><div class=\"login\"><h1>Event health</h1>")
            .Append("<p class=\"note\">Sign in with the ingest server's admin key. Write keys do not open the dashboard.</p>");
        if (error is not null) b.Append("<p class=\"error\" role=\"alert\" id=\"login-error\">").Append(E(error)).Append("</p>");
        if (!secureContext) b.Append("<p class=\"error\">This address is neither HTTPS nor loopback: sign-in is refused here.</p>");
        b.Append("<form method=\"post\" action=\"").Append(E(root)).Append("/login\">");
        Token(b, tokens);
        b.Append("<label for=\"key\">Admin key</label><input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required autofocus")
            .Append(error is null ? "" : " aria-describedby=\"login-error\" aria-invalid=\"true\"").Append('>')
            .Append("<button class=\"primary\" type=\"submit\">Sign in</button></form></div></main></body></html>");
        return b.ToString();
    }

    public static async Task<string> OverviewAsync(PageContext p, CancellationToken ct)
    {
        var data = await p.Data.OverviewAsync(ct).ConfigureAwait(false);
        var b = Start(p, 0, "Overview");
        var last24 = data.Hours.Skip(Math.Max(0, data.Hours.Count - 24)).ToList();
        long Sum(IEnumerable<HourPoint> hs, Func<HourPoint, long> f) => hs.Sum(f);
        b.Append("<div data-live-url=\"").Append(E(p.Base + DashboardEndpoints.LiveUrl)).Append("\" data-live-ms=\"")
            .Append(((int)(Math.Max(0.5, p.Options.LiveRefreshSeconds) * 1000)).ToString(CultureInfo.InvariantCulture)).Append("\">");
        b.Append("<h2>Now <span class=\"muted\" id=\"live-status\" role=\"status\">(updates itself)</span></h2><div class=\"cards\">");
        foreach (var (key, label, value) in LiveCards(p.Http.RequestServices)) Card(b, label, value, key, "live-" + key.Replace('_', '-'));
        b.Append("</div></div>");

        b.Append("<h2>Last 24 hours and 7 days</h2>");
        b.Append("<table id=\"totals\"><caption>Events by outcome (accepted = newly stored; rejected = failed validation; duplicate = already stored)</caption>")
            .Append("<thead><tr><th scope=\"col\">period</th><th scope=\"col\" class=\"num\">accepted</th><th scope=\"col\" class=\"num\">rejected</th><th scope=\"col\" class=\"num\">duplicate</th><th scope=\"col\" class=\"num\">accepted per second</th></tr></thead><tbody>");
        foreach (var (name, hs, seconds) in new[] { ("24h", last24, 86_400.0), ("7d", data.Hours.ToList(), 604_800.0) })
        {
            var a = Sum(hs, h => h.Accepted);
            b.Append("<tr data-period=\"").Append(name).Append("\"><th scope=\"row\">").Append(name == "24h" ? "last 24 hours" : "last 7 days").Append("</th>")
                .Append("<td class=\"num\" data-metric=\"accepted\">").Append(N(a)).Append("</td>")
                .Append("<td class=\"num\" data-metric=\"rejected\">").Append(N(Sum(hs, h => h.Rejected))).Append("</td>")
                .Append("<td class=\"num\" data-metric=\"duplicates\">").Append(N(Sum(hs, h => h.Duplicates))).Append("</td>")
                .Append("<td class=\"num\" data-metric=\"rate\">").Append(D(a / seconds, 3)).Append("</td></tr>");
        }

        b.Append("</tbody></table>");
        Legend(b);
        BarChart(b, "chart-24h", "Events per hour, last 24 hours", "Accepted, rejected and duplicate events per hour over the last 24 hours; the table above has the totals.",
            last24.Select(h => new[] { h.Accepted, h.Rejected, h.Duplicates }).ToList(), StackColours, last24.Select(h => Hour(h.Hour)).ToList());
        b.Append("<h2>Last 7 days, per hour</h2>");
        BarChart(b, "chart-7d", "Events per hour, last 7 days", "Accepted, rejected and duplicate events per hour over the last 7 days.",
            data.Hours.Select(h => new[] { h.Accepted, h.Rejected, h.Duplicates }).ToList(), StackColours, data.Hours.Select(h => Day(h.Hour)).ToList());

        b.Append("<h2>Forwarding</h2>");
        var forwarder = p.Http.RequestServices.GetService<IEventForwarder>();
        if (forwarder is null)
        {
            b.Append("<p class=\"note\" id=\"forwarding-off\">Forwarding is off (Ingest:Forwarding:Enabled).</p>");
        }
        else
        {
            var metrics = p.Http.RequestServices.GetRequiredService<IngestMetrics>();
            var sink = forwarder as SinkForwarder;
            b.Append("<table id=\"forwarding\"><caption>Forwarding per sink</caption><thead><tr><th scope=\"col\">sink</th><th scope=\"col\" class=\"num\">queued</th><th scope=\"col\" class=\"num\">delivered</th><th scope=\"col\">state</th><th scope=\"col\">last error</th></tr></thead><tbody>")
                .Append("<tr><th scope=\"row\">").Append(E(forwarder.SinkName)).Append("</th><td class=\"num\" data-live=\"forward_queued\">").Append(N(forwarder.QueueDepth)).Append("</td>")
                .Append("<td class=\"num\" data-live=\"forward_delivered\">").Append(N(metrics.ForwardedTotal)).Append("</td><td>")
                .Append(sink is { ConsecutiveFailures: > 0 } ? "<span class=\"flag bad\">failing (" + N(sink.ConsecutiveFailures) + " attempts)</span>" : "<span class=\"flag ok\">delivering</span>")
                .Append("</td><td>").Append(E(sink?.LastError is { } le ? le + " (" + Time(sink.LastErrorAt?.ToUnixTimeMilliseconds()) + ")" : "none")).Append("</td></tr></tbody></table>");
        }

        b.Append("<h2>Storage</h2><div class=\"cards\">");
        Card(b, "Database size (" + (p.Data.Database.IsPostgres ? "PostgreSQL" : "SQLite") + ")", Bytes(data.StorageBytes), id: "storage-size");
        Card(b, "Events rolled up, all time", N(data.Hours.Count == 0 ? 0 : await AllTimeAsync(p, ct).ConfigureAwait(false)), id: "rolled-up");
        b.Append("</div>");
        return End(b, p);
    }

    private static async Task<long> AllTimeAsync(PageContext p, CancellationToken ct)
    {
        await using var c = await p.Data.Database.OpenAsync(ct).ConfigureAwait(false);
        return await DashboardDatabase.ScalarLongAsync(c, "SELECT SUM(events) FROM dashboard_event_hours", ct).ConfigureAwait(false);
    }

    private static IEnumerable<(string Key, string Label, string Value)> LiveCards(IServiceProvider services)
    {
        var recorder = services.GetRequiredService<DashboardRecorder>();
        var rates = recorder.Rates(10);
        var latency = recorder.Latency(TimeSpan.FromMinutes(5));
        yield return ("incoming_per_second", "Received per second (10 s)", D(rates.Incoming, 1));
        yield return ("accepted_per_second", "Accepted per second", D(rates.Stored, 1));
        yield return ("rejected_per_second", "Rejected per second", D(rates.Rejected, 1));
        yield return ("duplicates_per_second", "Duplicates per second", D(rates.Duplicates, 1));
        yield return ("latency_p50", "Ingest latency p50 (5 min)", latency is { } l ? D(l.P50, 1) + " ms" : "no requests");
        yield return ("latency_p95", "Ingest latency p95", latency is { } l95 ? D(l95.P95, 1) + " ms" : "no requests");
        yield return ("latency_p99", "Ingest latency p99", latency is { } l99 ? D(l99.P99, 1) + " ms" : "no requests");
        var metrics = services.GetRequiredService<IngestMetrics>();
        yield return ("accepted_since_start", "Accepted since this node started", N(metrics.StoredTotal));
    }

    /// <summary>The live overview's values by <c>data-live</c> key.</summary>
    public static IEnumerable<(string Key, string Value)> LiveValues(IServiceProvider services)
    {
        foreach (var (key, _, value) in LiveCards(services)) yield return (key, value);
        if (services.GetService<IEventForwarder>() is { } forwarder)
        {
            yield return ("forward_queued", N(forwarder.QueueDepth));
            yield return ("forward_delivered", N(services.GetRequiredService<IngestMetrics>().ForwardedTotal));
        }
    }

    public static async Task<string> CoverageAsync(PageContext p, int days, CancellationToken ct)
    {
        var rows = await p.Data.CoverageAsync(days, p.Options.Usage, ct).ConfigureAwait(false);
        var unknown = (await p.Data.RejectionsAsync(days, ct).ConfigureAwait(false)).Where(r => r.UnknownEvent)
            .GroupBy(r => r.Event, StringComparer.Ordinal)
            .Select(g => (Event: g.Key, Count: g.Sum(x => x.Count), First: g.Min(x => x.FirstSeen), Last: g.Max(x => x.LastSeen), Versions: g.SelectMany(x => x.ClientVersions).Distinct().ToList()))
            .OrderByDescending(x => x.Count).ToList();
        var b = Start(p, 1, "Catalog coverage");
        PeriodFilter(b, p, "/coverage", days);
        var never = rows.Count(r => r.LastSeen is null);
        b.Append("<p class=\"note\">").Append(N(rows.Count)).Append(" catalog events; <strong id=\"never-seen-count\">").Append(N(never))
            .Append("</strong> never seen. Expected volume: the catalog's cost model for ").Append(E(Scenario(p.Options.Usage))).Append(", scaled to the period.</p>");
        b.Append("<table id=\"coverage\"><caption>Catalog events, last ").Append(days == 1 ? "24 hours" : N(days) + " days").Append("</caption><thead><tr>")
            .Append("<th scope=\"col\">event</th><th scope=\"col\">status</th><th scope=\"col\" class=\"num\">volume</th><th scope=\"col\" class=\"num\">expected</th><th scope=\"col\">last seen</th><th scope=\"col\">client versions</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            b.Append("<tr data-event=\"").Append(E(r.Spec.Name)).Append("\"><th scope=\"row\"><a href=\"").Append(E(p.Base + "/events/" + Uri.EscapeDataString(r.Spec.Name))).Append("\">").Append(E(r.Spec.Name)).Append("</a></th><td>");
            if (r.LastSeen is null) b.Append("<span class=\"flag bad\" data-flag=\"never-seen\">never seen</span>");
            else if (r.Volume == 0) b.Append("<span class=\"flag warn\">not in period</span>");
            else b.Append("<span class=\"flag ok\">seen</span>");
            if (r.Spec.Status != EventStatus.Active) b.Append(" <span class=\"muted\">").Append(E(r.Spec.Status.ToString().ToLowerInvariant())).Append("</span>");
            b.Append("</td><td class=\"num\" data-metric=\"volume\">").Append(N(r.Volume)).Append("</td><td class=\"num\" data-metric=\"expected\">").Append(N(r.Expected))
                .Append("</td><td>").Append(E(Time(r.LastSeen))).Append("</td><td data-metric=\"versions\">").Append(E(string.Join(", ", r.ClientVersions))).Append("</td></tr>");
        }

        b.Append("</tbody></table><h2 id=\"unknown-heading\">Events the catalog does not define</h2>");
        if (unknown.Count == 0)
        {
            b.Append("<p class=\"note\" id=\"no-unknown\">None received in the period.</p>");
        }
        else
        {
            b.Append("<table id=\"unknown\" aria-labelledby=\"unknown-heading\"><thead><tr><th scope=\"col\">event name received</th><th scope=\"col\" class=\"num\">rejected</th><th scope=\"col\">first seen</th><th scope=\"col\">last seen</th><th scope=\"col\">client versions</th></tr></thead><tbody>");
            foreach (var u in unknown)
            {
                b.Append("<tr data-event=\"").Append(E(u.Event)).Append("\"><th scope=\"row\">").Append(E(u.Event)).Append("</th><td class=\"num\" data-metric=\"count\">").Append(N(u.Count))
                    .Append("</td><td>").Append(E(Time(u.First))).Append("</td><td>").Append(E(Time(u.Last))).Append("</td><td>").Append(E(string.Join(", ", u.Versions))).Append("</td></tr>");
            }

            b.Append("</tbody></table>");
        }

        return End(b, p);
    }

    public static async Task<string> ValidationAsync(PageContext p, int days, CancellationToken ct)
    {
        var groups = await p.Data.RejectionsAsync(days, ct).ConfigureAwait(false);
        var b = Start(p, 2, "Validation");
        PeriodFilter(b, p, "/validation", days);
        b.Append("<p class=\"note\">Rejections grouped by event, property and reason (counts since the group first appeared; shown when seen in the period). ")
            .Append("Rejected values are never stored or shown; properties classified as personal data are marked.</p>");
        if (groups.Count == 0)
        {
            b.Append("<p id=\"no-rejections\">No rejected events in the period.</p>");
            return End(b, p);
        }

        b.Append("<table id=\"rejections\"><caption>Rejected events</caption><thead><tr><th scope=\"col\">event</th><th scope=\"col\">property</th><th scope=\"col\">reason</th><th scope=\"col\">JSON path</th>")
            .Append("<th scope=\"col\" class=\"num\">count</th><th scope=\"col\">first seen</th><th scope=\"col\">last seen</th><th scope=\"col\">client versions</th></tr></thead><tbody>");
        foreach (var g in groups)
        {
            b.Append("<tr data-event=\"").Append(E(g.Event)).Append("\" data-property=\"").Append(E(g.Property)).Append("\" data-reason=\"").Append(E(g.Reason)).Append("\"><th scope=\"row\">").Append(E(g.Event)).Append("</th><td>")
                .Append(g.Property.Length == 0 ? "<span class=\"muted\">(event)</span>" : E(g.Property));
            if (g.PersonalData) b.Append(" <span class=\"flag warn\" title=\"classified as personal data\">personal data</span>");
            b.Append("</td><td>").Append(E(g.Reason)).Append("</td><td><code>").Append(E(g.Path)).Append("</code></td><td class=\"num\" data-metric=\"count\">").Append(N(g.Count))
                .Append("</td><td>").Append(E(Time(g.FirstSeen))).Append("</td><td>").Append(E(Time(g.LastSeen))).Append("</td><td>").Append(E(string.Join(", ", g.ClientVersions))).Append("</td></tr>");
        }

        b.Append("</tbody></table>");
        return End(b, p);
    }

    public static async Task<string> EventIndexAsync(PageContext p, CancellationToken ct)
    {
        var volumes = await p.Data.VolumesAsync(7, ct).ConfigureAwait(false);
        var b = Start(p, 3, "Per event");
        b.Append("<p class=\"note\">Pick an event for its volume over time, value distributions, number statistics and envelope mix.</p><ul id=\"event-list\">");
        foreach (var name in p.Data.Events.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            b.Append("<li><a href=\"").Append(E(p.Base + "/events/" + Uri.EscapeDataString(name))).Append("\">").Append(E(name)).Append("</a> <span class=\"muted\">")
                .Append(N(volumes.TryGetValue(name, out var n) ? n : 0)).Append(" in 7 days</span></li>");
        }

        b.Append("</ul>");
        return End(b, p);
    }

    public static async Task<string> EventAsync(PageContext p, string name, CancellationToken ct)
    {
        if (!p.Data.Events.ContainsKey(name))
        {
            p.Status = 404;
            var nb = Start(p, 3, "Unknown event");
            nb.Append("<p>The catalog has no event <code>").Append(E(name)).Append("</code>. Events received under names the catalog does not define are listed under <a href=\"")
                .Append(E(p.Base)).Append("/coverage\">Catalog coverage</a>.</p>");
            return End(nb, p);
        }

        var d = await p.Data.EventAsync(name, ct).ConfigureAwait(false);
        var spec = d.Spec!;
        var b = Start(p, 3, name);
        b.Append("<p class=\"note\">").Append(E(spec.Description)).Append("</p><div class=\"cards\">");
        Card(b, "Stored, all time", N(d.Total), id: "event-total");
        Card(b, "Last 7 days", N(d.Hours.Sum(h => h.Accepted)), id: "event-7d");
        Card(b, "Catalog sampling", D(spec.Sampling, 4), id: "event-sampling");
        Card(b, "Catalog schema version", spec.Version.ToString(CultureInfo.InvariantCulture), id: "event-version");
        b.Append("</div><h2>Volume over time</h2>");
        BarChart(b, "chart-event", "Stored " + name + " events per hour, last 7 days", "Hourly count of stored " + name + " events over the last 7 days.",
            d.Hours.Select(h => new[] { h.Accepted }).ToList(), StackColours, d.Hours.Select(h => Day(h.Hour)).ToList());

        b.Append("<div class=\"grid2\">");
        FacetTable(b, "facet-sampling-rate", "sampling_rate mix", d.Facets.Where(f => f.Facet == DashboardRollup.SamplingRateFacet));
        FacetTable(b, "facet-schema-version", "schema_version mix", d.Facets.Where(f => f.Facet == DashboardRollup.SchemaVersionFacet));
        FacetTable(b, "facet-client-version", "client_version mix", d.Facets.Where(f => f.Facet == DashboardRollup.ClientVersionFacet));
        foreach (var prop in spec.Properties.Where(x => x.Type is PropertyType.Enum or PropertyType.Boolean))
        {
            if (prop.IsPersonalData)
            {
                b.Append("<section><h2>").Append(E(prop.WireName)).Append("</h2><p class=\"note\">Classified as personal data: values are not counted.</p></section>");
                continue;
            }

            FacetTable(b, "facet-" + prop.WireName.Replace('_', '-'), prop.WireName + " values", d.Facets.Where(f => f.Facet == DashboardRollup.PropertyFacetPrefix + prop.WireName),
                prop.Type == PropertyType.Enum ? prop.EnumValues : new[] { "true", "false" });
        }

        b.Append("</div>");
        var numbers = spec.Properties.Where(x => !x.IsPersonalData && x.Type is PropertyType.Int32 or PropertyType.Int64 or PropertyType.Double or PropertyType.Decimal or PropertyType.Duration).ToList();
        if (numbers.Count > 0)
        {
            b.Append("<table id=\"numbers\"><caption>Numbers (all time)</caption><thead><tr><th scope=\"col\">property</th><th scope=\"col\" class=\"num\">count</th><th scope=\"col\" class=\"num\">min</th><th scope=\"col\" class=\"num\">avg</th><th scope=\"col\" class=\"num\">max</th></tr></thead><tbody>");
            foreach (var prop in numbers)
            {
                var s = d.Numbers.FirstOrDefault(x => x.Property == prop.WireName);
                b.Append("<tr data-property=\"").Append(E(prop.WireName)).Append("\"><th scope=\"row\">").Append(E(prop.WireName)).Append("</th>");
                if (s is null) b.Append("<td class=\"num\" data-metric=\"count\">0</td><td class=\"num\">–</td><td class=\"num\">–</td><td class=\"num\">–</td></tr>");
                else b.Append("<td class=\"num\" data-metric=\"count\">").Append(N(s.Count)).Append("</td><td class=\"num\" data-metric=\"min\">").Append(Num(s.Min)).Append("</td><td class=\"num\" data-metric=\"avg\">")
                    .Append(Num(s.Average)).Append("</td><td class=\"num\" data-metric=\"max\">").Append(Num(s.Max)).Append("</td></tr>");
            }

            b.Append("</tbody></table>");
        }

        return End(b, p);
    }

    public static async Task<string> CostAsync(PageContext p, CancellationToken ct)
    {
        var usage = p.Options.Usage;
        var volumes = await p.Data.VolumesAsync(7, ct).ConfigureAwait(false);
        var b = Start(p, 4, "Cost");
        b.Append("<p class=\"note\">Monthly projection: the last 7 days' stored events × ").Append(N(usage.Days)).Append(" / 7, at ").Append(E(Money(usage.PricePerEvent)))
            .Append(" per event. Catalog estimate: the cost model for ").Append(E(Scenario(usage))).Append(".</p>");
        b.Append("<table id=\"cost\"><caption>Monthly events and cost per event</caption><thead><tr><th scope=\"col\">event</th><th scope=\"col\" class=\"num\">last 7 days</th><th scope=\"col\" class=\"num\">projected / month</th>")
            .Append("<th scope=\"col\" class=\"num\">projected cost</th><th scope=\"col\" class=\"num\">catalog estimate / month</th><th scope=\"col\" class=\"num\">estimated cost</th><th scope=\"col\" class=\"num\">actual vs estimate</th></tr></thead><tbody>");
        decimal totalProjected = 0, totalEstimate = 0;
        foreach (var spec in p.Data.Events.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var week = volumes.TryGetValue(spec.Name, out var n) ? n : 0;
            var projected = week * (decimal)usage.Days / 7m;
            var estimate = VolumeModel.SentEvents(spec, p.Data.Sources[spec.Name], usage);
            if (spec.Status != EventStatus.Planned) totalEstimate += estimate;
            totalProjected += projected;
            b.Append("<tr data-event=\"").Append(E(spec.Name)).Append("\"><th scope=\"row\">").Append(E(spec.Name)).Append("</th><td class=\"num\" data-metric=\"week\">").Append(N(week))
                .Append("</td><td class=\"num\" data-metric=\"projected\">").Append(N(projected)).Append("</td><td class=\"num\">").Append(E(Money(projected * usage.PricePerEvent)))
                .Append("</td><td class=\"num\" data-metric=\"estimate\">").Append(N(estimate)).Append("</td><td class=\"num\">").Append(E(Money(estimate * usage.PricePerEvent)))
                .Append("</td><td class=\"num\">").Append(estimate > 0 ? E((projected / estimate).ToString("P0", CultureInfo.InvariantCulture)) : "–").Append("</td></tr>");
        }

        b.Append("</tbody><tfoot><tr><th scope=\"row\">total</th><td></td><td class=\"num\" data-metric=\"projected-total\">").Append(N(totalProjected)).Append("</td><td class=\"num\">").Append(E(Money(totalProjected * usage.PricePerEvent)))
            .Append("</td><td class=\"num\">").Append(N(totalEstimate)).Append("</td><td class=\"num\">").Append(E(Money(totalEstimate * usage.PricePerEvent))).Append("</td><td></td></tr></tfoot></table>");
        return End(b, p);
    }

    public static async Task<string> HeatmapAsync(PageContext p, CancellationToken ct)
    {
        var maps = await p.Data.HeatmapsAsync(ct).ConfigureAwait(false);
        var b = Start(p, 5, "Heatmap");
        if (maps.Count == 0) b.Append("<p>No catalog event has a heatmap.</p>");
        foreach (var m in maps)
        {
            var h = m.Heatmap;
            long max = Math.Max(1, m.Cells.Max());
            long total = m.Cells.Sum();
            var id = "heatmap-" + m.Event.Name.Replace('.', '-').Replace('_', '-');
            b.Append("<h2>").Append(E(m.Event.Name)).Append("</h2><p class=\"note\">Summed <code>heatmap</code> cells of ").Append(N(m.Events)).Append(" aggregate events (")
                .Append(h.Columns).Append(" × ").Append(h.Rows).Append(" cells over the ").Append(h.Width).Append(" × ").Append(h.Height).Append(" px chart area); <span id=\"")
                .Append(id).Append("-total\" data-metric=\"hits\">").Append(N(total)).Append("</span> crosshair positions in all.</p>");
            const int w = 960;
            var hh = (int)Math.Round(w * (double)h.Height / Math.Max(1, h.Width));
            double cw = (double)w / h.Columns, ch = (double)hh / h.Rows;
            b.Append("<svg class=\"chart\" id=\"").Append(id).Append("\" role=\"img\" aria-labelledby=\"").Append(id).Append("-t ").Append(id).Append("-d\" viewBox=\"0 0 ").Append(w).Append(' ').Append(hh)
                .Append("\" width=\"").Append(w).Append("\" height=\"").Append(hh).Append("\"><title id=\"").Append(id).Append("-t\">Crosshair heatmap of ").Append(E(m.Event.Name)).Append("</title><desc id=\"")
                .Append(id).Append("-d\">Darker cells had the crosshair more often; the hottest cell has ").Append(N(max)).Append(" positions.</desc>")
                .Append("<rect x=\"0\" y=\"0\" width=\"").Append(w).Append("\" height=\"").Append(hh).Append("\" fill=\"#0d1117\"/>");
            for (var r = 0; r < h.Rows; r++)
            {
                for (var c = 0; c < h.Columns; c++)
                {
                    var v = m.Cells[r * h.Columns + c];
                    var t = v == 0 ? 0 : 0.12 + 0.88 * Math.Sqrt((double)v / max);
                    b.Append("<rect x=\"").Append(F(c * cw)).Append("\" y=\"").Append(F(r * ch)).Append("\" width=\"").Append(F(cw - 1)).Append("\" height=\"").Append(F(ch - 1))
                        .Append("\" fill=\"").Append(Heat(t)).Append("\" data-cell=\"").Append(r * h.Columns + c).Append("\"><title>column ").Append(c + 1).Append(", row ").Append(r + 1).Append(": ").Append(N(v)).Append("</title></rect>");
                }
            }

            b.Append("</svg><details><summary>Cell counts as a table</summary><table><caption>Positions per cell, row by row</caption><thead><tr><th scope=\"col\">row</th>");
            for (var c = 0; c < h.Columns; c++) b.Append("<th scope=\"col\" class=\"num\">").Append(c + 1).Append("</th>");
            b.Append("</tr></thead><tbody>");
            for (var r = 0; r < h.Rows; r++)
            {
                b.Append("<tr><th scope=\"row\">").Append(r + 1).Append("</th>");
                for (var c = 0; c < h.Columns; c++) b.Append("<td class=\"num\">").Append(N(m.Cells[r * h.Columns + c])).Append("</td>");
                b.Append("</tr>");
            }

            b.Append("</tbody></table></details>");
        }

        return End(b, p);
    }

    /// <summary>
    /// Error issues (<c>error.captured</c> grouped by fingerprint): type, scrubbed message, counts, first and last seen,
    /// affected users and sessions, client versions, the latest breadcrumbs, and a resolve (or reopen) form per issue.
    /// </summary>
    public static async Task<string> ErrorsAsync(PageContext p, string status, CancellationToken ct)
    {
        var b = Start(p, 6, "Errors");
        var store = p.Http.RequestServices.GetService<IErrorIssueStore>();
        if (store is null)
        {
            b.Append("<p id=\"errors-unavailable\">The configured event store does not keep error issues (the SQLite and PostgreSQL stores do).</p>");
            return End(b, p);
        }

        var issues = await store.ListIssuesAsync(new ErrorIssueQuery(null, null, status == "all" ? null : status, ErrorsShown), ct).ConfigureAwait(false);
        b.Append("<form class=\"filters\" method=\"get\" action=\"").Append(E(p.Base + "/errors")).Append("\"><div><label for=\"status\">Status</label><select id=\"status\" name=\"status\">");
        foreach (var (value, label) in new[] { ("open", "open"), ("resolved", "resolved"), ("all", "open and resolved") })
        {
            b.Append("<option value=\"").Append(value).Append('"').Append(value == status ? " selected" : "").Append('>').Append(label).Append("</option>");
        }

        b.Append("</select></div><button type=\"submit\">Show</button></form>");
        b.Append("<p class=\"note\">Errors the apps captured (<code>").Append(E(ErrorIssueRows.EventName)).Append("</code>), grouped by fingerprint; messages, stack traces and breadcrumbs ")
            .Append("pass the error scrubbing rules again here. Count includes errors the clients' rate limit counted but did not send. Resolving hides an issue until an error of it is stored again. ")
            .Append("Times are the clients' clocks.</p>");
        if (issues.Count == 0)
        {
            b.Append("<p id=\"no-errors\">No ").Append(status == "all" ? "" : E(status) + " ").Append("error issues.</p>");
            return End(b, p);
        }

        b.Append("<table id=\"errors\"><caption>Error issues (").Append(status == "all" ? "open and resolved" : E(status)).Append("), most recent first</caption><thead><tr>")
            .Append("<th scope=\"col\">type and message</th><th scope=\"col\">fingerprint</th><th scope=\"col\" class=\"num\">count</th><th scope=\"col\" class=\"num\">users</th><th scope=\"col\" class=\"num\">sessions</th>")
            .Append("<th scope=\"col\">first seen</th><th scope=\"col\">last seen</th><th scope=\"col\">client versions</th><th scope=\"col\">latest breadcrumbs</th><th scope=\"col\">status</th></tr></thead><tbody>");
        var projects = issues.Select(i => i.Project).Distinct(StringComparer.Ordinal).Count();
        foreach (var i in issues)
        {
            var name = (i.ErrorType ?? "error") + " " + i.Fingerprint;
            b.Append("<tr data-project=\"").Append(E(i.Project)).Append("\" data-fingerprint=\"").Append(E(i.Fingerprint)).Append("\" data-status=\"").Append(E(i.Status)).Append("\">")
                .Append("<th scope=\"row\"><span class=\"etype\">").Append(E(i.ErrorType ?? "(no type)")).Append("</span>")
                .Append(i.Level is null ? "" : " <span class=\"muted\">" + E(i.Level) + "</span>")
                .Append("<div class=\"emsg\" data-metric=\"message\">").Append(E(i.Message ?? "")).Append("</div>")
                .Append(projects > 1 ? "<div class=\"muted\">project " + E(i.Project) + "</div>" : "").Append("</th>")
                .Append("<td><code>").Append(E(i.Fingerprint)).Append("</code></td>")
                .Append("<td class=\"num\"><span data-metric=\"count\">").Append(N(i.Count)).Append("</span>")
                .Append(i.Count != i.Events ? "<div class=\"muted\" title=\"the rest were counted by the clients' rate limit, not sent\"><span data-metric=\"events\">" + N(i.Events) + "</span> stored</div>" : "").Append("</td>")
                .Append("<td class=\"num\" data-metric=\"users\">").Append(N(i.AffectedUsers)).Append("</td>")
                .Append("<td class=\"num\" data-metric=\"sessions\">").Append(N(i.AffectedSessions)).Append("</td>")
                .Append("<td data-metric=\"first\">").Append(E(Time(i.FirstSeen.ToUnixTimeMilliseconds()))).Append("</td><td data-metric=\"last\">").Append(E(Time(i.LastSeen.ToUnixTimeMilliseconds()))).Append("</td>")
                .Append("<td data-metric=\"versions\">").Append(E(string.Join(", ", i.ClientVersions))).Append("</td><td>");
            if (i.LatestBreadcrumbs.Count == 0)
            {
                b.Append("<span class=\"muted\">none</span>");
            }
            else
            {
                b.Append("<details><summary>").Append(N(i.LatestBreadcrumbs.Count)).Append(" breadcrumbs</summary><ol class=\"crumbs\" data-metric=\"breadcrumbs\">");
                foreach (var c in i.LatestBreadcrumbs.Skip(Math.Max(0, i.LatestBreadcrumbs.Count - CrumbsShown))) b.Append("<li>").Append(E(c)).Append("</li>");
                b.Append("</ol></details>");
            }

            b.Append("</td><td>").Append(i.Status == "resolved"
                ? "<span class=\"flag ok\">resolved</span> <span class=\"muted\">" + E(Time(i.ResolvedAt?.ToUnixTimeMilliseconds())) + "</span>"
                : "<span class=\"flag bad\">open</span>");
            var action = i.Status == "resolved" ? "reopen" : "resolve";
            b.Append("<form method=\"post\" action=\"").Append(E(p.Base + "/errors/" + action)).Append("\">");
            Token(b, p.Tokens);
            b.Append("<input type=\"hidden\" name=\"project\" value=\"").Append(E(i.Project)).Append("\"><input type=\"hidden\" name=\"fingerprint\" value=\"").Append(E(i.Fingerprint))
                .Append("\"><input type=\"hidden\" name=\"status\" value=\"").Append(E(status)).Append("\"><button type=\"submit\" aria-label=\"").Append(action == "resolve" ? "Resolve " : "Reopen ").Append(E(name)).Append("\">")
                .Append(action == "resolve" ? "Resolve" : "Reopen").Append("</button></form></td></tr>");
        }

        b.Append("</tbody></table>");
        if (issues.Count == ErrorsShown) b.Append("<p class=\"note\">The ").Append(N(ErrorsShown)).Append(" most recent issues are shown; <code>GET /admin/errors?limit=1000</code> lists more.</p>");
        return End(b, p);
    }

    /// <summary>Most issues one page lists.</summary>
    internal const int ErrorsShown = 200;

    /// <summary>Most breadcrumbs shown per issue (the newest).</summary>
    internal const int CrumbsShown = 20;

    private static string Heat(double t)
    {
        if (t <= 0) return "#161b22";
        // dark blue -> orange -> yellow
        var r = (int)(40 + 215 * Math.Min(1, t * 1.4));
        var g = (int)(30 + 200 * Math.Max(0, t - 0.35) / 0.65);
        var bl = (int)(120 * (1 - t));
        return "#" + r.ToString("x2", CultureInfo.InvariantCulture) + g.ToString("x2", CultureInfo.InvariantCulture) + bl.ToString("x2", CultureInfo.InvariantCulture);
    }

    private static void FacetTable(StringBuilder b, string id, string title, IEnumerable<FacetValue> values, IEnumerable<string>? expected = null)
    {
        var list = values.ToList();
        var byValue = list.ToDictionary(v => v.Value, v => v.Count, StringComparer.Ordinal);
        var keys = (expected ?? Array.Empty<string>()).Concat(list.OrderByDescending(v => v.Count).Select(v => v.Value)).Distinct(StringComparer.Ordinal).ToList();
        var total = Math.Max(1, list.Sum(v => v.Count));
        b.Append("<table id=\"").Append(E(id)).Append("\"><caption>").Append(E(title)).Append("</caption><thead><tr><th scope=\"col\">value</th><th scope=\"col\" class=\"num\">events</th><th scope=\"col\" class=\"num\">share</th></tr></thead><tbody>");
        if (keys.Count == 0) b.Append("<tr><td colspan=\"3\" class=\"muted\">no events yet</td></tr>");
        foreach (var k in keys)
        {
            var n = byValue.TryGetValue(k, out var c) ? c : 0;
            b.Append("<tr data-value=\"").Append(E(k)).Append("\"><th scope=\"row\">").Append(E(k)).Append("</th><td class=\"num\" data-metric=\"count\">").Append(N(n)).Append("</td><td class=\"num\">")
                .Append(E(((double)n / total).ToString("P1", CultureInfo.InvariantCulture))).Append("</td></tr>");
        }

        b.Append("</tbody></table>");
    }

    private static string Num(double v) => Math.Abs(v) >= 1000 || v == Math.Floor(v) ? v.ToString("N2", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Scenario(UsageScenario u) =>
        $"{u.Users.ToString("N0", CultureInfo.InvariantCulture)} users, {u.HoursPerDay.ToString(CultureInfo.InvariantCulture)} h a day for {u.Days.ToString(CultureInfo.InvariantCulture)} days, "
        + $"{u.HighFrequencyRate.ToString(CultureInfo.InvariantCulture)}/s for high-frequency events, {u.NormalRatePerHour.ToString(CultureInfo.InvariantCulture)}/h for others";

    private static string Hour(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("HH:00", CultureInfo.InvariantCulture);

    private static string Day(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("MM-dd HH:00", CultureInfo.InvariantCulture);

    private static void Legend(StringBuilder b) =>
        b.Append("<div class=\"legend\" aria-hidden=\"true\"><span><span class=\"swatch accepted\"></span>accepted</span><span><span class=\"swatch rejected\"></span>rejected</span><span><span class=\"swatch duplicate\"></span>duplicate</span></div>");

    private static void PeriodFilter(StringBuilder b, PageContext p, string view, int days)
    {
        b.Append("<form class=\"filters\" method=\"get\" action=\"").Append(E(p.Base + view)).Append("\"><div><label for=\"days\">Period</label><select id=\"days\" name=\"days\">");
        foreach (var (value, label) in new[] { (1, "last 24 hours"), (7, "last 7 days"), (30, "last 30 days") })
        {
            b.Append("<option value=\"").Append(value).Append('"').Append(value == days ? " selected" : "").Append('>').Append(label).Append("</option>");
        }

        b.Append("</select></div><button type=\"submit\">Show</button></form>");
    }

    private static void Token(StringBuilder b, AntiforgeryTokenSet tokens) =>
        b.Append("<input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken)).Append("\">");

    private static void Head(StringBuilder b, string root, string title) =>
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\"><title>")
            .Append(E(title)).Append(" · Event health</title><link rel=\"stylesheet\" href=\"").Append(E(root)).Append("/assets/dashboard.css\"></head><body>");

    private static StringBuilder Start(PageContext p, int view, string title)
    {
        var b = new StringBuilder(16 * 1024);
        Head(b, p.Base, title);
        b.Append("<a class=\"skip\" href=\"#main\">Skip to content</a><header><span class=\"brand\">Event health</span><nav aria-label=\"Dashboard views\"><ul>");
        for (var i = 0; i < Views.Length; i++)
        {
            b.Append("<li><a href=\"").Append(E(p.Base + Views[i])).Append('"').Append(i == view ? " aria-current=\"page\"" : "").Append('>').Append(ViewNames[i]).Append("</a></li>");
        }

        b.Append("</ul></nav><form method=\"post\" action=\"").Append(E(p.Base)).Append("/logout\">");
        Token(b, p.Tokens);
        b.Append("<button type=\"submit\">Sign out</button></form></header><main id=\"main\" tabindex=\"-1\"><h1>").Append(E(title)).Append("</h1>");
        return b;
    }

    private static string End(StringBuilder b, PageContext p)
    {
        var rollup = p.Data.Rollup;
        b.Append("</main><footer>Rollup: ").Append(rollup.LastRun is { } at ? "last run " + E(at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)) + " UTC" : "not run yet")
            .Append(rollup.LastError is { } err ? " · <span class=\"flag bad\">failing: " + E(err) + "</span>" : "")
            .Append(p.Data.Database.IsPostgres ? " · events appear after " + E(p.Options.RollupSettleSeconds.ToString(CultureInfo.InvariantCulture)) + " s" : "")
            .Append(" · times in UTC</footer><script src=\"").Append(E(p.Base)).Append("/assets/live.js\" defer></script></body></html>");
        return b.ToString();
    }
}
