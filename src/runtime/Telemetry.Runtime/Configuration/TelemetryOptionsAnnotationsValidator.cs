using Microsoft.Extensions.Options;

namespace Telemetry.Runtime;

/// <summary>Checks the data annotations of <see cref="TelemetryOptions"/> with code generated at build time (no reflection, trimming-safe).</summary>
[OptionsValidator]
internal sealed partial class TelemetryOptionsAnnotationsValidator : IValidateOptions<TelemetryOptions>
{
}
