using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// PostgreSQL storage. <c>events</c> is partitioned by day on <c>received_at</c> (partitions created on demand and
/// dropped by retention); indexes (event, timestamp), (user_id, timestamp), (session_id), (anonymous_id), (timestamp).
/// A batch (repeats inside it removed in memory) is written on the writer's own connection with binary COPY into its temporary
/// staging table (created once per connection, emptied by each commit), then
/// <c>INSERT ... SELECT ... ON CONFLICT (event_id) DO NOTHING</c> into <c>ingest_event_ids</c>, whose primary key is the
/// event id alone, and only the newly claimed ids go on into <c>events</c>. (A unique index on a partitioned table must
/// contain the partition key, so the dedup key lives in that small unpartitioned table; it is what makes client retries,
/// concurrent nodes and retries after a GDPR erase all store an event at most once.)
/// </summary>
public sealed partial class PostgresEventStore : IEventStore, IControlStore
{
    private const string Columns =
        "event_id, id_from_fingerprint, project, event, timestamp, received_at, session_id, user_id, anonymous_id, client_version, schema_version, sampling_rate, user_bucket, ip, device, os, browser, payload";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentDictionary<DateOnly, bool> _partitions = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private NpgsqlConnection? _writer;

    /// <summary>Creates the store over <paramref name="connectionString"/> (e.g. <c>Host=127.0.0.1;Username=postgres;Password=postgres;Database=telemetry</c>).</summary>
    public PostgresEventStore(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <inheritdoc/>
    public string Name => "postgres";

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Serialise schema creation across nodes starting at once.
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(7435001)", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS ingest_event_ids (
                    event_id uuid PRIMARY KEY,
                    received_at timestamptz NOT NULL
                );
                CREATE INDEX IF NOT EXISTS ix_ingest_event_ids_received_at ON ingest_event_ids (received_at);
                CREATE TABLE IF NOT EXISTS events (
                    event_id uuid NOT NULL,
                    id_from_fingerprint boolean NOT NULL,
                    project text NOT NULL,
                    event text NOT NULL,
                    timestamp timestamptz NOT NULL,
                    received_at timestamptz NOT NULL,
                    session_id text,
                    user_id text,
                    anonymous_id text,
                    client_version text NOT NULL,
                    schema_version integer NOT NULL,
                    sampling_rate double precision NOT NULL,
                    user_bucket integer NOT NULL,
                    ip text,
                    device text,
                    os text,
                    browser text,
                    payload text NOT NULL,
                    PRIMARY KEY (event_id, received_at)
                ) PARTITION BY RANGE (received_at);
                CREATE INDEX IF NOT EXISTS ix_events_event_timestamp ON events (event, timestamp);
                CREATE INDEX IF NOT EXISTS ix_events_user_timestamp ON events (user_id, timestamp);
                CREATE INDEX IF NOT EXISTS ix_events_session ON events (session_id);
                CREATE INDEX IF NOT EXISTS ix_events_anonymous ON events (anonymous_id);
                CREATE INDEX IF NOT EXISTS ix_events_timestamp ON events (timestamp);
                """, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, ControlSchema, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(7435001)", CancellationToken.None).ConfigureAwait(false);
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await EnsurePartitionAsync(today, cancellationToken).ConfigureAwait(false);
        await EnsurePartitionAsync(today.AddDays(1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the day partition holding <paramref name="day"/> when missing (idempotent, safe across nodes).</summary>
    public async Task EnsurePartitionAsync(DateOnly day, CancellationToken cancellationToken)
    {
        if (_partitions.ContainsKey(day)) return;
        var name = PartitionName(day);
        var from = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(7435002)", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection,
                $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF events FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')",
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(7435002)", CancellationToken.None).ConfigureAwait(false);
        }

        _partitions[day] = true;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlySet<Guid>> WriteBatchAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<Guid>();
        if (events.Count == 0) return inserted;
        var days = new HashSet<DateOnly>();
        foreach (var e in events) days.Add(DateOnly.FromDateTime(e.ReceivedAt.UtcDateTime));
        foreach (var day in days) await EnsurePartitionAsync(day, cancellationToken).ConfigureAwait(false);

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await WriterAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await WriteBatchCoreAsync(connection, events, inserted, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The connection may be mid-transaction or broken: the next batch starts on a fresh one.
                await connection.DisposeAsync().ConfigureAwait(false);
                _writer = null;
                inserted.Clear();
                throw;
            }
        }
        finally
        {
            _writeGate.Release();
        }

        return inserted;
    }

    /// <summary>
    /// The writer's own connection, kept open between batches with its staging table: a temporary table created per
    /// commit costs catalog writes every time; this one is created once per connection and emptied by each commit.
    /// </summary>
    private async Task<NpgsqlConnection> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is { State: System.Data.ConnectionState.Open } open) return open;
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE IF NOT EXISTS ingest_staging (
                event_id uuid NOT NULL, id_from_fingerprint boolean NOT NULL, project text NOT NULL, event text NOT NULL,
                timestamp timestamptz NOT NULL, received_at timestamptz NOT NULL, session_id text, user_id text, anonymous_id text,
                client_version text NOT NULL, schema_version integer NOT NULL, sampling_rate double precision NOT NULL,
                user_bucket integer NOT NULL, ip text, device text, os text, browser text, payload text NOT NULL
            ) ON COMMIT DELETE ROWS
            """, cancellationToken).ConfigureAwait(false);
        _writer = connection;
        return connection;
    }

    private static async Task WriteBatchCoreAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, HashSet<Guid> inserted, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var import = await connection.BeginBinaryImportAsync("COPY ingest_staging (" + Columns + ") FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            var seen = new HashSet<Guid>();
            foreach (var e in events)
            {
                if (!seen.Add(e.EventId)) continue; // a repeat inside the batch: the first one wins, no sort needed in SQL
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.EventId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.IdFromFingerprint, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.Project, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.Event, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, e.SessionId, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, e.UserId, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, e.AnonymousId, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.ClientVersion, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.SchemaVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.SamplingRate, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.UserBucket, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, e.Ip, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, e.Device, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, e.Os, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(import, e.Browser, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(e.Payload, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand($"""
            WITH fresh AS (
                INSERT INTO ingest_event_ids (event_id, received_at)
                SELECT event_id, received_at FROM ingest_staging
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id)
            INSERT INTO events ({Columns})
            SELECT s.event_id, s.id_from_fingerprint, s.project, s.event, s.timestamp, s.received_at, s.session_id, s.user_id,
                   s.anonymous_id, s.client_version, s.schema_version, s.sampling_rate, s.user_bucket, s.ip, s.device, s.os, s.browser, s.payload
            FROM ingest_staging s JOIN fresh f ON f.event_id = s.event_id
            RETURNING event_id
            """, connection, transaction))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) inserted.Add(reader.GetGuid(0));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<SummaryReport> SummaryAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand();
        command.CommandText = "SELECT count(*), count(DISTINCT COALESCE(user_id, anonymous_id)), count(DISTINCT session_id) FROM events WHERE " + Filter(command, query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new SummaryReport(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<EventCount>> TopEventsAsync(ReportQuery query, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand();
        command.CommandText = "SELECT event, count(*) AS n, count(DISTINCT COALESCE(user_id, anonymous_id)) FROM events WHERE " + Filter(command, query)
            + " GROUP BY event ORDER BY n DESC, event LIMIT @limit";
        command.Parameters.AddWithValue("limit", limit);
        var result = new List<EventCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add(new EventCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HourlyCount>> HourlyAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand();
        command.CommandText = "SELECT date_trunc('hour', timestamp, 'UTC') AS hour, count(*), count(DISTINCT COALESCE(user_id, anonymous_id)) FROM events WHERE "
            + Filter(command, query) + " GROUP BY hour ORDER BY hour";
        var result = new List<HourlyCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new HourlyCount(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredEvent>> ExportUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand();
        command.CommandText = "SELECT " + Columns + " FROM events WHERE user_id = @u OR anonymous_id = @u ORDER BY timestamp, event_id";
        command.Parameters.AddWithValue("u", userId);
        var result = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StoredEvent(
                reader.GetGuid(0),
                reader.GetBoolean(1),
                reader.GetString(2),
                reader.GetString(3),
                new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
                new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetString(9),
                reader.GetInt32(10),
                reader.GetDouble(11),
                reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.IsDBNull(15) ? null : reader.GetString(15),
                reader.IsDBNull(16) ? null : reader.GetString(16),
                reader.GetString(17)));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<long> EraseUserAsync(string userId, CancellationToken cancellationToken)
    {
        // The ids stay in ingest_event_ids (they hold no personal data), so a late client retry cannot bring an erased event back.
        await using var command = _dataSource.CreateCommand("DELETE FROM events WHERE user_id = @u OR anonymous_id = @u");
        command.Parameters.AddWithValue("u", userId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<long> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        cutoff = cutoff.ToUniversalTime();
        long total = 0;
        var cutoffDay = DateOnly.FromDateTime(cutoff.UtcDateTime);
        var whole = new List<string>();
        await using (var list = _dataSource.CreateCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'events' AND c.relname ~ '^events_p[0-9]{8}$'
            """))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (DateOnly.TryParseExact(name.Substring(8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day < cutoffDay) whole.Add(name);
            }
        }

        foreach (var name in whole)
        {
            // Partitions entirely before the cutoff day are counted and dropped: no row-by-row delete.
            await using var count = _dataSource.CreateCommand($"SELECT count(*) FROM {name}");
            total += Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            await using var drop = _dataSource.CreateCommand($"DROP TABLE IF EXISTS {name}");
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (DateOnly.TryParseExact(name.Substring(8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) _partitions.TryRemove(day, out _);
        }

        await using (var rest = _dataSource.CreateCommand("DELETE FROM events WHERE received_at < @cutoff"))
        {
            rest.Parameters.AddWithValue("cutoff", cutoff);
            total += await rest.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var ids = _dataSource.CreateCommand("DELETE FROM ingest_event_ids WHERE received_at < @cutoff"))
        {
            ids.Parameters.AddWithValue("cutoff", cutoff);
            await ids.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Keep tomorrow's partition ready so the first write after midnight does not wait for DDL.
        await EnsurePartitionAsync(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1), cancellationToken).ConfigureAwait(false);
        return total;
    }

    /// <inheritdoc/>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM events");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
        finally
        {
            _writeGate.Release();
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The partition table name of a day: <c>events_pYYYYMMDD</c>.</summary>
    public static string PartitionName(DateOnly day) => "events_p" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter import, string? value, CancellationToken cancellationToken)
    {
        if (value is null) await import.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        else await import.WriteAsync(value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Filter(NpgsqlCommand command, ReportQuery query)
    {
        command.Parameters.AddWithValue("from", query.From.ToUniversalTime());
        command.Parameters.AddWithValue("to", query.To.ToUniversalTime());
        var sql = "timestamp >= @from AND timestamp < @to";
        if (query.Project is not null)
        {
            command.Parameters.AddWithValue("project", query.Project);
            sql += " AND project = @project";
        }

        if (query.Event is not null)
        {
            command.Parameters.AddWithValue("event", query.Event);
            sql += " AND event = @event";
        }

        return sql;
    }
}
