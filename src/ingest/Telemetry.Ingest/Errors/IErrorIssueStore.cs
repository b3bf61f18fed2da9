using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Ingest.Errors;

/// <summary>
/// Errors grouped into issues. An issue's numbers (count, first and last seen, affected users and sessions, client
/// versions, latest breadcrumbs) are computed from the stored <c>error.captured</c> events, so they follow dedup,
/// retention and GDPR erasure exactly; only its life cycle (first seen by this server, resolved) is kept in
/// <c>error_issues</c>. Implemented by <see cref="Storage.SqliteEventStore"/> and <see cref="Storage.PostgresEventStore"/>.
/// </summary>
public interface IErrorIssueStore
{
    /// <summary>
    /// Notes that events of <paramref name="fingerprint"/> were stored at <paramref name="receivedAt"/>: creates the issue
    /// (<see cref="IssueChange.New"/>), reopens it when it was resolved before then (<see cref="IssueChange.Regressed"/>),
    /// or changes nothing.
    /// </summary>
    Task<IssueChange> RecordSeenAsync(string project, string fingerprint, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>The issues, most recently seen first.</summary>
    Task<IReadOnlyList<ErrorIssue>> ListIssuesAsync(ErrorIssueQuery query, CancellationToken cancellationToken);

    /// <summary>Marks an issue resolved at <paramref name="at"/> (an event stored later reopens it); false when unknown.</summary>
    Task<bool> ResolveIssueAsync(string project, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Reopens a resolved issue; false when unknown.</summary>
    Task<bool> ReopenIssueAsync(string project, string fingerprint, CancellationToken cancellationToken);
}

/// <summary>What storing an error did to its issue.</summary>
public enum IssueChange
{
    /// <summary>A known open issue.</summary>
    None,
    /// <summary>The first event of a fingerprint.</summary>
    New,
    /// <summary>An event of a resolved issue: reopened.</summary>
    Regressed,
}

/// <summary>Which issues to list.</summary>
/// <param name="Project">Only this project's.</param>
/// <param name="Fingerprint">Only this fingerprint.</param>
/// <param name="Status"><c>open</c>, <c>resolved</c> or null for both.</param>
/// <param name="Limit">Most issues returned.</param>
public sealed record ErrorIssueQuery(string? Project = null, string? Fingerprint = null, string? Status = null, int Limit = 100);

/// <summary>One issue: the errors of one fingerprint in one project.</summary>
/// <param name="Project">Project of the write key.</param>
/// <param name="Fingerprint">Grouping key.</param>
/// <param name="Status"><c>open</c> or <c>resolved</c>.</param>
/// <param name="ErrorType">Exception type of the latest event.</param>
/// <param name="Message">Message of the latest event.</param>
/// <param name="Level">Level of the latest event.</param>
/// <param name="Count">Errors: stored events plus those the clients counted but did not send (rate limit).</param>
/// <param name="Events">Stored events.</param>
/// <param name="FirstSeen">Earliest event time (client clock).</param>
/// <param name="LastSeen">Latest event time (client clock).</param>
/// <param name="AffectedUsers">Distinct users (user id, else anonymous id).</param>
/// <param name="AffectedSessions">Distinct sessions.</param>
/// <param name="ClientVersions">Distinct client versions, sorted.</param>
/// <param name="LatestBreadcrumbs">Breadcrumbs of the latest event.</param>
/// <param name="LatestStackTrace">Stack trace of the latest event.</param>
/// <param name="ResolvedAt">When it was resolved, if it is.</param>
public sealed record ErrorIssue(
    string Project,
    string Fingerprint,
    string Status,
    string? ErrorType,
    string? Message,
    string? Level,
    long Count,
    long Events,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long AffectedUsers,
    long AffectedSessions,
    IReadOnlyList<string> ClientVersions,
    IReadOnlyList<string> LatestBreadcrumbs,
    string? LatestStackTrace,
    DateTimeOffset? ResolvedAt);
