namespace Telemetry.Runtime;

/// <summary>Options of <see cref="ConsoleSink"/>: the shared event and property mapping only.</summary>
public sealed class ConsoleSinkOptions : TelemetrySinkOptions
{
}
