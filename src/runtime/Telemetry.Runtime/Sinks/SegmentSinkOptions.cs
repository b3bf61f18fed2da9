using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>Options of <see cref="SegmentSink"/> (Segment HTTP Tracking API, <c>/v1/batch</c>).</summary>
public sealed class SegmentSinkOptions : HttpTelemetrySinkOptions
{
    /// <summary>The US endpoint host, <c>https://api.segment.io</c> (the default).</summary>
    public static Uri UsHost { get; } = new("https://api.segment.io");

    /// <summary>
    /// The EU endpoint host, <c>https://events.eu1.segmentapis.com</c>. EU workspaces must use it: the US
    /// endpoint accepts their events without error and they never appear.
    /// </summary>
    public static Uri EuHost { get; } = new("https://events.eu1.segmentapis.com");

    /// <summary>The source's write key (sent as HTTP Basic user name with an empty password).</summary>
    public string WriteKey { get; set; } = string.Empty;

    /// <summary>API host; <see cref="UsHost"/> by default, <see cref="EuHost"/> for EU workspaces.</summary>
    public Uri Host { get; set; } = UsHost;

    /// <summary>
    /// The <c>anonymousId</c> for events that carry neither a user id nor an anonymous id (Segment requires
    /// one of them), e.g. a per-installation id. When null, the event's <c>session_id</c> is used, so such
    /// events are at least grouped per session; events with none of these are rejected.
    /// </summary>
    public string? FallbackAnonymousId { get; set; }

    /// <summary>Events per request, at most Segment's 2,500 (the sink's <see cref="ITelemetrySink.MaxBatchSize"/>).</summary>
    public override int MaxBatchSize { get; set; } = SegmentSink.MaxEventsPerRequest;

    /// <inheritdoc/>
    protected override void AddValidationErrors(ICollection<string> errors)
    {
        base.AddValidationErrors(errors);
        RequireText(WriteKey, nameof(WriteKey), errors);
        ValidateEndpoint(Host, nameof(Host), errors);
        if (MaxBatchSize is < 1 or > SegmentSink.MaxEventsPerRequest) errors.Add($"MaxBatchSize must be 1..{SegmentSink.MaxEventsPerRequest}");
        if (FallbackAnonymousId is not null && string.IsNullOrWhiteSpace(FallbackAnonymousId)) errors.Add("FallbackAnonymousId must not be blank (use null)");
    }
}
