namespace Telemetry.Catalog.Tool.Cost;

/// <summary>
/// How the product is used, for a cost estimate. The defaults (<see cref="Default"/>) are the crosshair scenario:
/// 1,500 users, active 1 hour a day, 50 pointer events a second, 30 days, $0.001 per event.
/// </summary>
/// <param name="Users">Active users.</param>
/// <param name="HoursPerDay">Active hours per user per day.</param>
/// <param name="Days">Days per month.</param>
/// <param name="HighFrequencyRate">Interactions per second of each <c>frequency: high</c> event while a user is active.</param>
/// <param name="NormalRatePerHour">Interactions per hour of each other event while a user is active.</param>
/// <param name="PricePerEvent">What the analytics provider charges per event, in dollars.</param>
internal sealed record CostScenario(int Users, decimal HoursPerDay, int Days, decimal HighFrequencyRate, decimal NormalRatePerHour, decimal PricePerEvent)
{
    /// <summary>
    /// The crosshair scenario, which the published crosshair estimate prices (<see cref="EstimateComparison"/>); the
    /// normal rate (20 per hour and event) is this tool's own assumption.
    /// </summary>
    public static CostScenario Default { get; } = new(1500, 1m, 30, 50m, 20m, 0.001m);

    /// <summary>Active seconds of one user in a month.</summary>
    public decimal ActiveSecondsPerUser => Usage.ActiveSecondsPerUser;

    /// <summary>The same figures as the catalog library's volume model takes them.</summary>
    public Telemetry.Catalog.Cost.UsageScenario Usage => new(Users, HoursPerDay, Days, HighFrequencyRate, NormalRatePerHour, PricePerEvent);
}
