using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// SQLite storage (the default): one file in WAL mode, <c>event_id</c> as the primary key so retries are stored
/// once (<c>INSERT ... ON CONFLICT(event_id) DO NOTHING</c>), indexes on (event, timestamp), (user_id, timestamp),
/// (session_id), (anonymous_id), (timestamp) and (received_at). Times are stored as Unix milliseconds (UTC).
/// Writes come from the single group-commit writer; reads open their own pooled connections.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore, IControlStore
{
    private const string Columns =
        "event_id, id_from_fingerprint, project, event, timestamp, received_at, session_id, user_id, anonymous_id, client_version, schema_version, sampling_rate, user_bucket, ip, device, os, browser, payload";

    private readonly string _connectionString;
    private readonly bool _fullSync;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly HashSet<Guid> _erased = new(); // ids of erased events (ingest_erased_ids), under _writeLock
    private SqliteConnection? _writer;

    /// <summary>Creates the store; nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=/var/lib/ingest/ingest.db</c>.</param>
    /// <param name="fullSync">True for <c>PRAGMA synchronous=FULL</c> (durable across power loss), false for NORMAL (durable across a killed process).</param>
    public SqliteEventStore(string connectionString, bool fullSync = true)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate && builder.DataSource is { Length: > 0 } path && path != ":memory:")
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder)) System.IO.Directory.CreateDirectory(folder);
        }

        _connectionString = builder.ToString();
        _fullSync = fullSync;
    }

    /// <inheritdoc/>
    public string Name => "sqlite";

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _writer = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(_writer, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS events (
                event_id TEXT NOT NULL PRIMARY KEY,
                id_from_fingerprint INTEGER NOT NULL,
                project TEXT NOT NULL,
                event TEXT NOT NULL,
                timestamp INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                session_id TEXT,
                user_id TEXT,
                anonymous_id TEXT,
                client_version TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                sampling_rate REAL NOT NULL,
                user_bucket INTEGER NOT NULL,
                ip TEXT,
                device TEXT,
                os TEXT,
                browser TEXT,
                payload TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_events_event_timestamp ON events (event, timestamp);
            CREATE INDEX IF NOT EXISTS ix_events_user_timestamp ON events (user_id, timestamp);
            CREATE INDEX IF NOT EXISTS ix_events_session ON events (session_id);
            CREATE INDEX IF NOT EXISTS ix_events_anonymous ON events (anonymous_id);
            CREATE INDEX IF NOT EXISTS ix_events_timestamp ON events (timestamp);
            CREATE INDEX IF NOT EXISTS ix_events_received_at ON events (received_at);
            CREATE TABLE IF NOT EXISTS ingest_erased_ids (
                event_id TEXT NOT NULL PRIMARY KEY,
                received_at INTEGER NOT NULL
            );
            """, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(_writer, ControlSchema, cancellationToken).ConfigureAwait(false);
        await LoadErasedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlySet<Guid>> WriteBatchAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<Guid>();
        if (events.Count == 0) return inserted;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = _writer ?? throw new InvalidOperationException("The store is not initialized.");
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO events (" + Columns + ") VALUES ($id, $fp, $project, $event, $ts, $received, $session, $user, $anon, $cv, $sv, $rate, $bucket, $ip, $device, $os, $browser, $payload) ON CONFLICT(event_id) DO NOTHING";
            var p = new SqliteParameter[18];
            string[] names = { "$id", "$fp", "$project", "$event", "$ts", "$received", "$session", "$user", "$anon", "$cv", "$sv", "$rate", "$bucket", "$ip", "$device", "$os", "$browser", "$payload" };
            for (var i = 0; i < names.Length; i++) p[i] = command.Parameters.Add(new SqliteParameter { ParameterName = names[i] });
            command.Prepare();
            foreach (var e in events)
            {
                if (_erased.Count > 0 && _erased.Contains(e.EventId)) continue; // erased (GDPR): never stored again
                p[0].Value = e.EventId.ToString("D");
                p[1].Value = e.IdFromFingerprint ? 1 : 0;
                p[2].Value = e.Project;
                p[3].Value = e.Event;
                p[4].Value = e.Timestamp.ToUnixTimeMilliseconds();
                p[5].Value = e.ReceivedAt.ToUnixTimeMilliseconds();
                p[6].Value = (object?)e.SessionId ?? DBNull.Value;
                p[7].Value = (object?)e.UserId ?? DBNull.Value;
                p[8].Value = (object?)e.AnonymousId ?? DBNull.Value;
                p[9].Value = e.ClientVersion;
                p[10].Value = e.SchemaVersion;
                p[11].Value = e.SamplingRate;
                p[12].Value = e.UserBucket;
                p[13].Value = (object?)e.Ip ?? DBNull.Value;
                p[14].Value = (object?)e.Device ?? DBNull.Value;
                p[15].Value = (object?)e.Os ?? DBNull.Value;
                p[16].Value = (object?)e.Browser ?? DBNull.Value;
                p[17].Value = e.Payload;
                if (command.ExecuteNonQuery() == 1) inserted.Add(e.EventId);
            }

            transaction.Commit();
            return inserted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Reloads the ids of erased events (kept until retention) into memory, so the write path skips them without a
    /// per-row lookup in the database. Called with the write lock held (or before writes start).
    /// </summary>
    private async Task LoadErasedAsync(CancellationToken cancellationToken)
    {
        using var command = _writer!.CreateCommand();
        command.CommandText = "SELECT event_id FROM ingest_erased_ids";
        _erased.Clear();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) _erased.Add(Guid.Parse(reader.GetString(0)));
    }

    /// <inheritdoc/>
    public async Task<SummaryReport> SummaryAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT COALESCE(user_id, anonymous_id)), COUNT(DISTINCT session_id) FROM events WHERE " + Filter(command, query);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new SummaryReport(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<EventCount>> TopEventsAsync(ReportQuery query, int limit, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event, COUNT(*) AS n, COUNT(DISTINCT COALESCE(user_id, anonymous_id)) FROM events WHERE " + Filter(command, query)
            + " GROUP BY event ORDER BY n DESC, event LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<EventCount>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add(new EventCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HourlyCount>> HourlyAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (timestamp / 3600000) * 3600000 AS hour, COUNT(*), COUNT(DISTINCT COALESCE(user_id, anonymous_id)) FROM events WHERE "
            + Filter(command, query) + " GROUP BY hour ORDER BY hour";
        var result = new List<HourlyCount>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new HourlyCount(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredEvent>> ExportUserAsync(string userId, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT " + Columns + " FROM events WHERE user_id = $u UNION SELECT " + Columns + " FROM events WHERE anonymous_id = $u ORDER BY timestamp, event_id";
        command.Parameters.AddWithValue("$u", userId);
        var result = new List<StoredEvent>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StoredEvent(
                Guid.Parse(reader.GetString(0)),
                reader.GetInt64(1) != 0,
                reader.GetString(2),
                reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                NullableString(reader, 6),
                NullableString(reader, 7),
                NullableString(reader, 8),
                reader.GetString(9),
                reader.GetInt32(10),
                reader.GetDouble(11),
                reader.GetInt32(12),
                NullableString(reader, 13),
                NullableString(reader, 14),
                NullableString(reader, 15),
                NullableString(reader, 16),
                reader.GetString(17)));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<long> EraseUserAsync(string userId, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Keep the erased ids (no personal data in them), so a late client retry cannot bring an erased event back.
            using var transaction = _writer!.BeginTransaction();
            using var remember = _writer.CreateCommand();
            remember.Transaction = transaction;
            remember.CommandText = "INSERT OR IGNORE INTO ingest_erased_ids (event_id, received_at) SELECT event_id, received_at FROM events WHERE user_id = $u OR anonymous_id = $u";
            remember.Parameters.AddWithValue("$u", userId);
            await remember.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM events WHERE user_id = $u OR anonymous_id = $u";
            command.Parameters.AddWithValue("$u", userId);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            await LoadErasedAsync(cancellationToken).ConfigureAwait(false);
            return deleted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<long> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            // Small chunks so the writer lock is never held long.
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            int deleted;
            try
            {
                using var command = _writer!.CreateCommand();
                command.CommandText = "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE received_at < $cutoff LIMIT 5000); DELETE FROM ingest_erased_ids WHERE rowid IN (SELECT rowid FROM ingest_erased_ids WHERE received_at < $cutoff LIMIT 5000)";
                command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
                deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }

            total += deleted;
            if (deleted < 5000)
            {
                await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await LoadErasedAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _writeLock.Release();
                }

                return total;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM events LIMIT 1";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
            using var pooled = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(pooled); // release the file so it can be moved or deleted

        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, _fullSync ? "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;" : "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Filter(SqliteCommand command, ReportQuery query)
    {
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        var sql = "timestamp >= $from AND timestamp < $to";
        if (query.Project is not null)
        {
            command.Parameters.AddWithValue("$project", query.Project);
            sql += " AND project = $project";
        }

        if (query.Event is not null)
        {
            command.Parameters.AddWithValue("$event", query.Event);
            sql += " AND event = $event";
        }

        return sql;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
