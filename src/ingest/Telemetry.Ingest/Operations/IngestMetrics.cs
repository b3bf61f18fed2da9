using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;

namespace Telemetry.Ingest.Operations;

/// <summary>
/// The server's instruments (meter <c>Telemetry.Ingest</c>), named the OpenTelemetry way (dotted, see
/// <see cref="Instruments"/>). A Prometheus exporter shows them as <c>telemetry_ingest_events_incoming_total</c>,
/// <c>_forwarded_total</c>, <c>_dropped_total</c>, <c>_validation_errors_total</c>, <c>_rate_limited_total</c>,
/// <c>_stored_total</c>, <c>_duplicates_total</c> and the histogram <c>telemetry_ingest_request_duration_seconds</c>.
/// The incoming, stored and validation-error counters carry an <see cref="EventTag"/> label bounded by the catalog.
/// Totals are also kept as plain numbers for <c>/admin/stats</c>.
/// </summary>
public sealed class IngestMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Telemetry.Ingest";

    /// <summary>The instrument names (the dashboards and alerts query their Prometheus forms).</summary>
    public static class Instruments
    {
        /// <summary>Counter of events received in readable requests.</summary>
        public const string EventsIncoming = "telemetry.ingest.events.incoming";

        /// <summary>Counter of events delivered to the forwarding provider.</summary>
        public const string EventsForwarded = "telemetry.ingest.events.forwarded";

        /// <summary>Counter of events neither stored nor forwarded (label <c>reason</c>).</summary>
        public const string EventsDropped = "telemetry.ingest.events.dropped";

        /// <summary>Counter of events rejected by schema validation.</summary>
        public const string EventsValidationErrors = "telemetry.ingest.events.validation_errors";

        /// <summary>Counter of requests answered 429.</summary>
        public const string EventsRateLimited = "telemetry.ingest.events.rate_limited";

        /// <summary>Counter of events newly stored.</summary>
        public const string EventsStored = "telemetry.ingest.events.stored";

        /// <summary>Counter of accepted events already stored (client retries).</summary>
        public const string EventsDuplicates = "telemetry.ingest.events.duplicates";

        /// <summary>Histogram of ingest request durations in seconds (labels <c>endpoint</c>, <c>status</c>).</summary>
        public const string RequestDuration = "telemetry.ingest.request.duration";

        /// <summary>Counter of errors reported by clients (<c>error.captured</c> events stored, plus those the clients' rate limit counted).</summary>
        public const string ErrorsCaptured = "telemetry.ingest.errors.captured";

        /// <summary>Counter of error fingerprints seen for the first time, and resolved issues that came back (label <c>change</c>).</summary>
        public const string ErrorIssuesNew = "telemetry.ingest.error_issues.new";
    }

    private readonly Meter _meter;
    private readonly Counter<long> _incoming;
    private readonly Counter<long> _forwarded;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _validationErrors;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errorsCaptured;
    private readonly Counter<long> _errorIssuesNew;
    private long _incomingTotal;
    private long _forwardedTotal;
    private long _droppedTotal;
    private long _validationErrorsTotal;
    private long _rateLimitedTotal;
    private long _storedTotal;
    private long _duplicatesTotal;
    private long _errorsCapturedTotal;

    /// <summary>Tag of the incoming, stored and validation-error counters: the catalog event name, or <see cref="OtherEvent"/>.</summary>
    public const string EventTag = "event";

    /// <summary>The <see cref="EventTag"/> value of names the catalog does not define (and of events without a name), so the tag stays bounded.</summary>
    public const string OtherEvent = "other";

    private readonly Dictionary<string, string> _eventLabels = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments, through <paramref name="meterFactory"/> when one is given.</summary>
    /// <param name="meterFactory">Creates the meter (the host's, so it is disposed with the host); a plain meter when null.</param>
    /// <param name="catalogEvents">The catalog's event names: the values the <see cref="EventTag"/> may take besides <see cref="OtherEvent"/>.</param>
    public IngestMetrics(IMeterFactory? meterFactory = null, IEnumerable<string>? catalogEvents = null)
    {
        foreach (var name in catalogEvents ?? Array.Empty<string>()) _eventLabels[name] = name;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _incoming = _meter.CreateCounter<long>(Instruments.EventsIncoming, "{event}", "Events received in readable requests.");
        _forwarded = _meter.CreateCounter<long>(Instruments.EventsForwarded, "{event}", "Events delivered to the forwarding provider.");
        _dropped = _meter.CreateCounter<long>(Instruments.EventsDropped, "{event}", "Events neither stored nor forwarded (invalid, or permanently rejected by the provider).");
        _validationErrors = _meter.CreateCounter<long>(Instruments.EventsValidationErrors, "{event}", "Events rejected by schema validation.");
        _rateLimited = _meter.CreateCounter<long>(Instruments.EventsRateLimited, "{request}", "Requests answered 429.");
        _stored = _meter.CreateCounter<long>(Instruments.EventsStored, "{event}", "Events newly stored.");
        _duplicates = _meter.CreateCounter<long>(Instruments.EventsDuplicates, "{event}", "Accepted events already stored (client retries).");
        _duration = _meter.CreateHistogram<double>(Instruments.RequestDuration, "s", "Duration of ingest requests.");

        // Publish every series from the start, so rate() and absent() alerts work before the first event.
        foreach (var label in _eventLabels.Values.Append(OtherEvent))
        {
            var tag = new KeyValuePair<string, object?>(EventTag, label);
            _incoming.Add(0, tag);
            _validationErrors.Add(0, tag);
            _stored.Add(0, tag);
        }

        _errorsCaptured = _meter.CreateCounter<long>(Instruments.ErrorsCaptured, "{error}", "Errors reported by clients (error.captured events stored, plus those the clients' rate limit counted).");
        _errorIssuesNew = _meter.CreateCounter<long>(Instruments.ErrorIssuesNew, "{issue}", "Error fingerprints seen for the first time, and resolved issues that came back.");
        _errorsCaptured.Add(0);
        _errorIssuesNew.Add(0);
        _forwarded.Add(0);
        _rateLimited.Add(0);
        _duplicates.Add(0);
        _dropped.Add(0, new KeyValuePair<string, object?>("reason", "invalid"));
        _dropped.Add(0, new KeyValuePair<string, object?>("reason", "timestamp-out-of-range"));
        _dropped.Add(0, new KeyValuePair<string, object?>("reason", "internal"));
    }

    /// <summary>Events received in readable requests.</summary>
    public long IncomingTotal => Interlocked.Read(ref _incomingTotal);

    /// <summary>Events forwarded.</summary>
    public long ForwardedTotal => Interlocked.Read(ref _forwardedTotal);

    /// <summary>Events dropped.</summary>
    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    /// <summary>Events rejected by validation.</summary>
    public long ValidationErrorsTotal => Interlocked.Read(ref _validationErrorsTotal);

    /// <summary>Requests rate limited.</summary>
    public long RateLimitedTotal => Interlocked.Read(ref _rateLimitedTotal);

    /// <summary>Events newly stored.</summary>
    public long StoredTotal => Interlocked.Read(ref _storedTotal);

    /// <summary>Duplicate events skipped.</summary>
    public long DuplicatesTotal => Interlocked.Read(ref _duplicatesTotal);

    /// <summary>The <see cref="EventTag"/> value of <paramref name="eventName"/>: itself when the catalog defines it, else <see cref="OtherEvent"/>.</summary>
    public string EventLabel(string? eventName) => eventName is not null && _eventLabels.TryGetValue(eventName, out var label) ? label : OtherEvent;

    /// <summary>One event received in a readable request.</summary>
    internal void Incoming(string? eventName)
    {
        Interlocked.Increment(ref _incomingTotal);
        _incoming.Add(1, new KeyValuePair<string, object?>(EventTag, EventLabel(eventName)));
    }

    internal void Forwarded(long n)
    {
        if (n <= 0) return;
        Interlocked.Add(ref _forwardedTotal, n);
        _forwarded.Add(n);
    }

    internal void Dropped(long n, string reason)
    {
        if (n <= 0) return;
        Interlocked.Add(ref _droppedTotal, n);
        _dropped.Add(n, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>One event rejected by validation.</summary>
    internal void ValidationError(string? eventName)
    {
        Interlocked.Increment(ref _validationErrorsTotal);
        _validationErrors.Add(1, new KeyValuePair<string, object?>(EventTag, EventLabel(eventName)));
    }

    internal void RateLimited()
    {
        Interlocked.Increment(ref _rateLimitedTotal);
        _rateLimited.Add(1);
    }

    /// <summary>One event newly stored.</summary>
    internal void Stored(string eventName)
    {
        Interlocked.Increment(ref _storedTotal);
        _stored.Add(1, new KeyValuePair<string, object?>(EventTag, EventLabel(eventName)));
    }

    internal void Duplicates(long duplicates)
    {
        if (duplicates > 0)
        {
            Interlocked.Add(ref _duplicatesTotal, duplicates);
            _duplicates.Add(duplicates);
        }
    }

    internal void RequestDuration(TimeSpan elapsed, string endpoint, string status) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", status));

    /// <summary>Errors counted into issues so far.</summary>
    public long ErrorsCapturedTotal => Interlocked.Read(ref _errorsCapturedTotal);

    internal void ErrorsCaptured(long n)
    {
        Interlocked.Add(ref _errorsCapturedTotal, n);
        _errorsCaptured.Add(n);
    }

    internal void ErrorIssueOpened(string change) => _errorIssuesNew.Add(1, new KeyValuePair<string, object?>("change", change));

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
