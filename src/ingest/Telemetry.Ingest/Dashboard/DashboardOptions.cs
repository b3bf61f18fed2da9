using System;
using Telemetry.Catalog.Cost;

namespace Telemetry.Ingest.Dashboard;

/// <summary>Settings of the event-health dashboard (<c>services.AddTelemetryDashboard(...)</c>, <c>app.MapTelemetryDashboard()</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section the options bind from (<c>Ingest:Dashboard</c>).</summary>
    public const string SectionName = "Ingest:Dashboard";

    /// <summary>How long a dashboard sign-in lasts (default 8 hours); the session cookie expires then and is not renewed.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Seconds between runs of the rollup job that folds newly stored events into the dashboard's tables (default 5).</summary>
    public double RollupIntervalSeconds { get; set; } = 5;

    /// <summary>Most stored events the rollup job reads per transaction (default 20,000).</summary>
    public int RollupChunkEvents { get; set; } = 20_000;

    /// <summary>
    /// PostgreSQL only: the rollup reads events received at least this many seconds ago (default 30), so a batch whose
    /// commit is still in flight when its neighbours are rolled up is not skipped. SQLite reads by insertion order and needs no delay.
    /// </summary>
    public double RollupSettleSeconds { get; set; } = 30;

    /// <summary>Seconds between the live overview's refreshes in the browser (default 2).</summary>
    public double LiveRefreshSeconds { get; set; } = 2;

    /// <summary>
    /// The usage the catalog's expected volumes and costs are computed for (users, active hours, rates, price per event);
    /// the coverage and cost views put these expectations beside the actual volumes.
    /// </summary>
    public UsageScenario Usage { get; set; } = UsageScenario.Default;
}
