using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Telemetry.Ingest.Errors;

namespace Telemetry.Ingest.Storage;

/// <summary>The <see cref="IErrorIssueStore"/> part of the PostgreSQL store: <see cref="SqlErrorIssues"/> with PostgreSQL's dialect (json field, timestamptz).</summary>
public sealed partial class PostgresEventStore : IErrorIssueStore
{
    private static readonly SqlErrorDialect ErrorDialect = new(
        Schema: """
            CREATE TABLE IF NOT EXISTS error_issues (
                project text NOT NULL,
                fingerprint text NOT NULL,
                first_seen timestamptz NOT NULL,
                resolved_at timestamptz,
                PRIMARY KEY (project, fingerprint)
            );
            """,
        JsonText: field => "(payload::json ->> '" + field + "')",
        ToDatabase: time => time.ToUniversalTime(),
        ReadTime: (reader, ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal));

    private SqlErrorIssues? _errors;

    private SqlErrorIssues Errors => _errors ??= new SqlErrorIssues(ErrorDialect, async ct => await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false));

    /// <inheritdoc/>
    public Task<IssueChange> RecordSeenAsync(string project, string fingerprint, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Errors.RecordSeenAsync(project, fingerprint, receivedAt, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ErrorIssue>> ListIssuesAsync(ErrorIssueQuery query, CancellationToken cancellationToken) => Errors.ListIssuesAsync(query, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> ResolveIssueAsync(string project, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken) =>
        Errors.ResolveIssueAsync(project, fingerprint, at, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> ReopenIssueAsync(string project, string fingerprint, CancellationToken cancellationToken) => Errors.ReopenIssueAsync(project, fingerprint, cancellationToken);
}
