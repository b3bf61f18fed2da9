using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Errors;

/// <summary>
/// Runs after each commit of the group-commit writer: for every newly stored <c>error.captured</c> event it counts the
/// error (plus the client's <c>suppressed</c> count) in <c>telemetry_ingest_errors_captured</c> and notes its
/// fingerprint, so a fingerprint seen for the first time, or a resolved issue that comes back, increments
/// <c>telemetry_ingest_error_issues_new</c> and logs a warning (the alert rules watch both metrics). A failure here is
/// logged and never fails the request: the events are committed, and the issue list is computed from them anyway.
/// </summary>
internal sealed partial class ErrorIssueTracker
{
    private readonly IErrorIssueStore _store;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<ErrorIssueTracker> _logger;

    /// <summary>Creates the tracker.</summary>
    public ErrorIssueTracker(IErrorIssueStore store, IngestMetrics metrics, ILogger<ErrorIssueTracker> logger)
    {
        _store = store;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Processes the error events among <paramref name="events"/> that <paramref name="inserted"/> says are new.</summary>
    public async Task OnStoredAsync(IReadOnlyList<StoredEvent> events, IReadOnlySet<Guid> inserted)
    {
        Dictionary<(string Project, string Fingerprint), DateTimeOffset>? seen = null;
        var counted = new HashSet<Guid>();
        long errors = 0;
        foreach (var e in events)
        {
            if (!string.Equals(e.Event, ErrorIssueRows.EventName, StringComparison.Ordinal) || !inserted.Contains(e.EventId) || !counted.Add(e.EventId)) continue;
            if (!ErrorIssueRows.TryReadKey(e.Payload, out var fingerprint, out var suppressed)) continue;
            errors += 1 + suppressed;
            seen ??= new();
            var key = (e.Project, fingerprint);
            if (!seen.TryGetValue(key, out var at) || e.ReceivedAt > at) seen[key] = e.ReceivedAt;
        }

        if (seen is null) return;
        _metrics.ErrorsCaptured(errors);
        foreach (var pair in seen)
        {
            try
            {
                var change = await _store.RecordSeenAsync(pair.Key.Project, pair.Key.Fingerprint, pair.Value, CancellationToken.None).ConfigureAwait(false);
                if (change == IssueChange.New)
                {
                    _metrics.ErrorIssueOpened("new");
                    LogNewIssue(pair.Key.Project, pair.Key.Fingerprint);
                }
                else if (change == IssueChange.Regressed)
                {
                    _metrics.ErrorIssueOpened("regressed");
                    LogRegressed(pair.Key.Project, pair.Key.Fingerprint);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRecordFailed(ex, pair.Key.Project, pair.Key.Fingerprint);
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "New error issue {Fingerprint} in project {Project}")]
    private partial void LogNewIssue(string project, string fingerprint);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Resolved error issue {Fingerprint} in project {Project} came back; reopened")]
    private partial void LogRegressed(string project, string fingerprint);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "Recording error issue {Fingerprint} of project {Project} failed; the events are stored and listed, the new-issue signal may be missed")]
    private partial void LogRecordFailed(Exception exception, string project, string fingerprint);
}
