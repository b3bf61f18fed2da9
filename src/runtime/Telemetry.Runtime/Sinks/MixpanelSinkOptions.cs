using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// Options of <see cref="MixpanelSink"/> (Mixpanel Ingestion API, <c>/import</c>). Authenticate with either
/// the <see cref="ProjectToken"/> or a service account (<see cref="ServiceAccountUsername"/>,
/// <see cref="ServiceAccountSecret"/> and <see cref="ProjectId"/>), not both.
/// </summary>
public sealed class MixpanelSinkOptions : HttpTelemetrySinkOptions
{
    /// <summary>The US host, <c>https://api.mixpanel.com</c> (the default).</summary>
    public static Uri UsHost { get; } = new("https://api.mixpanel.com");

    /// <summary>The EU residency host, <c>https://api-eu.mixpanel.com</c>.</summary>
    public static Uri EuHost { get; } = new("https://api-eu.mixpanel.com");

    /// <summary>The project token (sent as HTTP Basic user name with an empty password).</summary>
    public string? ProjectToken { get; set; }

    /// <summary>Service account user name (Owner or Admin role); needs <see cref="ServiceAccountSecret"/> and <see cref="ProjectId"/>.</summary>
    public string? ServiceAccountUsername { get; set; }

    /// <summary>Service account secret.</summary>
    public string? ServiceAccountSecret { get; set; }

    /// <summary>The project id, sent as <c>project_id</c> with service-account credentials.</summary>
    public string? ProjectId { get; set; }

    /// <summary>API host; <see cref="UsHost"/> by default, <see cref="EuHost"/> for EU projects.</summary>
    public Uri Host { get; set; } = UsHost;

    /// <summary>
    /// Strict mode (<c>strict=1</c>, the default and Mixpanel's recommendation): events are validated and
    /// failures reported per event, while the valid ones are still imported.
    /// </summary>
    public bool Strict { get; set; } = true;

    /// <summary>Compress request bodies with gzip (less traffic; the limits still apply to the uncompressed size).</summary>
    public bool Gzip { get; set; }

    /// <summary>Events per request, at most Mixpanel's 2,000.</summary>
    public override int MaxBatchSize { get; set; } = MixpanelSink.MaxEventsPerRequest;

    /// <summary>
    /// Largest uncompressed request body sent; bigger batches come back as <see cref="SinkOutcome.TooLarge"/>
    /// (split) without a request. Default 10 MiB, Mixpanel's current documented limit (its OpenAPI file and
    /// sample 413 answer say 2 MiB, 2,097,152 bytes: set that if 413 answers come back).
    /// </summary>
    public int MaxRequestBytes { get; set; } = 10 * 1024 * 1024;

    /// <inheritdoc/>
    protected override void AddValidationErrors(ICollection<string> errors)
    {
        base.AddValidationErrors(errors);
        ValidateEndpoint(Host, nameof(Host), errors);
        var token = !string.IsNullOrWhiteSpace(ProjectToken);
        var account = !string.IsNullOrWhiteSpace(ServiceAccountUsername) || !string.IsNullOrWhiteSpace(ServiceAccountSecret);
        if (token && account) errors.Add("set either ProjectToken or the service account, not both");
        else if (!token && !account) errors.Add("ProjectToken or ServiceAccountUsername/ServiceAccountSecret/ProjectId is required");
        else if (account)
        {
            RequireText(ServiceAccountUsername, nameof(ServiceAccountUsername), errors);
            RequireText(ServiceAccountSecret, nameof(ServiceAccountSecret), errors);
            RequireText(ProjectId, nameof(ProjectId) + " (with a service account)", errors);
        }

        if (MaxBatchSize is < 1 or > MixpanelSink.MaxEventsPerRequest) errors.Add($"MaxBatchSize must be 1..{MixpanelSink.MaxEventsPerRequest}");
        if (MaxRequestBytes < 1024) errors.Add("MaxRequestBytes must be at least 1024");
    }
}
