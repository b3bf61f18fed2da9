using System.Diagnostics;

namespace Telemetry.Runtime;

/// <summary>
/// Traces of the runtime: an <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/> with one client activity
/// per delivery (one sink call with a batch), tagged with the sink, the batch size and the outcome. Listen with
/// <c>.WithTracing(t => t.AddSource(TelemetryTracing.ActivitySourceName))</c>; with no listener nothing is created.
/// </summary>
public static class TelemetryTracing
{
    /// <summary>The activity source name.</summary>
    public const string ActivitySourceName = "Telemetry.Runtime";

    /// <summary>The name of the activity around one sink call.</summary>
    public const string DeliveryActivityName = "telemetry.client.deliver";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(TelemetryTracing).Assembly.GetName().Version?.ToString());
}
