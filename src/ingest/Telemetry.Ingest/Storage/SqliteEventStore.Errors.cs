using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Telemetry.Ingest.Errors;

namespace Telemetry.Ingest.Storage;

/// <summary>The <see cref="IErrorIssueStore"/> part of the SQLite store: <see cref="SqlErrorIssues"/> with SQLite's dialect (times in Unix milliseconds).</summary>
public sealed partial class SqliteEventStore : IErrorIssueStore
{
    private static readonly SqlErrorDialect ErrorDialect = new(
        Schema: """
            CREATE TABLE IF NOT EXISTS error_issues (
                project TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                first_seen INTEGER NOT NULL,
                resolved_at INTEGER,
                PRIMARY KEY (project, fingerprint)
            );
            """,
        JsonText: field => "json_extract(payload, '$." + field + "')",
        ToDatabase: time => time.ToUnixTimeMilliseconds(),
        ReadTime: (reader, ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal)));

    private SqlErrorIssues? _errors;

    private SqlErrorIssues Errors => _errors ??= new SqlErrorIssues(ErrorDialect, async ct => (DbConnection)await OpenAsync(ct).ConfigureAwait(false));

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
