namespace Telemetry.Ingest;

/// <summary>Endpoint metadata that marks the rate-limited ingest endpoints.</summary>
internal sealed class IngestEndpointMarker
{
    public static readonly IngestEndpointMarker Instance = new();
}
