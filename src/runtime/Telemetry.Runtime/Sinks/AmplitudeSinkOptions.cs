using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>Options of <see cref="AmplitudeSink"/> (Amplitude HTTP V2 API, or the Batch Event Upload API).</summary>
public sealed class AmplitudeSinkOptions : HttpTelemetrySinkOptions
{
    /// <summary>The standard (US) host, <c>https://api2.amplitude.com</c> (the default).</summary>
    public static Uri UsHost { get; } = new("https://api2.amplitude.com");

    /// <summary>The EU residency host, <c>https://api.eu.amplitude.com</c>.</summary>
    public static Uri EuHost { get; } = new("https://api.eu.amplitude.com");

    /// <summary>The project's API key (sent in the body as <c>api_key</c>).</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>API host; <see cref="UsHost"/> by default, <see cref="EuHost"/> for EU projects.</summary>
    public Uri Host { get; set; } = UsHost;

    /// <summary>
    /// Post to the Batch Event Upload API (<c>/batch</c>: higher per-device throughput, 20 MB requests, data
    /// queryable within minutes) instead of HTTP V2 (<c>/2/httpapi</c>). Same body and answers.
    /// </summary>
    public bool UseBatchApi { get; set; }

    /// <summary>
    /// Shortest <c>user_id</c>/<c>device_id</c> Amplitude accepts; null keeps Amplitude's default of 5 and
    /// sends no <c>options</c>. Events with shorter ids are rejected before sending.
    /// </summary>
    public int? MinIdLength { get; set; }

    /// <summary>
    /// The <c>device_id</c> for events with neither a user id nor an anonymous id (Amplitude requires one),
    /// e.g. a per-installation id. When null, the event's <c>session_id</c> is used; events with none of these
    /// are rejected.
    /// </summary>
    public string? FallbackDeviceId { get; set; }

    /// <summary>Events per request, at most Amplitude's 2,000.</summary>
    public override int MaxBatchSize { get; set; } = AmplitudeSink.MaxEventsPerRequest;

    /// <summary>
    /// Largest request body sent; bigger batches come back as <see cref="SinkOutcome.TooLarge"/> (split) without
    /// a request. Null: 1,000,000 bytes for HTTP V2 (its documented limit is under 1 MB), 20,000,000 for the
    /// Batch API.
    /// </summary>
    public int? MaxRequestBytes { get; set; }

    /// <summary>Delay asked for after a 429 without <c>Retry-After</c>: Amplitude's 30-second pause per throttled user/device.</summary>
    public TimeSpan ThrottleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    protected override void AddValidationErrors(ICollection<string> errors)
    {
        base.AddValidationErrors(errors);
        RequireText(ApiKey, nameof(ApiKey), errors);
        ValidateEndpoint(Host, nameof(Host), errors);
        if (MinIdLength is < 1) errors.Add("MinIdLength must be at least 1");
        if (MaxBatchSize is < 1 or > AmplitudeSink.MaxEventsPerRequest) errors.Add($"MaxBatchSize must be 1..{AmplitudeSink.MaxEventsPerRequest}");
        if (MaxRequestBytes is < 1024) errors.Add("MaxRequestBytes must be at least 1024");
        if (ThrottleDelay < TimeSpan.Zero) errors.Add("ThrottleDelay must not be negative");
        if (FallbackDeviceId is not null && string.IsNullOrWhiteSpace(FallbackDeviceId)) errors.Add("FallbackDeviceId must not be blank (use null)");
    }
}
