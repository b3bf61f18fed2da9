using System;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Telemetry.Catalog;
using Telemetry.Ingest;
using Telemetry.Ingest.Dashboard;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The event-health dashboard: <c>services.AddTelemetryDashboard()</c> and <c>app.MapTelemetryDashboard()</c> (docs/dashboard.md).</summary>
public static class TelemetryDashboardExtensions
{
    /// <summary>
    /// Adds the dashboard's services: its rollup job (a hosted service keeping small rollup tables next to the events),
    /// the recorder of rejections and live counts, data protection for the session cookie and antiforgery for its forms.
    /// Call after <c>AddTelemetryIngest</c>; options bind from <c>Ingest:Dashboard</c> when <paramref name="configuration"/> is given.
    /// </summary>
    public static IServiceCollection AddTelemetryDashboard(this IServiceCollection services, IConfiguration? configuration = null, Action<DashboardOptions>? configure = null)
    {
        var builder = services.AddOptions<DashboardOptions>();
        if (configuration is not null) builder.Bind(configuration);
        if (configure is not null) builder.Configure(configure);
        services.AddDataProtection();
        services.AddAntiforgery();
        services.TryAddSingleton(sp => new DashboardRecorder(sp.GetRequiredService<IngestMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => CreateDatabase(sp.GetRequiredService<IOptions<IngestOptions>>().Value, sp.GetRequiredService<IEventStore>()));
        services.TryAddSingleton<DashboardRollup>();
        services.TryAddSingleton(sp => new DashboardData(sp.GetRequiredService<DashboardDatabase>(), sp.GetRequiredService<DashboardRollup>(), sp.GetRequiredService<CatalogSet>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DashboardSession(sp.GetRequiredService<IDataProtectionProvider>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<DashboardOptions>>().Value.SessionLifetime));
        services.AddHostedService(sp => sp.GetRequiredService<DashboardRollup>());
        return services;
    }

    /// <summary>
    /// Maps the dashboard at <c>/dashboard</c>: sign-in with the admin key, then the overview, catalog coverage,
    /// validation, per-event, cost and heatmap views. Requires <c>services.AddTelemetryDashboard()</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapTelemetryDashboard(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<DashboardRollup>() is null)
        {
            throw new InvalidOperationException("MapTelemetryDashboard needs services.AddTelemetryDashboard() (after services.AddTelemetryIngest(...)).");
        }

        DashboardEndpoints.Map(endpoints);
        return endpoints;
    }

    private static DashboardDatabase CreateDatabase(IngestOptions options, IEventStore store) => store switch
    {
        SqliteEventStore => DashboardDatabase.Sqlite(TelemetryIngestServiceCollectionExtensions.SqliteConnectionString(options)),
        PostgresEventStore => DashboardDatabase.Postgres(options.Storage.ConnectionString!),
        _ => throw new InvalidOperationException("The dashboard keeps its rollup tables in the built-in SQLite or PostgreSQL store's database; the registered event store '"
            + store.Name + "' is neither."),
    };
}
