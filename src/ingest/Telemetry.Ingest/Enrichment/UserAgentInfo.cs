namespace Telemetry.Ingest.Enrichment;

/// <summary>What a User-Agent header says about the client.</summary>
/// <param name="Device">desktop, mobile, tablet, bot or other.</param>
/// <param name="Os">Operating system with major version when known, e.g. <c>Android 14</c>, <c>Windows</c>, <c>iOS 17</c>.</param>
/// <param name="Browser">Browser with major version, e.g. <c>Chrome 120</c>; or the HTTP library (<c>.NET</c>, <c>curl</c>).</param>
internal sealed record UserAgentInfo(string Device, string Os, string Browser)
{
    /// <summary>Nothing could be told (no header).</summary>
    public static UserAgentInfo Unknown { get; } = new("other", "unknown", "unknown");
}
