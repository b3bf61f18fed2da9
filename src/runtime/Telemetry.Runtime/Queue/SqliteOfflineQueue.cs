using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace Telemetry.Runtime;

/// <summary>
/// The durable offline queue: one SQLite database (<see cref="FileName"/>) in a per-user folder
/// created with owner-only permissions, in WAL mode. Events are inserted in one transaction per
/// drain cycle and deleted only after the sink confirmed them, so a killed process replays the
/// rest with the same event ids. Bounded by rows and bytes; lower tiers are dropped first.
/// Deleted rows are overwritten (<c>secure_delete</c>), and a purge checkpoints the write-ahead log and
/// truncates it, so a purged event is readable in none of the files (database, <c>-wal</c>, <c>-shm</c>).
/// </summary>
public sealed class SqliteOfflineQueue : IOfflineQueue
{
    /// <summary>The database file name inside the folder.</summary>
    public const string FileName = "telemetry-queue.db";

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly long[] _rows = new long[PipelineCounters.TierCount];
    private readonly long[] _bytes = new long[PipelineCounters.TierCount];
    private readonly Dictionary<Guid, LeaseEntry> _leases = new();
    private long _totalRows;
    private long _totalBytes;
    private bool _disposed;

    /// <summary>Opens (or creates) the queue in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder; created with 0700 permissions. Use <see cref="TelemetryStorageLocation.DefaultFor"/>; never a shared temp folder.</param>
    /// <param name="limits">Bounds (default <see cref="QueueLimits.Default"/>).</param>
    /// <param name="synchronous">Durability of commits; see <see cref="SqliteSynchronousMode"/>.</param>
    /// <param name="logger">For the rare event of an unreadable database being moved aside.</param>
    public SqliteOfflineQueue(string directory, QueueLimits? limits = null, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Limits = (limits ?? QueueLimits.Default).Validate();
        SecureDirectory.Ensure(directory);
        DatabasePath = Path.Combine(Path.GetFullPath(directory), FileName);
        try
        {
            _connection = Open(DatabasePath, synchronous);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            // A damaged file must not stop the app or crash-loop: keep it for inspection, start afresh.
            var movedTo = DatabasePath + ".corrupt-" + DateTime.UtcNow.Ticks;
            File.Move(DatabasePath, movedTo);
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(DatabasePath + suffix)) File.Move(DatabasePath + suffix, movedTo + suffix);
            }

            Log.QueueRecreated(logger ?? NullLogger.Instance, DatabasePath, movedTo);
            _connection = Open(DatabasePath, synchronous);
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" }) SecureDirectory.RestrictFile(DatabasePath + suffix);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public string Description => "sqlite:" + DatabasePath;

    /// <inheritdoc/>
    public QueueLimits Limits { get; }

    /// <inheritdoc/>
    /// <remarks>Read without waiting for a write in progress (metrics and statistics read it from any thread).</remarks>
    public long Count => Interlocked.Read(ref _totalRows);

    /// <inheritdoc/>
    public long Bytes => Interlocked.Read(ref _totalBytes);

    /// <inheritdoc/>
    public DateTimeOffset? OldestEventTimestamp
    {
        get
        {
            lock (_gate)
            {
                if (_disposed || TotalRows() == 0) return null;
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT MIN(timestamp_ticks) FROM events";
                return command.ExecuteScalar() is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
            }
        }
    }

    /// <inheritdoc/>
    public QueueAppendResult Append(IReadOnlyList<QueuedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return default;
        lock (_gate)
        {
            ThrowIfDisposed();
            var plan = TierEvictionPlanner.Make(Limits, TotalRows(), TotalBytes(), events, StoredOldestFirst);
            using var transaction = _connection.BeginTransaction();
            if (plan is not null && plan.EvictStored.Count > 0)
            {
                using var delete = _connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM events WHERE seq = $seq RETURNING tier, length(payload)";
                var seqParameter = delete.Parameters.Add("$seq", SqliteType.Integer);
                foreach (var seq in plan.EvictStored)
                {
                    seqParameter.Value = seq;
                    using var reader = delete.ExecuteReader();
                    if (reader.Read()) Subtract((EventTier)reader.GetInt32(0), reader.GetInt64(1));
                }
            }

            // One prepared multi-row statement per chunk of rows (the statements are cached on the connection's commands).
            var appended = 0;
            var added = new long[PipelineCounters.TierCount, 2];
            var rows = new List<int>(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                if (plan is null || !plan.SkipIncoming.Contains(i)) rows.Add(i);
            }

            var duplicates = false;
            for (var start = 0; start < rows.Count; start += InsertChunk)
            {
                var n = Math.Min(InsertChunk, rows.Count - start);
                var statement = InsertStatement(n);
                for (var r = 0; r < n; r++)
                {
                    var e = events[rows[start + r]];
                    BindRow(statement, r * InsertColumns, e);
                    added[(int)e.Event.Tier, 0]++;
                    added[(int)e.Event.Tier, 1] += e.Bytes;
                }

                var rc = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                raw.sqlite3_clear_bindings(statement);
                if (rc != raw.SQLITE_DONE) throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
                var inserted = raw.sqlite3_changes(_connection.Handle);
                appended += inserted;
                if (inserted != n) duplicates = true;
            }

            transaction.Commit();
            if (duplicates)
            {
                // An event id already stored (rare: a replay): the statement does not say which row it skipped, so count again.
                LoadTotals(_connection);
            }
            else
            {
                for (var t = 0; t < PipelineCounters.TierCount; t++)
                {
                    _rows[t] += added[t, 0];
                    _bytes[t] += added[t, 1];
                }

                PublishTotals();
            }

            return new QueueAppendResult(appended, plan?.Dropped ?? default);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<QueuedEvent> Lease(int maxEvents, long maxBytes)
    {
        var leased = new List<QueuedEvent>();
        if (maxEvents <= 0) return leased;
        lock (_gate)
        {
            ThrowIfDisposed();
            using var select = _connection.CreateCommand();
            select.CommandText =
                "SELECT seq, event_id, name, tier, timestamp_ticks, user_id, anonymous_id, subject, payload " +
                "FROM events ORDER BY seq LIMIT $limit";
            select.Parameters.AddWithValue("$limit", (long)maxEvents + _leases.Count);
            using var reader = select.ExecuteReader();
            long bytes = 0;
            while (leased.Count < maxEvents && reader.Read())
            {
                var eventId = new Guid(reader.GetFieldValue<byte[]>(1));
                if (_leases.ContainsKey(eventId)) continue;
                var payload = reader.GetFieldValue<byte[]>(8);
                if (leased.Count > 0 && bytes + payload.Length > maxBytes) break;
                var tier = (EventTier)reader.GetInt32(3);
                var outgoing = new OutgoingEvent(
                    eventId,
                    reader.GetString(2),
                    tier,
                    new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    payload);
                leased.Add(new QueuedEvent(outgoing, reader.GetString(7)));
                _leases[eventId] = new LeaseEntry(reader.GetInt64(0), tier, payload.Length);
                bytes += payload.Length;
            }
        }

        return leased;
    }

    /// <inheritdoc/>
    public void Complete(IReadOnlyCollection<Guid> eventIds)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0) return;
        lock (_gate)
        {
            ThrowIfDisposed();

            // One statement for the batch, by the rows' sequence numbers (the primary key) kept with the leases. An id
            // without a lease (a purge removed the row meanwhile, or it was never leased) is looked up by its id.
            var seqs = new System.Text.StringBuilder("[");
            var removed = new List<(EventTier Tier, long Bytes)>(eventIds.Count);
            List<Guid>? unleased = null;
            foreach (var eventId in eventIds)
            {
                if (_leases.Remove(eventId, out var lease))
                {
                    if (seqs.Length > 1) seqs.Append(',');
                    seqs.Append(lease.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    removed.Add((lease.Tier, lease.Bytes));
                }
                else
                {
                    (unleased ??= new List<Guid>()).Add(eventId);
                }
            }

            seqs.Append(']');
            using var transaction = _connection.BeginTransaction();
            if (removed.Count > 0)
            {
                var delete = _deleteBySeq ??= Prepare("DELETE FROM events WHERE seq IN (SELECT value FROM json_each($seqs))", "$seqs");
                delete.Transaction = transaction;
                delete.Parameters[0].Value = seqs.ToString();
                delete.ExecuteNonQuery();
            }

            if (unleased is not null)
            {
                using var delete = _connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM events WHERE event_id = $id RETURNING tier, length(payload)";
                var id = delete.Parameters.Add("$id", SqliteType.Blob);
                foreach (var eventId in unleased)
                {
                    id.Value = eventId.ToByteArray();
                    using var reader = delete.ExecuteReader();
                    if (reader.Read()) removed.Add(((EventTier)reader.GetInt32(0), reader.GetInt64(1)));
                }
            }

            transaction.Commit();
            foreach (var (tier, bytes) in removed) Subtract(tier, bytes, publish: false);
            PublishTotals();
        }
    }

    /// <inheritdoc/>
    public void Release(IReadOnlyCollection<Guid> eventIds)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        lock (_gate)
        {
            foreach (var eventId in eventIds) _leases.Remove(eventId);
        }
    }

    /// <inheritdoc/>
    public TierCounts Purge(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return PurgeWhere("subject = $id", subject);
    }

    /// <inheritdoc/>
    public TierCounts PurgeIdentity(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return PurgeWhere("subject = $id OR user_id = $id OR anonymous_id = $id", id);
    }

    private TierCounts PurgeWhere(string condition, string id)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            TierCounts removed;
            using (var delete = _connection.CreateCommand())
            {
                delete.CommandText = "DELETE FROM events WHERE " + condition + " RETURNING event_id, tier, length(payload)";
                delete.Parameters.AddWithValue("$id", id);
                removed = DeleteReturning(delete);
            }

            // secure_delete zeroed the freed cells in the pages written to the log; the log still holds the
            // earlier frames with the rows. Copy the log into the database and cut it to zero bytes.
            using var checkpoint = _connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using (var reader = checkpoint.ExecuteReader())
            {
                if (reader.Read() && reader.GetInt32(0) != 0) throw new IOException("The queue's write-ahead log could not be checkpointed after a purge (the database is busy).");
            }

            return removed;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<QueuedEvent> Export(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var select = _connection.CreateCommand();
            select.CommandText =
                "SELECT event_id, name, tier, timestamp_ticks, user_id, anonymous_id, subject, payload " +
                "FROM events WHERE subject = $subject ORDER BY seq";
            select.Parameters.AddWithValue("$subject", subject);
            using var reader = select.ExecuteReader();
            var result = new List<QueuedEvent>();
            while (reader.Read())
            {
                var outgoing = new OutgoingEvent(
                    new Guid(reader.GetFieldValue<byte[]>(0)),
                    reader.GetString(1),
                    (EventTier)reader.GetInt32(2),
                    new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetFieldValue<byte[]>(7));
                result.Add(new QueuedEvent(outgoing, reader.GetString(6)));
            }

            return result;
        }
    }

    /// <inheritdoc/>
    public TierCounts RemoveOlderThan(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (TotalRows() == 0) return default;
            using var delete = _connection.CreateCommand();
            delete.CommandText = _leases.Count == 0
                ? "DELETE FROM events WHERE timestamp_ticks < $cutoff RETURNING event_id, tier, length(payload)"
                : "DELETE FROM events WHERE timestamp_ticks < $cutoff AND seq NOT IN (" + LeasedSeqList() + ") RETURNING event_id, tier, length(payload)";
            delete.Parameters.AddWithValue("$cutoff", cutoff.UtcTicks);
            return DeleteReturning(delete);
        }
    }

    /// <summary>Closes the database; rows stay on disk for the next run.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var statement in _inserts.Values) statement.Dispose();
            _deleteBySeq?.Dispose();
            _connection.Dispose();
        }
    }

    private SqliteConnection Open(string path, SqliteSynchronousMode synchronous)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "PRAGMA journal_mode = WAL;" +
                "PRAGMA secure_delete = ON;" +
                "PRAGMA synchronous = " + (synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL") + ";" +
                "PRAGMA busy_timeout = 5000;" +
                "CREATE TABLE IF NOT EXISTS events (" +
                " seq INTEGER PRIMARY KEY AUTOINCREMENT," +
                " event_id BLOB NOT NULL UNIQUE," +
                " name TEXT NOT NULL," +
                " tier INTEGER NOT NULL," +
                " timestamp_ticks INTEGER NOT NULL," +
                " user_id TEXT NULL," +
                " anonymous_id TEXT NULL," +
                " subject TEXT NOT NULL," +
                " payload BLOB NOT NULL);" +
                "CREATE INDEX IF NOT EXISTS ix_events_tier_seq ON events (tier, seq);" +
                "CREATE INDEX IF NOT EXISTS ix_events_subject ON events (subject);" +
                "CREATE INDEX IF NOT EXISTS ix_events_timestamp ON events (timestamp_ticks);" +
                "PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
            LoadTotals(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void LoadTotals(SqliteConnection connection)
    {
        Array.Clear(_rows);
        Array.Clear(_bytes);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tier, COUNT(*), COALESCE(SUM(length(payload)), 0) FROM events GROUP BY tier";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var tier = Math.Clamp(reader.GetInt32(0), 0, PipelineCounters.TierCount - 1);
            _rows[tier] += reader.GetInt64(1);
            _bytes[tier] += reader.GetInt64(2);
        }

        PublishTotals();
    }

    private IEnumerable<TierEvictionPlanner.Candidate> StoredOldestFirst(EventTier tier)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT seq, event_id, length(payload) FROM events WHERE tier = $tier ORDER BY seq";
        select.Parameters.AddWithValue("$tier", (int)tier);
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            if (_leases.ContainsKey(new Guid(reader.GetFieldValue<byte[]>(1)))) continue;
            yield return new TierEvictionPlanner.Candidate(reader.GetInt64(0), reader.GetInt32(2));
        }
    }

    private TierCounts DeleteReturning(SqliteCommand delete)
    {
        var removed = default(TierCounts);
        var rows = new List<(Guid Id, EventTier Tier, long Bytes)>();
        using (var reader = delete.ExecuteReader())
        {
            while (reader.Read()) rows.Add((new Guid(reader.GetFieldValue<byte[]>(0)), (EventTier)reader.GetInt32(1), reader.GetInt64(2)));
        }

        foreach (var (id, tier, bytes) in rows)
        {
            _leases.Remove(id);
            Subtract(tier, bytes);
            removed = removed.Add(tier);
        }

        return removed;
    }

    private string LeasedSeqList()
    {
        var parts = new List<string>(_leases.Count);
        foreach (var lease in _leases.Values) parts.Add(lease.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join(',', parts);
    }

    private long TotalRows() => _rows[0] + _rows[1] + _rows[2];

    private long TotalBytes() => _bytes[0] + _bytes[1] + _bytes[2];

    private void Subtract(EventTier tier, long bytes, bool publish = true)
    {
        var t = Math.Clamp((int)tier, 0, PipelineCounters.TierCount - 1);
        _rows[t] = Math.Max(0, _rows[t] - 1);
        _bytes[t] = Math.Max(0, _bytes[t] - bytes);
        if (publish) PublishTotals();
    }

    private const int InsertColumns = 8;

    // Rows per INSERT statement: 64 rows of 8 parameters stay well under SQLite's parameter limit.
    private const int InsertChunk = 64;

    private readonly Dictionary<int, sqlite3_stmt> _inserts = new();
    private SqliteCommand? _deleteBySeq;
    private byte[] _utf8 = new byte[256];

    /// <summary>
    /// The prepared <c>INSERT OR IGNORE</c> of <paramref name="rows"/> rows, kept for the connection's life and bound by
    /// position through the SQLite library itself (binding hundreds of named parameters per statement costs more than the insert).
    /// </summary>
    private sqlite3_stmt InsertStatement(int rows)
    {
        if (_inserts.TryGetValue(rows, out var cached)) return cached;
        var text = new System.Text.StringBuilder(
            "INSERT OR IGNORE INTO events (event_id, name, tier, timestamp_ticks, user_id, anonymous_id, subject, payload) VALUES ");
        for (var r = 0; r < rows; r++) text.Append(r == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)");
        var rc = raw.sqlite3_prepare_v2(_connection.Handle, text.ToString(), out var statement);
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
        _inserts[rows] = statement;
        return statement;
    }

    private void BindRow(sqlite3_stmt statement, int offset, QueuedEvent e)
    {
        Span<byte> id = stackalloc byte[16];
        e.Event.EventId.TryWriteBytes(id);
        Check(raw.sqlite3_bind_blob(statement, offset + 1, id));
        BindText(statement, offset + 2, e.Event.Name);
        Check(raw.sqlite3_bind_int64(statement, offset + 3, (int)e.Event.Tier));
        Check(raw.sqlite3_bind_int64(statement, offset + 4, e.Event.Timestamp.UtcTicks));
        BindText(statement, offset + 5, e.Event.UserId);
        BindText(statement, offset + 6, e.Event.AnonymousId);
        BindText(statement, offset + 7, e.Subject);
        Check(raw.sqlite3_bind_blob(statement, offset + 8, e.Event.Json.Span));
    }

    private void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(statement, index));
            return;
        }

        var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < max) _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        var length = System.Text.Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(statement, index, new ReadOnlySpan<byte>(_utf8, 0, length)));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
    }

    private SqliteCommand Prepare(string text, string parameter)
    {
        var command = _connection.CreateCommand();
        command.CommandText = text;
        command.Parameters.Add(parameter, SqliteType.Text);
        command.Prepare();
        return command;
    }

    private void PublishTotals()
    {
        Interlocked.Exchange(ref _totalRows, TotalRows());
        Interlocked.Exchange(ref _totalBytes, TotalBytes());
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private readonly record struct LeaseEntry(long Seq, EventTier Tier, int Bytes);
}
