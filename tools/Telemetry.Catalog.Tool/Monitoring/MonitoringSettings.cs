namespace Telemetry.Catalog.Tool.Monitoring;

/// <summary>The figures the dashboard and alert rules use for cost: price per event and the monthly budget the info alert watches.</summary>
internal sealed record MonitoringSettings(decimal PricePerEvent, decimal MonthlyBudget)
{
    /// <summary>Seed 000: $0.001 per event, "projected cost > $50/month".</summary>
    public static MonitoringSettings Seed { get; } = new(0.001m, 50m);
}
