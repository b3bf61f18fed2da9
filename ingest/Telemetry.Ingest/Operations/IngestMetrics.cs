using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;

namespace Telemetry.Ingest.Operations;

/// <summary>
/// The server's instruments (meter <c>Telemetry.Ingest</c>), exported on <c>/metrics</c> as
/// <c>telemetry_ingest_events_incoming_total</c>, <c>_forwarded_total</c>, <c>_dropped_total</c>,
/// <c>_validation_errors_total</c>, <c>_rate_limited_total</c>, <c>_stored_total</c>, <c>_duplicates_total</c> and the
/// histogram <c>telemetry_ingest_request_duration_seconds</c>. Totals are also kept as plain numbers for <c>/admin/stats</c>.
/// </summary>
public sealed class IngestMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Telemetry.Ingest";

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

    /// <summary>Creates the instruments, through <paramref name="meterFactory"/> when one is given.</summary>
    public IngestMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _incoming = _meter.CreateCounter<long>("telemetry_ingest_events_incoming", "{event}", "Events received in readable requests.");
        _forwarded = _meter.CreateCounter<long>("telemetry_ingest_events_forwarded", "{event}", "Events delivered to the forwarding provider.");
        _dropped = _meter.CreateCounter<long>("telemetry_ingest_events_dropped", "{event}", "Events neither stored nor forwarded (invalid, or permanently rejected by the provider).");
        _validationErrors = _meter.CreateCounter<long>("telemetry_ingest_events_validation_errors", "{event}", "Events rejected by schema validation.");
        _rateLimited = _meter.CreateCounter<long>("telemetry_ingest_events_rate_limited", "{request}", "Requests answered 429.");
        _stored = _meter.CreateCounter<long>("telemetry_ingest_events_stored", "{event}", "Events newly stored.");
        _duplicates = _meter.CreateCounter<long>("telemetry_ingest_events_duplicates", "{event}", "Accepted events already stored (client retries).");
        _duration = _meter.CreateHistogram<double>("telemetry_ingest_request_duration", "s", "Duration of ingest requests.");

        // Publish every series from the start, so rate() and absent() alerts work before the first event.
        _errorsCaptured = _meter.CreateCounter<long>("telemetry_ingest_errors_captured", "{error}", "Errors reported by clients (error.captured events stored, plus those the clients' rate limit counted).");
        _errorIssuesNew = _meter.CreateCounter<long>("telemetry_ingest_error_issues_new", "{issue}", "Error fingerprints seen for the first time, and resolved issues that came back.");
        _errorsCaptured.Add(0);
        _errorIssuesNew.Add(0);
        _incoming.Add(0);
        _forwarded.Add(0);
        _validationErrors.Add(0);
        _rateLimited.Add(0);
        _stored.Add(0);
        _duplicates.Add(0);
        _dropped.Add(0, new KeyValuePair<string, object?>("reason", "invalid"));
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

    internal void Incoming(long n)
    {
        if (n <= 0) return;
        Interlocked.Add(ref _incomingTotal, n);
        _incoming.Add(n);
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

    internal void ValidationErrors(long n)
    {
        if (n <= 0) return;
        Interlocked.Add(ref _validationErrorsTotal, n);
        _validationErrors.Add(n);
    }

    internal void RateLimited()
    {
        Interlocked.Increment(ref _rateLimitedTotal);
        _rateLimited.Add(1);
    }

    internal void Stored(long stored, long duplicates)
    {
        if (stored > 0)
        {
            Interlocked.Add(ref _storedTotal, stored);
            _stored.Add(stored);
        }

        if (duplicates > 0)
        {
            Interlocked.Add(ref _duplicatesTotal, duplicates);
            _duplicates.Add(duplicates);
        }
    }

    internal void RequestDuration(TimeSpan elapsed, string endpoint, int status) =>
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
