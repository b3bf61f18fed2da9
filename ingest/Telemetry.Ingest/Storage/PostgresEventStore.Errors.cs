using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using Telemetry.Ingest.Errors;

namespace Telemetry.Ingest.Storage;

/// <summary>The <see cref="IErrorIssueStore"/> part of the PostgreSQL store: issues computed from <c>error.captured</c> events.</summary>
public sealed partial class PostgresEventStore : IErrorIssueStore
{
    private const string ErrorSchema = """
        CREATE TABLE IF NOT EXISTS error_issues (
            project text NOT NULL,
            fingerprint text NOT NULL,
            first_seen timestamptz NOT NULL,
            resolved_at timestamptz,
            PRIMARY KEY (project, fingerprint)
        );
        """;

    private const string ErrorFingerprint = "(payload::jsonb ->> 'fingerprint')";

    private int _errorSchemaReady;

    /// <inheritdoc/>
    public async Task<IssueChange> RecordSeenAsync(string project, string fingerprint, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand("INSERT INTO error_issues (project, fingerprint, first_seen) VALUES (@p, @f, @t) ON CONFLICT (project, fingerprint) DO NOTHING", connection);
        AddKey(insert, project, fingerprint);
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("t", NpgsqlDbType.TimestampTz) { TypedValue = receivedAt.ToUniversalTime() });
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1) return IssueChange.New;
        await using var reopen = new NpgsqlCommand("UPDATE error_issues SET resolved_at = NULL WHERE project = @p AND fingerprint = @f AND resolved_at IS NOT NULL AND resolved_at < @t", connection);
        AddKey(reopen, project, fingerprint);
        reopen.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("t", NpgsqlDbType.TimestampTz) { TypedValue = receivedAt.ToUniversalTime() });
        return await reopen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? IssueChange.Regressed : IssueChange.None;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ErrorIssue>> ListIssuesAsync(ErrorIssueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        var aggregates = new List<ErrorIssueRows.Aggregate>();
        await using (var command = new NpgsqlCommand())
        {
            command.Connection = connection;
            command.CommandText = "SELECT project, " + ErrorFingerprint + " AS fp, COUNT(*), COALESCE(SUM(COALESCE((payload::jsonb ->> 'suppressed')::bigint, 0)), 0)::bigint, MIN(timestamp), MAX(timestamp), "
                + "COUNT(DISTINCT COALESCE(user_id, anonymous_id)), COUNT(DISTINCT session_id), string_agg(DISTINCT client_version, ','), MAX(received_at) "
                + "FROM events WHERE " + ErrorFilter(command, query) + " GROUP BY project, fp";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(1)) continue;
                aggregates.Add(new ErrorIssueRows.Aggregate(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(6), reader.GetInt64(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetFieldValue<DateTimeOffset>(9)));
            }
        }

        var latest = new Dictionary<(string, string), string>();
        await using (var command = new NpgsqlCommand())
        {
            command.Connection = connection;
            command.CommandText = "SELECT DISTINCT ON (project, fp) project, fp, payload FROM (SELECT project, " + ErrorFingerprint + " AS fp, payload, timestamp, received_at, event_id "
                + "FROM events WHERE " + ErrorFilter(command, query) + ") AS e WHERE fp IS NOT NULL ORDER BY project, fp, timestamp DESC, received_at DESC, event_id";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) latest[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        var states = new Dictionary<(string, string), ErrorIssueRows.State>();
        await using (var command = new NpgsqlCommand("SELECT project, fingerprint, resolved_at FROM error_issues", connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                states[(reader.GetString(0), reader.GetString(1))] = new ErrorIssueRows.State(reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
            }
        }

        return ErrorIssueRows.Merge(aggregates, latest, states, query);
    }

    /// <inheritdoc/>
    public async Task<bool> ResolveIssueAsync(string project, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        if (!await IssueExistsAsync(connection, project, fingerprint, cancellationToken).ConfigureAwait(false)) return false;
        await using var command = new NpgsqlCommand("INSERT INTO error_issues (project, fingerprint, first_seen, resolved_at) VALUES (@p, @f, @t, @t) "
            + "ON CONFLICT (project, fingerprint) DO UPDATE SET resolved_at = excluded.resolved_at", connection);
        AddKey(command, project, fingerprint);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("t", NpgsqlDbType.TimestampTz) { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> ReopenIssueAsync(string project, string fingerprint, CancellationToken cancellationToken)
    {
        await using var connection = await OpenErrorsAsync(cancellationToken).ConfigureAwait(false);
        if (!await IssueExistsAsync(connection, project, fingerprint, cancellationToken).ConfigureAwait(false)) return false;
        await using var command = new NpgsqlCommand("UPDATE error_issues SET resolved_at = NULL WHERE project = @p AND fingerprint = @f", connection);
        AddKey(command, project, fingerprint);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> IssueExistsAsync(NpgsqlConnection connection, string project, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM events WHERE event = @e AND project = @p AND " + ErrorFingerprint + " = @f LIMIT 1", connection);
        command.Parameters.AddWithValue("e", ErrorIssueRows.EventName);
        AddKey(command, project, fingerprint);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static void AddKey(NpgsqlCommand command, string project, string fingerprint)
    {
        command.Parameters.AddWithValue("p", project);
        command.Parameters.AddWithValue("f", fingerprint);
    }

    private static string ErrorFilter(NpgsqlCommand command, ErrorIssueQuery query)
    {
        command.Parameters.AddWithValue("e", ErrorIssueRows.EventName);
        var sql = "event = @e";
        if (query.Project is not null)
        {
            command.Parameters.AddWithValue("p", query.Project);
            sql += " AND project = @p";
        }

        if (query.Fingerprint is not null)
        {
            command.Parameters.AddWithValue("f", query.Fingerprint);
            sql += " AND " + ErrorFingerprint + " = @f";
        }

        return sql;
    }

    private async Task<NpgsqlConnection> OpenErrorsAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _errorSchemaReady) == 0)
        {
            await ExecuteAsync(connection, ErrorSchema, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _errorSchemaReady, 1);
        }

        return connection;
    }
}
