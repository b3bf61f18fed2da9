using System.Linq;
using Telemetry.Wire;

namespace Telemetry.Catalog.Model;

/// <summary>
/// The envelope fields every sent event carries next to its own properties (same JSON object), as names; the
/// fields themselves (JSON type, constraints, required or not) are <see cref="EnvelopeFields.All"/>.
/// </summary>
public static class Envelope
{
    /// <summary>Names of the fields every event carries, in wire order.</summary>
    public static readonly string[] Fields = EnvelopeFields.All.Where(f => f.AlwaysWritten).Select(f => f.Name).ToArray();

    /// <summary>
    /// Optional identity fields a pipeline may add for providers and GDPR export/erase (never required by the schema).
    /// </summary>
    public static readonly string[] OptionalFields = EnvelopeFields.All.Where(f => !f.AlwaysWritten).Select(f => f.Name).ToArray();

    /// <summary>True when a property name would clash with an envelope field.</summary>
    public static bool IsReserved(string name) => EnvelopeFields.IsEnvelopeField(name);
}
