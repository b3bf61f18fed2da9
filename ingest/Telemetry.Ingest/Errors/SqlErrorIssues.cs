using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Ingest.Errors;

/// <summary>
/// The one implementation of <see cref="IErrorIssueStore"/> over SQL, shared by the SQLite and PostgreSQL stores: the
/// queries, the issue life cycle and the merge rules are here; each store gives only its <see cref="SqlErrorDialect"/>
/// (how its database reads a JSON field, concatenates strings and keeps a time) and a way to open a connection.
/// </summary>
internal sealed class SqlErrorIssues
{
    private readonly SqlErrorDialect _dialect;
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private int _schemaReady;

    public SqlErrorIssues(SqlErrorDialect dialect, Func<CancellationToken, Task<DbConnection>> open)
    {
        _dialect = dialect;
        _open = open;
    }

    private string Fingerprint => _dialect.JsonText("fingerprint");

    public async Task<IssueChange> RecordSeenAsync(string project, string fingerprint, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = Command(connection, "INSERT INTO error_issues (project, fingerprint, first_seen) VALUES (@p, @f, @t) ON CONFLICT (project, fingerprint) DO NOTHING"))
        {
            AddKey(insert, project, fingerprint);
            Add(insert, "@t", _dialect.ToDatabase(receivedAt));
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1) return IssueChange.New;
        }

        await using var reopen = Command(connection, "UPDATE error_issues SET resolved_at = NULL WHERE project = @p AND fingerprint = @f AND resolved_at IS NOT NULL AND resolved_at < @t");
        AddKey(reopen, project, fingerprint);
        Add(reopen, "@t", _dialect.ToDatabase(receivedAt));
        return await reopen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? IssueChange.Regressed : IssueChange.None;
    }

    public async Task<IReadOnlyList<ErrorIssue>> ListIssuesAsync(ErrorIssueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var aggregates = new List<ErrorIssueRows.Aggregate>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project, " + Fingerprint + " AS fp, COUNT(*), COALESCE(SUM(COALESCE(" + _dialect.JsonInteger("suppressed") + ", 0)), 0), MIN(timestamp), MAX(timestamp), "
                + "COUNT(DISTINCT COALESCE(user_id, anonymous_id)), COUNT(DISTINCT session_id), " + _dialect.DistinctConcat("client_version") + ", MAX(received_at) "
                + "FROM events WHERE " + Filter(command, query) + " GROUP BY project, fp";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(1)) continue;
                aggregates.Add(new ErrorIssueRows.Aggregate(reader.GetString(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                    Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture), _dialect.ReadTime(reader, 4), _dialect.ReadTime(reader, 5),
                    reader.GetInt64(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetString(8), _dialect.ReadTime(reader, 9)));
            }
        }

        var latest = new Dictionary<(string, string), string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project, fp, payload FROM (SELECT project, " + Fingerprint + " AS fp, payload, "
                + "ROW_NUMBER() OVER (PARTITION BY project, " + Fingerprint + " ORDER BY timestamp DESC, received_at DESC, event_id) AS rn "
                + "FROM events WHERE " + Filter(command, query) + ") AS e WHERE rn = 1 AND fp IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) latest[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        var states = new Dictionary<(string, string), ErrorIssueRows.State>();
        await using (var command = Command(connection, "SELECT project, fingerprint, resolved_at FROM error_issues"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                states[(reader.GetString(0), reader.GetString(1))] = new ErrorIssueRows.State(reader.IsDBNull(2) ? null : _dialect.ReadTime(reader, 2));
            }
        }

        return ErrorIssueRows.Merge(aggregates, latest, states, query);
    }

    public async Task<bool> ResolveIssueAsync(string project, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await IssueExistsAsync(connection, project, fingerprint, cancellationToken).ConfigureAwait(false)) return false;
        await using var command = Command(connection, "INSERT INTO error_issues (project, fingerprint, first_seen, resolved_at) VALUES (@p, @f, @t, @t) "
            + "ON CONFLICT (project, fingerprint) DO UPDATE SET resolved_at = excluded.resolved_at");
        AddKey(command, project, fingerprint);
        Add(command, "@t", _dialect.ToDatabase(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> ReopenIssueAsync(string project, string fingerprint, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await IssueExistsAsync(connection, project, fingerprint, cancellationToken).ConfigureAwait(false)) return false;
        await using var command = Command(connection, "UPDATE error_issues SET resolved_at = NULL WHERE project = @p AND fingerprint = @f");
        AddKey(command, project, fingerprint);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> IssueExistsAsync(DbConnection connection, string project, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT 1 FROM events WHERE event = @e AND project = @p AND " + Fingerprint + " = @f LIMIT 1");
        Add(command, "@e", ErrorIssueRows.EventName);
        AddKey(command, project, fingerprint);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null and not DBNull;
    }

    private string Filter(DbCommand command, ErrorIssueQuery query)
    {
        Add(command, "@e", ErrorIssueRows.EventName);
        var sql = "event = @e";
        if (query.Project is not null)
        {
            Add(command, "@p", query.Project);
            sql += " AND project = @p";
        }

        if (query.Fingerprint is not null)
        {
            Add(command, "@f", query.Fingerprint);
            sql += " AND " + Fingerprint + " = @f";
        }

        return sql;
    }

    /// <summary>A connection with <c>error_issues</c> created (once per store).</summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _open(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _schemaReady) == 0)
        {
            await using (var command = Command(connection, _dialect.Schema))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            Volatile.Write(ref _schemaReady, 1);
        }

        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void AddKey(DbCommand command, string project, string fingerprint)
    {
        Add(command, "@p", project);
        Add(command, "@f", fingerprint);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}

/// <summary>What differs between the databases for <see cref="SqlErrorIssues"/>.</summary>
/// <param name="Schema">The <c>error_issues</c> table (times in the store's own time type).</param>
/// <param name="JsonText">SQL reading a text field of the event's JSON <c>payload</c>.</param>
/// <param name="JsonInteger">SQL reading an integer field of <c>payload</c>.</param>
/// <param name="DistinctConcat">SQL joining the distinct values of a column with commas (an aggregate).</param>
/// <param name="ToDatabase">A time as the store keeps it.</param>
/// <param name="ReadTime">A time column as read back.</param>
internal sealed record SqlErrorDialect(
    string Schema,
    Func<string, string> JsonText,
    Func<string, string> JsonInteger,
    Func<string, string> DistinctConcat,
    Func<DateTimeOffset, object> ToDatabase,
    Func<DbDataReader, int, DateTimeOffset> ReadTime);
