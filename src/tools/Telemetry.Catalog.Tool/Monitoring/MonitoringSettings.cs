namespace Telemetry.Catalog.Tool.Monitoring;

/// <summary>The figures the dashboard and alert rules use for cost: price per event and the monthly budget the info alert watches.</summary>
internal sealed record MonitoringSettings(decimal PricePerEvent, decimal MonthlyBudget)
{
    /// <summary>The defaults: $0.001 per event, an alert when the projected cost passes $50 a month.</summary>
    public static MonitoringSettings Default { get; } = new(0.001m, 50m);
}
