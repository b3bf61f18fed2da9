using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Telemetry.Ingest.Errors;

namespace Telemetry.Ingest.Storage;

/// <summary>The <see cref="IErrorIssueStore"/> part of the SQLite store: issues computed from <c>error.captured</c> events.</summary>
public sealed partial class SqliteEventStore : IErrorIssueStore
{
    private const string ErrorSchema = """
        CREATE TABLE IF NOT EXISTS error_issues (
            project TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            resolved_at INTEGER,
            PRIMARY KEY (project, fingerprint)
        );
        """;

    private const string ErrorFingerprint = "json_extract(payload, '$.fingerprint')";

    private int _errorSchemaReady;

    /// <inheritdoc/>
    public async Task<IssueChange> RecordSeenAsync(string project, string fingerprint, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO error_issues (project, fingerprint, first_seen) VALUES ($p, $f, $t) ON CONFLICT(project, fingerprint) DO NOTHING";
        AddKey(insert, project, fingerprint);
        insert.Parameters.AddWithValue("$t", receivedAt.ToUnixTimeMilliseconds());
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1) return IssueChange.New;
        using var reopen = connection.CreateCommand();
        reopen.CommandText = "UPDATE error_issues SET resolved_at = NULL WHERE project = $p AND fingerprint = $f AND resolved_at IS NOT NULL AND resolved_at < $t";
        AddKey(reopen, project, fingerprint);
        reopen.Parameters.AddWithValue("$t", receivedAt.ToUnixTimeMilliseconds());
        return await reopen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? IssueChange.Regressed : IssueChange.None;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ErrorIssue>> ListIssuesAsync(ErrorIssueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        var aggregates = new List<ErrorIssueRows.Aggregate>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project, " + ErrorFingerprint + " AS fp, COUNT(*), SUM(COALESCE(json_extract(payload, '$.suppressed'), 0)), MIN(timestamp), MAX(timestamp), "
                + "COUNT(DISTINCT COALESCE(user_id, anonymous_id)), COUNT(DISTINCT session_id), group_concat(DISTINCT client_version), MAX(received_at) "
                + "FROM events WHERE " + ErrorFilter(command, query) + " GROUP BY project, fp";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(1)) continue;
                aggregates.Add(new ErrorIssueRows.Aggregate(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    reader.GetInt64(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetString(8), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9))));
            }
        }

        var latest = new Dictionary<(string, string), string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project, fp, payload FROM (SELECT project, " + ErrorFingerprint + " AS fp, payload, "
                + "ROW_NUMBER() OVER (PARTITION BY project, " + ErrorFingerprint + " ORDER BY timestamp DESC, received_at DESC, event_id) AS rn "
                + "FROM events WHERE " + ErrorFilter(command, query) + ") WHERE rn = 1 AND fp IS NOT NULL";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) latest[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        var states = new Dictionary<(string, string), ErrorIssueRows.State>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project, fingerprint, resolved_at FROM error_issues";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                states[(reader.GetString(0), reader.GetString(1))] = new ErrorIssueRows.State(reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
            }
        }

        return ErrorIssueRows.Merge(aggregates, latest, states, query);
    }

    /// <inheritdoc/>
    public async Task<bool> ResolveIssueAsync(string project, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        if (!await IssueExistsAsync(connection, project, fingerprint, cancellationToken).ConfigureAwait(false)) return false;
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO error_issues (project, fingerprint, first_seen, resolved_at) VALUES ($p, $f, $t, $t) "
            + "ON CONFLICT(project, fingerprint) DO UPDATE SET resolved_at = excluded.resolved_at";
        AddKey(command, project, fingerprint);
        command.Parameters.AddWithValue("$t", at.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> ReopenIssueAsync(string project, string fingerprint, CancellationToken cancellationToken)
    {
        using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        if (!await IssueExistsAsync(connection, project, fingerprint, cancellationToken).ConfigureAwait(false)) return false;
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE error_issues SET resolved_at = NULL WHERE project = $p AND fingerprint = $f";
        AddKey(command, project, fingerprint);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> IssueExistsAsync(SqliteConnection connection, string project, string fingerprint, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM events WHERE event = $e AND project = $p AND " + ErrorFingerprint + " = $f LIMIT 1";
        command.Parameters.AddWithValue("$e", ErrorIssueRows.EventName);
        AddKey(command, project, fingerprint);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static void AddKey(SqliteCommand command, string project, string fingerprint)
    {
        command.Parameters.AddWithValue("$p", project);
        command.Parameters.AddWithValue("$f", fingerprint);
    }

    private static string ErrorFilter(SqliteCommand command, ErrorIssueQuery query)
    {
        command.Parameters.AddWithValue("$e", ErrorIssueRows.EventName);
        var sql = "event = $e";
        if (query.Project is not null)
        {
            command.Parameters.AddWithValue("$p", query.Project);
            sql += " AND project = $p";
        }

        if (query.Fingerprint is not null)
        {
            command.Parameters.AddWithValue("$f", query.Fingerprint);
            sql += " AND " + ErrorFingerprint + " = $f";
        }

        return sql;
    }

    private async Task<SqliteConnection> OpenErrorsAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _errorSchemaReady) == 0)
        {
            await ExecuteAsync(connection, ErrorSchema, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _errorSchemaReady, 1);
        }

        return connection;
    }
}
