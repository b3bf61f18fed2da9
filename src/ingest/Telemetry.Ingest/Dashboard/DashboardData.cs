using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Telemetry.Catalog;
using Telemetry.Catalog.Cost;
using Telemetry.Catalog.Model;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Dashboard;

/// <summary>The dashboard's reads: every one from the rollup tables (small), never a scan of <c>events</c>.</summary>
internal sealed class DashboardData
{
    internal const long HourMs = 3_600_000;

    private readonly DashboardDatabase _database;
    private readonly DashboardRollup _rollup;
    private readonly TimeProvider _time;

    public DashboardData(DashboardDatabase database, DashboardRollup rollup, CatalogSet catalog, TimeProvider time)
    {
        _database = database;
        _rollup = rollup;
        _time = time;
        var byName = new Dictionary<string, EventSpec>(StringComparer.Ordinal);
        foreach (var e in catalog.Events) byName[e.Name] = e;
        Events = byName;
        Sources = byName.Values.ToDictionary(e => e.Name, e => e.AggregatedFrom is { } from && byName.TryGetValue(from, out var s) ? s : null, StringComparer.Ordinal);
    }

    /// <summary>Catalog events by name.</summary>
    public IReadOnlyDictionary<string, EventSpec> Events { get; }

    /// <summary>For a derived aggregate event the event it is aggregated from, else null.</summary>
    public IReadOnlyDictionary<string, EventSpec?> Sources { get; }

    public DashboardRollup Rollup => _rollup;

    public DashboardDatabase Database => _database;

    /// <summary>The start of the hour <paramref name="hours"/> hours before the current one (the current hour is included).</summary>
    public long HourStart(int hours) => (_time.GetUtcNow().ToUnixTimeMilliseconds() / HourMs - (hours - 1)) * HourMs;

    public async Task<OverviewData> OverviewAsync(CancellationToken ct)
    {
        await _rollup.EnsureInitializedAsync(ct).ConfigureAwait(false);
        await using var c = await _database.OpenAsync(ct).ConfigureAwait(false);
        var from = HourStart(24 * 7);
        var accepted = (await DashboardDatabase.QueryAsync(c, "SELECT hour, SUM(events) FROM dashboard_event_hours WHERE hour >= @f GROUP BY hour", r => (r.GetInt64(0), r.GetInt64(1)), ct, ("@f", from)).ConfigureAwait(false))
            .ToDictionary(x => x.Item1, x => x.Item2);
        var other = (await DashboardDatabase.QueryAsync(c, "SELECT hour, rejected, duplicates FROM dashboard_ingest_hours WHERE hour >= @f", r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), ct, ("@f", from)).ConfigureAwait(false))
            .ToDictionary(x => x.Item1, x => (x.Item2, x.Item3));
        var hours = new List<HourPoint>();
        for (var h = from; h <= HourStart(1); h += HourMs)
        {
            accepted.TryGetValue(h, out var a);
            other.TryGetValue(h, out var o);
            hours.Add(new HourPoint(h, a, o.Item1, o.Item2));
        }

        var bytes = await _database.StorageBytesAsync(c, ct).ConfigureAwait(false);
        return new OverviewData(hours, bytes);
    }

    public async Task<IReadOnlyList<CoverageRow>> CoverageAsync(int days, UsageScenario usage, CancellationToken ct)
    {
        await _rollup.EnsureInitializedAsync(ct).ConfigureAwait(false);
        await using var c = await _database.OpenAsync(ct).ConfigureAwait(false);
        var from = HourStart(24 * days);
        var volume = (await DashboardDatabase.QueryAsync(c, "SELECT event, SUM(events) FROM dashboard_event_hours WHERE hour >= @f GROUP BY event", r => (r.GetString(0), r.GetInt64(1)), ct, ("@f", from)).ConfigureAwait(false))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        var versions = await DashboardDatabase.QueryAsync(c, "SELECT event, value, events, last_seen FROM dashboard_facets WHERE facet = @facet",
            r => (Event: r.GetString(0), Version: r.GetString(1), Count: r.GetInt64(2), Last: r.GetInt64(3)), ct, ("@facet", DashboardRollup.ClientVersionFacet)).ConfigureAwait(false);
        var byEvent = versions.GroupBy(v => v.Event, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var rows = new List<CoverageRow>();
        foreach (var spec in Events.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            volume.TryGetValue(spec.Name, out var n);
            var all = byEvent.TryGetValue(spec.Name, out var list) ? list : new();
            long? last = all.Count == 0 ? null : all.Max(v => v.Last);
            var recent = all.Where(v => v.Last >= from).OrderByDescending(v => v.Count).Select(v => v.Version).ToList();
            var expected = VolumeModel.SentEvents(spec, Sources[spec.Name], usage) * days / Math.Max(1, usage.Days);
            rows.Add(new CoverageRow(spec, n, last, recent, expected));
        }

        return rows;
    }

    public async Task<IReadOnlyList<RejectionGroup>> RejectionsAsync(int days, CancellationToken ct)
    {
        await _rollup.EnsureInitializedAsync(ct).ConfigureAwait(false);
        await using var c = await _database.OpenAsync(ct).ConfigureAwait(false);
        var from = HourStart(24 * days);
        var rows = await DashboardDatabase.QueryAsync(c,
            "SELECT event, property, reason, path, client_version, events, first_seen, last_seen FROM dashboard_rejections WHERE last_seen >= @f",
            r => (Event: r.GetString(0), Property: r.GetString(1), Reason: r.GetString(2), Path: r.GetString(3), Version: r.GetString(4), Count: r.GetInt64(5), First: r.GetInt64(6), Last: r.GetInt64(7)),
            ct, ("@f", from)).ConfigureAwait(false);
        return rows.GroupBy(r => (r.Event, r.Property, r.Reason, r.Path))
            .Select(g => new RejectionGroup(g.Key.Event, g.Key.Property, g.Key.Reason, g.Key.Path, g.Sum(x => x.Count), g.Min(x => x.First), g.Max(x => x.Last),
                g.OrderByDescending(x => x.Count).ThenBy(x => x.Version, StringComparer.Ordinal).Select(x => x.Version).ToList(),
                Events.TryGetValue(g.Key.Event, out var spec) && spec.Properties.Any(p => p.IsPersonalData && (p.Name == g.Key.Property || p.WireName == g.Key.Property))))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Event, StringComparer.Ordinal).ThenBy(g => g.Path, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<EventDetail> EventAsync(string name, CancellationToken ct)
    {
        await _rollup.EnsureInitializedAsync(ct).ConfigureAwait(false);
        await using var c = await _database.OpenAsync(ct).ConfigureAwait(false);
        var from = HourStart(24 * 7);
        var hours = (await DashboardDatabase.QueryAsync(c, "SELECT hour, events FROM dashboard_event_hours WHERE event = @e AND hour >= @f", r => (r.GetInt64(0), r.GetInt64(1)), ct, ("@e", name), ("@f", from)).ConfigureAwait(false))
            .ToDictionary(x => x.Item1, x => x.Item2);
        var series = new List<HourPoint>();
        for (var h = from; h <= HourStart(1); h += HourMs) series.Add(new HourPoint(h, hours.TryGetValue(h, out var n) ? n : 0, 0, 0));
        var total = await DashboardDatabase.ScalarLongAsync(c, "SELECT SUM(events) FROM dashboard_event_hours WHERE event = @e", ct, ("@e", name)).ConfigureAwait(false);
        var facets = await DashboardDatabase.QueryAsync(c, "SELECT facet, value, events, first_seen, last_seen FROM dashboard_facets WHERE event = @e",
            r => new FacetValue(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)), ct, ("@e", name)).ConfigureAwait(false);
        var numbers = await DashboardDatabase.QueryAsync(c, "SELECT property, n, total, low, high FROM dashboard_numbers WHERE event = @e",
            r => new NumberStats(r.GetString(0), r.GetInt64(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4)), ct, ("@e", name)).ConfigureAwait(false);
        return new EventDetail(name, Events.TryGetValue(name, out var spec) ? spec : null, total, series, facets, numbers);
    }

    public async Task<IReadOnlyList<HeatmapData>> HeatmapsAsync(CancellationToken ct)
    {
        await _rollup.EnsureInitializedAsync(ct).ConfigureAwait(false);
        await using var c = await _database.OpenAsync(ct).ConfigureAwait(false);
        var result = new List<HeatmapData>();
        foreach (var spec in Events.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (Sources[spec.Name]?.Aggregate?.Heatmap is not { } heatmap) continue;
            var cells = new long[heatmap.Columns * heatmap.Rows];
            foreach (var (cell, hits) in await DashboardDatabase.QueryAsync(c, "SELECT cell, hits FROM dashboard_heatmap WHERE event = @e", r => (r.GetInt64(0), r.GetInt64(1)), ct, ("@e", spec.Name)).ConfigureAwait(false))
            {
                if (cell >= 0 && cell < cells.Length) cells[cell] = hits;
            }

            var events = await DashboardDatabase.ScalarLongAsync(c, "SELECT SUM(events) FROM dashboard_event_hours WHERE event = @e", ct, ("@e", spec.Name)).ConfigureAwait(false);
            result.Add(new HeatmapData(spec, heatmap, cells, events));
        }

        return result;
    }

    /// <summary>Stored events per catalog event over the last <paramref name="days"/> days (for the cost view).</summary>
    public async Task<IReadOnlyDictionary<string, long>> VolumesAsync(int days, CancellationToken ct)
    {
        await _rollup.EnsureInitializedAsync(ct).ConfigureAwait(false);
        await using var c = await _database.OpenAsync(ct).ConfigureAwait(false);
        return (await DashboardDatabase.QueryAsync(c, "SELECT event, SUM(events) FROM dashboard_event_hours WHERE hour >= @f GROUP BY event", r => (r.GetString(0), r.GetInt64(1)), ct, ("@f", HourStart(24 * days))).ConfigureAwait(false))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
    }
}

internal sealed record HourPoint(long Hour, long Accepted, long Rejected, long Duplicates);

internal sealed record OverviewData(IReadOnlyList<HourPoint> Hours, long StorageBytes);

internal sealed record CoverageRow(EventSpec Spec, long Volume, long? LastSeen, IReadOnlyList<string> ClientVersions, decimal Expected);

internal sealed record RejectionGroup(string Event, string Property, string Reason, string Path, long Count, long FirstSeen, long LastSeen, IReadOnlyList<string> ClientVersions, bool PersonalData)
{
    public bool UnknownEvent => Reason == ValidationReasons.UnknownEvent;
}

internal sealed record FacetValue(string Facet, string Value, long Count, long FirstSeen, long LastSeen);

internal sealed record NumberStats(string Property, long Count, double Sum, double Min, double Max)
{
    public double Average => Count == 0 ? 0 : Sum / Count;
}

internal sealed record EventDetail(string Name, EventSpec? Spec, long Total, IReadOnlyList<HourPoint> Hours, IReadOnlyList<FacetValue> Facets, IReadOnlyList<NumberStats> Numbers);

internal sealed record HeatmapData(EventSpec Event, HeatmapSpec Heatmap, long[] Cells, long Events);
