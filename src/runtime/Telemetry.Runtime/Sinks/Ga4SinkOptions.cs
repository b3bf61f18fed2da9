using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>
/// Options of <see cref="Ga4Sink"/> (Google Analytics 4 Measurement Protocol, <c>/mp/collect</c>, web data streams).
/// </summary>
public sealed class Ga4SinkOptions : HttpTelemetrySinkOptions
{
    /// <summary>The global host, <c>https://www.google-analytics.com</c> (the default).</summary>
    public static Uri GlobalHost { get; } = new("https://www.google-analytics.com");

    /// <summary>The EU host, <c>https://region1.google-analytics.com</c>: data is collected in the EU.</summary>
    public static Uri EuHost { get; } = new("https://region1.google-analytics.com");

    /// <summary>The web data stream's measurement id (<c>G-XXXXXXX</c>; Admin → Data streams → the stream).</summary>
    public string MeasurementId { get; set; } = string.Empty;

    /// <summary>A Measurement Protocol API secret of that stream (Admin → Data streams → the stream → Measurement Protocol API secrets).</summary>
    public string ApiSecret { get; set; } = string.Empty;

    /// <summary>Collection host; <see cref="GlobalHost"/> by default, <see cref="EuHost"/> to collect in the EU.</summary>
    public Uri Host { get; set; } = GlobalHost;

    /// <summary>
    /// The <c>client_id</c> for events without an anonymous id (GA4 requires one per request), e.g. a
    /// per-installation id. When null, the event's <c>session_id</c> is used; events with none are rejected.
    /// </summary>
    public string? FallbackClientId { get; set; }

    /// <summary>
    /// Longest parameter value in characters: GA4's 100 by default; 500 for Google Analytics 360 properties.
    /// Longer string values reject the event with a reason, unless <see cref="TruncateLongValues"/> is set.
    /// </summary>
    public int MaxParamValueLength { get; set; } = Ga4Sink.MaxParamValueLengthStandard;

    /// <summary>
    /// Cut string values longer than <see cref="MaxParamValueLength"/> to that length instead of rejecting
    /// the event (GA4 itself would store a cut or no value; this makes the cut ours and predictable).
    /// </summary>
    public bool TruncateLongValues { get; set; }

    /// <summary>
    /// Sends <c>engagement_time_msec</c> with this value on every event when set (GA4 shows an event in
    /// Realtime and counts the user as engaged only with it). Null (the default) sends none.
    /// </summary>
    public int? EngagementTimeMsec { get; set; }

    /// <summary>Events per request, at most GA4's 25.</summary>
    public override int MaxBatchSize { get; set; } = Ga4Sink.MaxEventsPerRequest;

    /// <inheritdoc/>
    protected override void AddValidationErrors(ICollection<string> errors)
    {
        base.AddValidationErrors(errors);
        RequireText(MeasurementId, nameof(MeasurementId), errors);
        RequireText(ApiSecret, nameof(ApiSecret), errors);
        ValidateEndpoint(Host, nameof(Host), errors);
        if (FallbackClientId is not null && string.IsNullOrWhiteSpace(FallbackClientId)) errors.Add("FallbackClientId must not be blank (use null)");
        if (MaxBatchSize is < 1 or > Ga4Sink.MaxEventsPerRequest) errors.Add($"MaxBatchSize must be 1..{Ga4Sink.MaxEventsPerRequest}");
        if (MaxParamValueLength is < 1 or > Ga4Sink.MaxParamValueLength360) errors.Add($"MaxParamValueLength must be 1..{Ga4Sink.MaxParamValueLength360}");
        if (EngagementTimeMsec is < 1) errors.Add("EngagementTimeMsec must be positive (or null)");
        foreach (var pair in PropertyNames)
        {
            if (pair.Value is not null && Ga4Names.ParamNameProblem(pair.Value) is { } problem) errors.Add($"PropertyNames maps '{pair.Key}' to '{pair.Value}': {problem}");
        }
    }
}
