using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
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

    /// <summary>
    /// One read of the error events, grouped here by the fingerprint read from each payload (hash sets count distinct
    /// users, sessions and versions; the latest event's payload is kept per issue), then the life cycle rows. Reading
    /// the JSON here is cheaper than the databases' JSON functions and per-group DISTINCT sorts, and needs no second read.
    /// </summary>
    public async Task<IReadOnlyList<ErrorIssue>> ListIssuesAsync(ErrorIssueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var groups = new Dictionary<(string Project, string Fingerprint), Group>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT project, payload, timestamp, received_at, event_id, COALESCE(user_id, anonymous_id), session_id, client_version FROM events WHERE " + Filter(command, query);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var payload = reader.GetString(1);
                if (!ErrorIssueRows.TryReadKey(payload, out var fingerprint, out var suppressed)) continue;
                var key = (reader.GetString(0), fingerprint);
                if (!groups.TryGetValue(key, out var g)) groups[key] = g = new Group();
                g.Add(suppressed, _dialect.ReadTime(reader, 2), _dialect.ReadTime(reader, 3), Convert.ToString(reader.GetValue(4), CultureInfo.InvariantCulture)!.ToLowerInvariant(), payload,
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7));
            }
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

        var kept = ErrorIssueRows.Select(groups.Select(p => p.Value.ToAggregate(p.Key.Project, p.Key.Fingerprint)), states, query);
        return kept.Select(k => ErrorIssueRows.Build(k, groups[(k.Aggregate.Project, k.Aggregate.Fingerprint)].LatestPayload)).ToList();
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

    /// <summary>One fingerprint's errors as they are read.</summary>
    private sealed class Group
    {
        private readonly HashSet<string> _users = new(StringComparer.Ordinal);
        private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _versions = new(StringComparer.Ordinal);
        private long _events;
        private long _suppressed;
        private DateTimeOffset _first = DateTimeOffset.MaxValue;
        private DateTimeOffset _last = DateTimeOffset.MinValue;
        private DateTimeOffset _received = DateTimeOffset.MinValue;
        private (DateTimeOffset Timestamp, DateTimeOffset Received, string Id) _latest = (DateTimeOffset.MinValue, DateTimeOffset.MinValue, "");

        /// <summary>The payload of the latest event: latest time, then latest arrival, then lowest event id.</summary>
        public string? LatestPayload { get; private set; }

        public void Add(long suppressed, DateTimeOffset timestamp, DateTimeOffset received, string id, string payload, string? user, string? session, string version)
        {
            if (LatestPayload is null || timestamp > _latest.Timestamp || (timestamp == _latest.Timestamp && (received > _latest.Received
                || (received == _latest.Received && string.CompareOrdinal(id, _latest.Id) < 0))))
            {
                _latest = (timestamp, received, id);
                LatestPayload = payload;
            }

            _events++;
            if (suppressed > 0) _suppressed += suppressed;
            if (timestamp < _first) _first = timestamp;
            if (timestamp > _last) _last = timestamp;
            if (received > _received) _received = received;
            if (user is not null) _users.Add(user);
            if (session is not null) _sessions.Add(session);
            _versions.Add(version);
        }

        public ErrorIssueRows.Aggregate ToAggregate(string project, string fingerprint) =>
            new(project, fingerprint, _events, _suppressed, _first, _last, _users.Count, _sessions.Count, string.Join(',', _versions), _received);
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
/// <param name="ToDatabase">A time as the store keeps it.</param>
/// <param name="ReadTime">A time column as read back.</param>
internal sealed record SqlErrorDialect(
    string Schema,
    Func<string, string> JsonText,
    Func<DateTimeOffset, object> ToDatabase,
    Func<DbDataReader, int, DateTimeOffset> ReadTime);
