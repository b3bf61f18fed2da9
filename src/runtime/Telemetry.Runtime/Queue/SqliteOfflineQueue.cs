using System;
using System.Buffers;
using System.Buffers.Binary;
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
/// created with owner-only permissions, in WAL mode. Each append writes its events as segments, one row per run of
/// events as large as a delivery batch (their wire bytes one after another plus a packed record per event, see
/// <see cref="QueueSegmentCodec"/>), in one transaction. Events are deleted only after the sink confirmed them: a
/// segment whose events are all confirmed is settled (its number goes into the table <c>settled</c>, which every read
/// skips) and deleted in the next append's transaction, or within a second when no append comes; one
/// that still holds others is rewritten without the confirmed ones, so a killed process replays the rest with the same
/// event ids. Bounded by events and bytes; lower tiers are dropped first. Deleted and rewritten rows are overwritten
/// (<c>secure_delete</c>), and a purge checkpoints the write-ahead log and truncates it, so a purged event is readable
/// in none of the files (database, <c>-wal</c>, <c>-shm</c>).
/// </summary>
/// <remarks>
/// The queue keeps an index of its events in memory (id, time, size, tier, state: about 70 bytes per event) and the
/// events of recently appended segments (up to <see cref="CacheBytes"/> of payload), so a lease reads the disk only
/// for segments that left that cache. Purges and exports read every segment of the file, those another process
/// appended included. A database written by the earlier one-row-per-event layout is converted in one transaction
/// when opened.
/// <para>
/// Why settle before deleting: with <c>secure_delete</c> a delete writes every freed page, zeroed, to the log (and the
/// checkpoint writes it again into the database); an append then writes new pages. Deleted in the append's own
/// transaction, the freed pages take the new segment's bytes at once, and each page goes to the log once. A delivered
/// segment costs its process one small insert into <c>settled</c>. A killed process loses nothing: opening the file
/// deletes the settled segments first, so they are neither replayed nor read by another process sharing the file.
/// </para>
/// </remarks>
public sealed class SqliteOfflineQueue : IOfflineQueue
{
    /// <summary>The database file name inside the folder.</summary>
    public const string FileName = "telemetry-queue.db";

    /// <summary>Most events in one segment (one row) until the first lease says what a batch holds: the pipeline's default batch.</summary>
    internal const int DefaultSegmentEvents = 500;

    /// <summary>Most payload bytes in one segment until the first lease (a single larger event gets a segment of its own).</summary>
    internal const int DefaultSegmentBytes = 512 * 1024;

    /// <summary>Payload bytes of appended events kept in memory for their lease.</summary>
    internal const long CacheBytes = 8L * 1024 * 1024;

    private const int MinSegmentEvents = 16;
    private const int MaxSegmentEvents = 4096;
    private const int MinSegmentBytes = 16 * 1024;
    private const int MaxSegmentBytes = 4 * 1024 * 1024;

    private const int SchemaVersion = 3;

    /// <summary>The condition every read of <c>segments</c> carries: a settled segment was delivered and is read by no one.</summary>
    private const string NotSettled = "seq NOT IN (SELECT seq FROM settled)";

    /// <summary>Longest a settled segment waits for an append's transaction before it is deleted on its own.</summary>
    internal static readonly TimeSpan DefaultSettleDelay = TimeSpan.FromSeconds(1);

    // A new database gets 16 KiB pages: a segment is a chain of a quarter as many overflow pages as with 4 KiB (fewer
    // pages to write, checksum into the log and zero on delete). 64 KiB pages append a burst a little faster still, but
    // double the cost of a one-event commit (write-through): every commit writes whole pages to the log. An existing
    // file keeps its page size.
    private const int PageSize = 16384;
    private const long WalCheckpointBytes = 4L * 1024 * 1024;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly object _gate = new();
    private SqliteConnection _connection;
    private readonly long[] _rows = new long[PipelineCounters.TierCount];
    private readonly long[] _bytes = new long[PipelineCounters.TierCount];
    private readonly LinkedList<Segment> _segments = new();
    private readonly Dictionary<long, Segment> _bySeq = new();
    private readonly Dictionary<Guid, Location> _index = new(TimeOrderedIdComparer.Instance);
    private readonly QueueSegmentCodec _codec = new();
    private readonly List<Segment> _touched = new();
    private readonly List<QueuedEvent> _scratch = new();
    private readonly Stack<LeasedEvents> _freeLeases = new();

    // Pages of cached segments (a batch's size, 512 KiB by default): a few of each size are kept for reuse.
    private readonly ArrayPool<byte> _pages = PayloadPage.CreatePool(1024 * 1024, arraysPerSize: 8);
    private readonly List<(Segment Segment, int Index)> _candidates = new();
    private sqlite3_stmt _insert = null!;
    private sqlite3_stmt _update = null!;
    private sqlite3_stmt _delete = null!;
    private sqlite3_stmt _select = null!;
    private sqlite3_stmt _length = null!;
    private sqlite3_stmt _begin = null!;
    private sqlite3_stmt _commit = null!;
    private sqlite3_stmt _rollback = null!;
    private sqlite3_stmt _settle = null!;
    private sqlite3_stmt _deleteSettled = null!;
    private sqlite3_stmt _clearSettled = null!;
    private sqlite3_stmt _savepoint = null!;
    private sqlite3_stmt _release = null!;
    private sqlite3_stmt _rollbackTo = null!;
    private readonly ILogger _logger;
    private readonly Timer _settleTimer;
    // When this process first settled a segment not deleted since (TickCount64); long.MaxValue when none waits.
    private long _settledSince = long.MaxValue;
    private bool _settleTimerArmed;
    private int _segmentEvents = DefaultSegmentEvents;
    private int _segmentBytes = DefaultSegmentBytes;
    private long _cachedBytes;
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
        _logger = logger ?? NullLogger.Instance;
        _settleTimer = new Timer(static state => ((SqliteOfflineQueue)state!).DeleteSettledWhenIdle(), this, Timeout.Infinite, Timeout.Infinite);
        SecureDirectory.Ensure(directory);
        DatabasePath = Path.Combine(Path.GetFullPath(directory), FileName);
        try
        {
            _connection = Open(DatabasePath, synchronous);
        }
        catch (Exception ex) when (ex is SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase } or InvalidDataException)
        {
            // A damaged file must not stop the app or crash-loop: keep it for inspection, start afresh.
            var movedTo = DatabasePath + ".corrupt-" + DateTime.UtcNow.Ticks;
            File.Move(DatabasePath, movedTo);
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(DatabasePath + suffix)) File.Move(DatabasePath + suffix, movedTo + suffix);
            }

            Log.QueueRecreated(_logger, DatabasePath, movedTo);
            _connection = Open(DatabasePath, synchronous);
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" }) SecureDirectory.RestrictFile(DatabasePath + suffix);
    }

    /// <summary>Longest a settled segment waits for an append's transaction (<see cref="DefaultSettleDelay"/>; tests stretch it).</summary>
    internal TimeSpan SettleDelay { get; set; } = DefaultSettleDelay;

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
                var oldest = long.MaxValue;
                foreach (var segment in _segments)
                {
                    for (var i = 0; i < segment.Count; i++)
                    {
                        ref var e = ref segment.Entries[i];
                        if (e.State != EntryState.Gone && e.Ticks < oldest) oldest = e.Ticks;
                    }
                }

                return oldest == long.MaxValue ? null : new DateTimeOffset(oldest, TimeSpan.Zero);
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
            _candidates.Clear();
            var plan = TierEvictionPlanner.Make(Limits, TotalRows(), TotalBytes(), events, StoredOldestFirst);
            var appended = 0;
            var added = default(TierTotals);
            try
            {
                Begin();

                // Delivered segments go in this transaction: their freed pages take the new segments' bytes.
                var settledDeleted = TryDeleteSettledInside();
                if (plan is not null && plan.EvictStored.Count > 0)
                {
                    foreach (var key in plan.EvictStored)
                    {
                        var (segment, index) = _candidates[(int)key];
                        Remove(segment, index);
                    }

                    WriteTouched();
                }

                _candidates.Clear();
                _scratch.Clear();
                Segment? current = null;
                var segmentBytes = 0;
                for (var i = 0; i < events.Count; i++)
                {
                    if (plan is not null && plan.SkipIncoming.Contains(i)) continue;
                    var e = events[i];
                    if (current is not null && (_scratch.Count == _segmentEvents || segmentBytes + e.Bytes > _segmentBytes))
                    {
                        InsertSegment(current);
                        current = null;
                        segmentBytes = 0;
                    }

                    current ??= Segment.Create(0, _segmentEvents);

                    // An event id already stored (rare: a replay) is not stored twice.
                    if (!_index.TryAdd(e.Event.EventId, new Location(current, _scratch.Count))) continue;
                    current.Entries[_scratch.Count] = new Entry { Id = e.Event.EventId, Ticks = e.Event.Timestamp.UtcTicks, Bytes = e.Bytes, Tier = e.Event.Tier, State = EntryState.Stored };
                    _scratch.Add(e);
                    segmentBytes += e.Bytes;
                    added.Add(e.Event.Tier, e.Bytes);
                    appended++;
                }

                if (current is not null && _scratch.Count > 0) InsertSegment(current);
                Commit();
                if (settledDeleted) SettledDeleted();
            }
            catch
            {
                Resync();
                throw;
            }

            added.AddTo(_rows, _bytes);
            PublishTotals();
            CompactTouched();
            return new QueueAppendResult(appended, plan?.Dropped ?? default);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<QueuedEvent> Lease(int maxEvents, long maxBytes)
    {
        if (maxEvents <= 0) return Array.Empty<QueuedEvent>();
        lock (_gate)
        {
            ThrowIfDisposed();
            var leased = LeasedEvents.Start(this, _freeLeases);

            // New segments take the size of a batch, so a batch usually deletes whole segments and rewrites none.
            _segmentEvents = Math.Clamp(maxEvents, MinSegmentEvents, MaxSegmentEvents);
            _segmentBytes = (int)Math.Clamp(maxBytes, MinSegmentBytes, MaxSegmentBytes);
            long bytes = 0;
            for (var node = _segments.First; node is not null && leased.Count < maxEvents; node = node.Next)
            {
                var segment = node.Value;
                if (segment.Live == segment.Leased) continue;
                if (segment.Events is not null && StoredPayloadBytes(segment.Seq) != segment.PayloadBytes) DropCache(segment);
                var loaded = EnsureLoaded(segment);
                if (loaded is null) continue;
                for (var i = 0; i < segment.Count; i++)
                {
                    ref var e = ref segment.Entries[i];
                    if (e.State != EntryState.Stored) continue;
                    if (leased.Count == maxEvents || (leased.Count > 0 && bytes + e.Bytes > maxBytes)) return leased;
                    e.State = EntryState.Leased;
                    segment.Leased++;
                    leased.Add(loaded[i], segment.Page);
                    bytes += e.Bytes;
                }
            }

            return leased;
        }
    }

    /// <inheritdoc/>
    public void EndLease(IReadOnlyList<QueuedEvent> leased)
    {
        ArgumentNullException.ThrowIfNull(leased);
        lock (_gate) LeasedEvents.End(this, leased, _freeLeases);
    }

    /// <inheritdoc/>
    public void Complete(IReadOnlyCollection<Guid> eventIds)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0) return;
        lock (_gate)
        {
            ThrowIfDisposed();

            // An id the queue does not hold (a purge removed it meanwhile, or it was never stored) is ignored.
            foreach (var eventId in eventIds)
            {
                if (_index.TryGetValue(eventId, out var location)) Remove(location.Segment, location.Index);
            }

            if (_touched.Count == 0) return;
            try
            {
                Begin();
                WriteTouched(settle: true);
                Commit();
            }
            catch
            {
                Resync();
                throw;
            }

            CompactTouched();
            PublishTotals();
        }
    }

    /// <inheritdoc/>
    public void Release(IReadOnlyCollection<Guid> eventIds)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        lock (_gate)
        {
            foreach (var eventId in eventIds)
            {
                if (!_index.TryGetValue(eventId, out var location)) continue;
                ref var e = ref location.Segment.Entries[location.Index];
                if (e.State != EntryState.Leased) continue;
                e.State = EntryState.Stored;
                location.Segment.Leased--;
            }
        }
    }

    /// <inheritdoc/>
    public TierCounts Purge(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return PurgeWhere(subject, e => string.Equals(e.Subject, subject, StringComparison.Ordinal));
    }

    /// <inheritdoc/>
    public TierCounts PurgeIdentity(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return PurgeWhere(id, e => string.Equals(e.Subject, id, StringComparison.Ordinal) || string.Equals(e.Event.UserId, id, StringComparison.Ordinal) || string.Equals(e.Event.AnonymousId, id, StringComparison.Ordinal));
    }

    /// <summary>
    /// Removes the matching events of every segment in the file (segments another process wrote too), then
    /// checkpoints and truncates the log. <paramref name="mention"/> is a string every matching event's segment holds.
    /// </summary>
    private TierCounts PurgeWhere(string mention, Func<QueuedEvent, bool> matches)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var removed = default(TierCounts);
            try
            {
                Begin();

                // Every settled segment goes, those another process settled too: the checkpoint below then leaves no
                // copy of them either.
                DeleteSettled(always: true);
                var candidates = new List<long>();
                using (var select = _connection.CreateCommand())
                {
                    select.CommandText = "SELECT seq, meta FROM segments ORDER BY seq";
                    using var reader = select.ExecuteReader();
                    while (reader.Read())
                    {
                        if (QueueSegmentCodec.MentionsString(reader.GetFieldValue<byte[]>(1), mention)) candidates.Add(reader.GetInt64(0));
                    }
                }

                foreach (var seq in candidates)
                {
                    if (_bySeq.TryGetValue(seq, out var segment))
                    {
                        var loaded = EnsureLoaded(segment);
                        if (loaded is null) continue;
                        for (var i = 0; i < segment.Count; i++)
                        {
                            if (segment.Entries[i].State == EntryState.Gone || !matches(loaded[i])) continue;
                            removed = removed.Add(segment.Entries[i].Tier);
                            Remove(segment, i);
                        }

                        continue;
                    }

                    // A segment this process does not index (another process appended it): rewrite it on disk only.
                    var events = ReadSegment(seq) ?? Array.Empty<QueuedEvent>();
                    _scratch.Clear();
                    foreach (var e in events)
                    {
                        if (matches(e)) removed = removed.Add(e.Event.Tier);
                        else _scratch.Add(e);
                    }

                    if (_scratch.Count == events.Length) continue;
                    if (_scratch.Count == 0) Delete(seq);
                    else Rewrite(seq, _scratch);
                }

                WriteTouched();
                Commit();
                SettledDeleted();
            }
            catch
            {
                Resync();
                throw;
            }

            CompactTouched();
            PublishTotals();

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
            var result = new List<QueuedEvent>();
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT meta, payload FROM segments WHERE " + NotSettled + " ORDER BY seq";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var meta = reader.GetFieldValue<byte[]>(0);
                if (!QueueSegmentCodec.MentionsString(meta, subject)) continue;
                foreach (var e in QueueSegmentCodec.Decode(meta, reader.GetFieldValue<byte[]>(1)))
                {
                    if (string.Equals(e.Subject, subject, StringComparison.Ordinal)) result.Add(e);
                }
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
            var removed = default(TierCounts);
            var ticks = cutoff.UtcTicks;
            foreach (var segment in _segments)
            {
                for (var i = 0; i < segment.Count; i++)
                {
                    ref var e = ref segment.Entries[i];
                    if (e.State != EntryState.Stored || e.Ticks >= ticks) continue;
                    removed = removed.Add(e.Tier);
                    Remove(segment, i);
                }
            }

            if (_touched.Count == 0) return removed;
            try
            {
                Begin();
                WriteTouched();
                Commit();
            }
            catch
            {
                Resync();
                throw;
            }

            CompactTouched();
            PublishTotals();
            return removed;
        }
    }

    /// <summary>Closes the database; events stay on disk for the next run.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;

            // Delivered segments leave the file with the process (a killed one leaves them to the next open).
            TryDeleteSettled();
            _settleTimer.Dispose();
            foreach (var statement in Statements()) statement?.Dispose();
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
            using (var command = connection.CreateCommand())
            {
                command.CommandText =
                    "PRAGMA page_size = " + PageSize + ";" +
                    "PRAGMA journal_mode = WAL;" +
                    "PRAGMA secure_delete = ON;" +
                    "PRAGMA synchronous = " + (synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL") + ";" +
                    "PRAGMA busy_timeout = 5000;";
                command.ExecuteNonQuery();

                // Checkpoint every 4 MiB of log whatever the page size (SQLite's default is 1,000 pages).
                command.CommandText = "PRAGMA page_size";
                var pageSize = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                command.CommandText = "PRAGMA wal_autocheckpoint = " + Math.Max(16, WalCheckpointBytes / Math.Max(512, pageSize));
                command.ExecuteNonQuery();
            }

            using (var transaction = connection.BeginTransaction())
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText =
                    "CREATE TABLE IF NOT EXISTS segments (" +
                    " seq INTEGER PRIMARY KEY AUTOINCREMENT," +
                    " subjects TEXT NOT NULL," +
                    " meta BLOB NOT NULL," +
                    " payload BLOB NOT NULL);" +
                    "CREATE TABLE IF NOT EXISTS settled (seq INTEGER PRIMARY KEY);" +

                    // Segments a process delivered and had not deleted yet when it ended: gone before anything reads the file.
                    "DELETE FROM segments WHERE seq IN (SELECT seq FROM settled);" +
                    "DELETE FROM settled;";
                command.ExecuteNonQuery();
                command.CommandText = "SELECT type FROM sqlite_master WHERE name = 'events'";
                var existing = command.ExecuteScalar() as string;
                command.CommandText = "PRAGMA user_version";
                var upgrade = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) < SchemaVersion;
                ResetMemory();
                _connection = connection;
                PrepareStatements(connection);
                if (existing == "table") MigrateRowsPerEvent(connection, transaction);
                // The view and the version are written once, by the open that upgrades the file (an earlier view did not
                // skip settled segments), so another process's statements are not invalidated by every start.
                command.CommandText =
                    (upgrade ? "DROP VIEW IF EXISTS events;" : string.Empty) +
                    "CREATE VIEW IF NOT EXISTS events AS SELECT segments.seq AS seq, subject.value AS subject FROM segments, json_each(segments.subjects) AS subject WHERE segments." + NotSettled + ";" +
                    (upgrade ? "PRAGMA user_version = " + SchemaVersion + ";" : string.Empty);
                command.ExecuteNonQuery();
                transaction.Commit();
            }

            LoadIndex(connection);
            return connection;
        }
        catch
        {
            foreach (var statement in Statements()) statement?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    private void PrepareStatements(SqliteConnection connection)
    {
        sqlite3_stmt Prepare(string text)
        {
            var rc = raw.sqlite3_prepare_v2(connection.Handle, text, out var statement);
            if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc);
            return statement;
        }

        _insert = Prepare("INSERT INTO segments (subjects, meta, payload) VALUES (?1, ?2, ?3)");
        _update = Prepare("UPDATE segments SET subjects = ?1, meta = ?2, payload = ?3 WHERE seq = ?4");
        _delete = Prepare("DELETE FROM segments WHERE seq = ?1");
        _select = Prepare("SELECT meta, payload FROM segments WHERE seq = ?1 AND " + NotSettled);
        _length = Prepare("SELECT length(payload) FROM segments WHERE seq = ?1 AND " + NotSettled);
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _settle = Prepare("INSERT OR IGNORE INTO settled (seq) VALUES (?1)");
        _deleteSettled = Prepare("DELETE FROM segments WHERE seq IN (SELECT seq FROM settled)");
        _clearSettled = Prepare("DELETE FROM settled");
        _savepoint = Prepare("SAVEPOINT settled");
        _release = Prepare("RELEASE settled");
        _rollbackTo = Prepare("ROLLBACK TO settled");
    }

    private sqlite3_stmt?[] Statements() => [_insert, _update, _delete, _select, _length, _begin, _commit, _rollback, _settle, _deleteSettled, _clearSettled, _savepoint, _release, _rollbackTo];

    /// <summary>
    /// Converts a queue written by the earlier layout (table <c>events</c>, one row per event) into segments, in
    /// the transaction that creates the new table, so an upgrade keeps every queued event, in order, or nothing changes.
    /// </summary>
    private void MigrateRowsPerEvent(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT event_id, name, tier, timestamp_ticks, user_id, anonymous_id, subject, payload FROM events ORDER BY seq";
        var batch = new List<QueuedEvent>();
        var bytes = 0;
        using (var reader = select.ExecuteReader())
        {
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
                var e = new QueuedEvent(outgoing, reader.GetString(6));
                if (batch.Count > 0 && (batch.Count == DefaultSegmentEvents || bytes + e.Bytes > DefaultSegmentBytes))
                {
                    InsertRow(connection, batch);
                    batch.Clear();
                    bytes = 0;
                }

                batch.Add(e);
                bytes += e.Bytes;
            }
        }

        if (batch.Count > 0) InsertRow(connection, batch);
        using var drop = connection.CreateCommand();
        drop.Transaction = transaction;
        drop.CommandText = "DROP TABLE events";
        drop.ExecuteNonQuery();
    }

    /// <summary>Reads the index of every segment (the fixed part of each event) into memory.</summary>
    private void LoadIndex(SqliteConnection connection)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT seq, meta FROM segments WHERE " + NotSettled + " ORDER BY seq";
        var records = new QueueSegmentCodec.Record[DefaultSegmentEvents];
        var duplicates = false;
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                var meta = reader.GetFieldValue<byte[]>(1);
                var count = QueueSegmentCodec.Count(meta);
                if (records.Length < count) records = new QueueSegmentCodec.Record[count];
                QueueSegmentCodec.ReadRecords(meta, records);
                var segment = Segment.Create(reader.GetInt64(0), count);
                for (var i = 0; i < count; i++)
                {
                    var r = records[i];
                    var tier = (EventTier)Math.Clamp((int)r.Tier, 0, PipelineCounters.TierCount - 1);
                    segment.Entries[i] = new Entry { Id = r.Id, Ticks = r.Ticks, Bytes = r.Length, Tier = tier, State = EntryState.Stored };
                    segment.PayloadBytes += r.Length;
                    if (!_index.TryAdd(r.Id, new Location(segment, i)))
                    {
                        // The same event twice (two processes appended one replay): keep the first copy.
                        segment.Entries[i].State = EntryState.Gone;
                        duplicates = true;
                        continue;
                    }

                    _rows[(int)tier]++;
                    _bytes[(int)tier] += r.Length;
                }

                segment.Count = count;
                segment.Live = count;
                Attach(segment);
                if (duplicates)
                {
                    for (var i = 0; i < count; i++)
                    {
                        if (segment.Entries[i].State == EntryState.Gone) segment.Live--;
                    }

                    if (segment.Live < count) Touch(segment);
                }
            }
        }

        PublishTotals();
        if (_touched.Count == 0) return;
        Begin();
        WriteTouched();
        Commit();
        CompactTouched();
    }

    /// <summary>Rebuilds the in-memory index from the database after a failed write (leases stay leased).</summary>
    private void Resync()
    {
        if (raw.sqlite3_get_autocommit(_connection.Handle) == 0) Step(_rollback);
        SettledPending();
        var leased = new List<Guid>();
        foreach (var (id, location) in _index)
        {
            if (location.Segment.Entries[location.Index].State == EntryState.Leased) leased.Add(id);
        }

        ResetMemory();
        LoadIndex(_connection);
        foreach (var id in leased)
        {
            if (!_index.TryGetValue(id, out var location)) continue;
            location.Segment.Entries[location.Index].State = EntryState.Leased;
            location.Segment.Leased++;
        }
    }

    private void ResetMemory()
    {
        _segments.Clear();
        _bySeq.Clear();
        _index.Clear();
        _touched.Clear();
        _candidates.Clear();
        _scratch.Clear();
        _cachedBytes = 0;
        Array.Clear(_rows);
        Array.Clear(_bytes);
    }

    private IEnumerable<TierEvictionPlanner.Candidate> StoredOldestFirst(EventTier tier)
    {
        foreach (var segment in _segments)
        {
            for (var i = 0; i < segment.Count; i++)
            {
                var e = segment.Entries[i];
                if (e.State != EntryState.Stored || e.Tier != tier) continue;
                _candidates.Add((segment, i));
                yield return new TierEvictionPlanner.Candidate(_candidates.Count - 1, e.Bytes);
            }
        }
    }

    /// <summary>Marks an event deleted in memory and its segment as to be written; <see cref="WriteTouched"/> writes it.</summary>
    private void Remove(Segment segment, int index)
    {
        ref var e = ref segment.Entries[index];
        if (e.State == EntryState.Gone) return;
        if (e.State == EntryState.Leased) segment.Leased--;
        e.State = EntryState.Gone;
        segment.Live--;
        _index.Remove(e.Id);
        var t = (int)e.Tier;
        _rows[t] = Math.Max(0, _rows[t] - 1);
        _bytes[t] = Math.Max(0, _bytes[t] - e.Bytes);
        Touch(segment);
    }

    private void Touch(Segment segment)
    {
        if (segment.Touched) return;
        segment.Touched = true;
        _touched.Add(segment);
    }

    /// <summary>
    /// Inside a transaction: deletes the touched segments left empty (or, with <paramref name="settle"/>, settles them:
    /// a delivery) and rewrites the others without their deleted events. A rewrite starts from the row as it is in the
    /// file (another process sharing the file may have purged some of its events meanwhile: they must not come back),
    /// minus the events deleted here.
    /// </summary>
    private void WriteTouched(bool settle = false)
    {
        var settled = false;
        foreach (var segment in _touched)
        {
            if (segment.Live == 0)
            {
                if (settle)
                {
                    Check(_connection, raw.sqlite3_bind_int64(_settle, 1, segment.Seq));
                    Step(_settle);
                    settled = true;
                }
                else
                {
                    Delete(segment.Seq);
                }

                continue;
            }

            var gone = new HashSet<Guid>();
            for (var i = 0; i < segment.Count; i++)
            {
                if (segment.Entries[i].State == EntryState.Gone) gone.Add(segment.Entries[i].Id);
            }

            var kept = new List<QueuedEvent>(segment.Live);
            foreach (var e in ReadSegment(segment.Seq) ?? Array.Empty<QueuedEvent>())
            {
                if (!gone.Contains(e.Event.EventId)) kept.Add(e);
            }

            if (kept.Count == 0) Delete(segment.Seq);
            else Rewrite(segment.Seq, kept);
            segment.Rewritten = kept.ToArray();
        }

        if (settled) SettledPending();
    }

    /// <summary>
    /// Inside a transaction: deletes the settled segments (those another process settled too), when this process settled
    /// any or <paramref name="always"/>.
    /// </summary>
    private void DeleteSettled(bool always = false)
    {
        if (!SettledWaiting && !always) return;
        Step(_deleteSettled);
        Step(_clearSettled);
    }

    /// <summary>
    /// Inside an append's transaction: deletes the settled segments under a savepoint, so a delete the database refuses
    /// leaves them settled (the timer tries again) and the append goes on. True when nothing settled is left.
    /// </summary>
    private bool TryDeleteSettledInside()
    {
        if (!SettledWaiting) return true;
        Step(_savepoint);
        try
        {
            DeleteSettled();
            Step(_release);
            return true;
        }
        catch (SqliteException ex)
        {
            // A failure that ended the whole transaction is the append's to report.
            if (raw.sqlite3_get_autocommit(_connection.Handle) != 0) throw;
            Step(_rollbackTo);
            Step(_release);
            Log.SettledDeleteFailed(_logger, ex, DatabasePath, SettleDelay);
            return false;
        }
    }

    /// <summary>Deletes the settled segments in a transaction of their own; false when the database refused.</summary>
    private bool TryDeleteSettled()
    {
        if (!SettledWaiting) return true;
        try
        {
            Begin();
            DeleteSettled();
            Commit();
            SettledDeleted();
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            // On a timer thread or in Dispose: never thrown (the segments stay settled, so they are not read again).
            if (raw.sqlite3_get_autocommit(_connection.Handle) == 0) raw.sqlite3_exec(_connection.Handle, "ROLLBACK");
            Log.SettledDeleteFailed(_logger, ex, DatabasePath, SettleDelay);
            return false;
        }
    }

    /// <summary>Settled segments may be in the file (this process settled some, or a failed write left it unsure).</summary>
    private void SettledPending()
    {
        if (!SettledWaiting) _settledSince = Environment.TickCount64;
        ArmSettleTimer(SettleDelay);
    }

    /// <summary>Settled segments may be in the file that this process has not deleted yet.</summary>
    private bool SettledWaiting => _settledSince != long.MaxValue;

    private void SettledDeleted()
    {
        _settledSince = long.MaxValue;

        // Disarmed, so an app that appends steadily never has the timer fire (no thread-pool work at all).
        if (!_settleTimerArmed) return;
        _settleTimerArmed = false;
        _settleTimer.Change(Timeout.Infinite, Timeout.Infinite);
    }

    private void ArmSettleTimer(TimeSpan due)
    {
        if (_settleTimerArmed) return;
        _settleTimerArmed = true;
        _settleTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The settle timer: segments settled <see cref="SettleDelay"/> ago that no append's transaction deleted meanwhile go
    /// now; those settled since wait for their own turn (an app tracking steadily deletes every one in an append).
    /// </summary>
    private void DeleteSettledWhenIdle()
    {
        lock (_gate)
        {
            _settleTimerArmed = false;
            if (_disposed || !SettledWaiting) return;
            var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - _settledSince);
            if (waited < SettleDelay)
            {
                ArmSettleTimer(SettleDelay - waited);
                return;
            }

            if (!TryDeleteSettled()) ArmSettleTimer(SettleDelay);
        }
    }

    /// <summary>After the commit: drops the deleted segments from memory and re-indexes the rewritten ones.</summary>
    private void CompactTouched()
    {
        foreach (var segment in _touched)
        {
            segment.Touched = false;
            if (segment.Live == 0)
            {
                Detach(segment);
                continue;
            }

            var rewritten = segment.Rewritten ?? Array.Empty<QueuedEvent>();
            segment.Rewritten = null;
            Rebuild(segment, rewritten);
        }

        _touched.Clear();
    }

    /// <summary>
    /// Makes <paramref name="segment"/>'s index match <paramref name="events"/>, what its row now holds: events it no
    /// longer holds leave the index and the totals, leased events stay leased. An empty segment is dropped.
    /// </summary>
    private void Rebuild(Segment segment, QueuedEvent[] events)
    {
        HashSet<Guid>? leased = null;
        for (var i = 0; i < segment.Count; i++)
        {
            ref var e = ref segment.Entries[i];
            if (e.State == EntryState.Gone) continue;
            if (e.State == EntryState.Leased) (leased ??= new HashSet<Guid>()).Add(e.Id);
            _index.Remove(e.Id);
            var t = (int)e.Tier;
            _rows[t] = Math.Max(0, _rows[t] - 1);
            _bytes[t] = Math.Max(0, _bytes[t] - e.Bytes);
            e.State = EntryState.Gone;
        }

        segment.Live = 0;
        segment.Leased = 0;
        if (events.Length == 0)
        {
            Detach(segment);
            return;
        }

        DropCache(segment);
        if (segment.Entries.Length < events.Length)
        {
            ArrayPool<Entry>.Shared.Return(segment.Entries);
            segment.Entries = ArrayPool<Entry>.Shared.Rent(events.Length);
        }

        long bytes = 0;
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            var tier = (EventTier)Math.Clamp((int)e.Event.Tier, 0, PipelineCounters.TierCount - 1);
            var state = leased is not null && leased.Contains(e.Event.EventId) ? EntryState.Leased : EntryState.Stored;
            if (!_index.TryAdd(e.Event.EventId, new Location(segment, i))) state = EntryState.Gone;
            segment.Entries[i] = new Entry { Id = e.Event.EventId, Ticks = e.Event.Timestamp.UtcTicks, Bytes = e.Bytes, Tier = tier, State = state };
            bytes += e.Bytes;
            if (state == EntryState.Gone) continue;
            segment.Live++;
            if (state == EntryState.Leased) segment.Leased++;
            _rows[(int)tier]++;
            _bytes[(int)tier] += e.Bytes;
        }

        segment.Count = events.Length;
        segment.PayloadBytes = bytes;
        segment.Events = events;
        _cachedBytes += bytes;
    }

    /// <summary>Inside a transaction: writes <see cref="_scratch"/> (the events of <paramref name="segment"/>, already indexed) as a new row.</summary>
    private void InsertSegment(Segment segment)
    {
        segment.Seq = InsertRow(_connection, _scratch);
        long bytes = 0;
        for (var i = 0; i < _scratch.Count; i++) bytes += _scratch[i].Bytes;
        segment.Count = _scratch.Count;
        segment.Live = _scratch.Count;
        segment.PayloadBytes = bytes;
        if (_cachedBytes + bytes <= CacheBytes)
        {
            // The caller's bytes are only valid during the append: the cache keeps a copy of the row's payload (the
            // events' bytes in order, as just encoded), in a page that a lease borrows.
            var page = CachePage(bytes);
            segment.Events = ArrayPool<QueuedEvent>.Shared.Rent(_scratch.Count);
            segment.EventsPooled = true;
            for (var i = 0; i < _scratch.Count; i++)
            {
                var e = _scratch[i];
                segment.Events[i] = e with { Event = e.Event with { Json = page.Append(e.Event.Json.Span) } };
            }

            segment.Page = page;
            _cachedBytes += bytes;
        }

        Attach(segment);
        _scratch.Clear();
    }

    private long InsertRow(SqliteConnection connection, List<QueuedEvent> events)
    {
        _codec.Encode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events));
        Check(connection, raw.sqlite3_bind_text(_insert, 1, _codec.SubjectsJson));
        Check(connection, raw.sqlite3_bind_blob(_insert, 2, _codec.Meta));
        Check(connection, raw.sqlite3_bind_blob(_insert, 3, _codec.Payload));
        Step(_insert, connection);
        return raw.sqlite3_last_insert_rowid(connection.Handle);
    }

    private void Rewrite(long seq, List<QueuedEvent> events)
    {
        _codec.Encode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events));
        Check(_connection, raw.sqlite3_bind_text(_update, 1, _codec.SubjectsJson));
        Check(_connection, raw.sqlite3_bind_blob(_update, 2, _codec.Meta));
        Check(_connection, raw.sqlite3_bind_blob(_update, 3, _codec.Payload));
        Check(_connection, raw.sqlite3_bind_int64(_update, 4, seq));
        Step(_update);
    }

    private void Delete(long seq)
    {
        Check(_connection, raw.sqlite3_bind_int64(_delete, 1, seq));
        Step(_delete);
    }

    /// <summary>
    /// The events of a segment, from the cache or read from the database (then kept until the segment changes); null
    /// when the row is gone (another process sharing the file delivered or purged it). A row another process rewrote
    /// is re-indexed first.
    /// </summary>
    private QueuedEvent[]? EnsureLoaded(Segment segment)
    {
        if (segment.Events is not null) return segment.Events;

        // One read of the row: as the index knows it, it is cached (its payload in a pooled page); otherwise its events
        // as the file holds them now re-index the segment.
        var events = ReadRow(segment.Seq, (meta, payload) => CacheIfIndexed(segment, meta, payload) ? segment.Events! : QueueSegmentCodec.Decode(meta, payload))
            ?? Array.Empty<QueuedEvent>();
        if (ReferenceEquals(events, segment.Events)) return events;
        Rebuild(segment, events);
        PublishTotals();
        return events.Length == 0 ? null : segment.Events;
    }

    /// <summary>
    /// The payload size of a segment's row as the file holds it now (-1 when it is gone): a cached segment whose row
    /// another process sharing the file rewrote or deleted is read again before it is leased.
    /// </summary>
    private long StoredPayloadBytes(long seq)
    {
        Check(_connection, raw.sqlite3_bind_int64(_length, 1, seq));
        try
        {
            var rc = raw.sqlite3_step(_length);
            if (rc == raw.SQLITE_DONE) return -1;
            if (rc != raw.SQLITE_ROW) throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
            return raw.sqlite3_column_int64(_length, 0);
        }
        finally
        {
            raw.sqlite3_reset(_length);
            raw.sqlite3_clear_bindings(_length);
        }
    }

    private void DropCache(Segment segment)
    {
        if (segment.Events is null) return;
        _cachedBytes -= segment.PayloadBytes;
        if (segment.EventsPooled) ArrayPool<QueuedEvent>.Shared.Return(segment.Events, clearArray: true);
        segment.EventsPooled = false;
        segment.Events = null;
        if (segment.Page is { } page)
        {
            ReleaseCachePage(page);
            segment.Page = null;
        }
    }

    /// <summary>A page for a cached segment's payload of <paramref name="bytes"/>.</summary>
    private PayloadPage CachePage(long bytes)
    {
        var page = PayloadPage.Rent(_pages, (int)Math.Max(1, bytes));
        page.Stored = 1;
        return page;
    }

    /// <summary>
    /// Caches a segment's row (<paramref name="meta"/>, <paramref name="payload"/>) when it holds what the index says, its
    /// payload in a pooled page; false when another process changed the row.
    /// </summary>
    private bool CacheIfIndexed(Segment segment, ReadOnlySpan<byte> meta, ReadOnlySpan<byte> payload)
    {
        if (QueueSegmentCodec.Count(meta) != segment.Count || payload.Length != segment.PayloadBytes) return false;
        var page = CachePage(payload.Length);
        var events = ArrayPool<QueuedEvent>.Shared.Rent(segment.Count);
        QueueSegmentCodec.Decode(meta, payload, events, page);
        for (var i = 0; i < segment.Count; i++)
        {
            if (events[i].Event.EventId == segment.Entries[i].Id) continue;
            ArrayPool<QueuedEvent>.Shared.Return(events, clearArray: true);
            ReleaseCachePage(page);
            return false;
        }

        segment.Events = events;
        segment.EventsPooled = true;
        segment.Page = page;
        _cachedBytes += segment.PayloadBytes;
        return true;
    }

    /// <summary>The cache lets go of <paramref name="page"/>: back to the pool now, or when the last lease reading it ends.</summary>
    private static void ReleaseCachePage(PayloadPage page)
    {
        page.Stored = 0;
        page.ReturnIfIdle();
    }

    private QueuedEvent[]? ReadSegment(long seq) => ReadRow(seq, static (meta, payload) => QueueSegmentCodec.Decode(meta, payload));

    /// <summary>What <paramref name="read"/> makes of a segment's row (its bytes are valid during the call only); default when the row is gone.</summary>
    private T? ReadRow<T>(long seq, SegmentRowReader<T> read)
    {
        Check(_connection, raw.sqlite3_bind_int64(_select, 1, seq));
        try
        {
            var rc = raw.sqlite3_step(_select);
            if (rc == raw.SQLITE_DONE) return default;
            if (rc != raw.SQLITE_ROW) throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
            return read(raw.sqlite3_column_blob(_select, 0), raw.sqlite3_column_blob(_select, 1));
        }
        finally
        {
            raw.sqlite3_reset(_select);
            raw.sqlite3_clear_bindings(_select);
        }
    }

    private delegate T SegmentRowReader<T>(ReadOnlySpan<byte> meta, ReadOnlySpan<byte> payload);

    private void Attach(Segment segment)
    {
        segment.Node = _segments.AddLast(segment);
        _bySeq[segment.Seq] = segment;
    }

    private void Detach(Segment segment)
    {
        if (segment.Node is not null) _segments.Remove(segment.Node);
        segment.Node = null;

        // Without AUTOINCREMENT a new segment of the same append may already reuse the sequence number of a deleted last one.
        if (_bySeq.TryGetValue(segment.Seq, out var indexed) && ReferenceEquals(indexed, segment)) _bySeq.Remove(segment.Seq);
        DropCache(segment);
        ArrayPool<Entry>.Shared.Return(segment.Entries);
        segment.Entries = Array.Empty<Entry>();
    }

    private void Begin() => Step(_begin);

    private void Commit() => Step(_commit);

    private void Step(sqlite3_stmt statement, SqliteConnection? connection = null)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        raw.sqlite3_clear_bindings(statement);
        if (rc != raw.SQLITE_DONE) throw new SqliteException(raw.sqlite3_errmsg((connection ?? _connection).Handle).utf8_to_string(), rc);
    }

    private static void Check(SqliteConnection connection, int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc);
    }

    private long TotalRows() => _rows[0] + _rows[1] + _rows[2];

    private long TotalBytes() => _bytes[0] + _bytes[1] + _bytes[2];

    private void PublishTotals()
    {
        Interlocked.Exchange(ref _totalRows, TotalRows());
        Interlocked.Exchange(ref _totalBytes, TotalBytes());
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private enum EntryState : byte
    {
        Stored,
        Leased,
        Gone,
    }

    /// <summary>What the queue keeps in memory of one stored event.</summary>
    private struct Entry
    {
        public Guid Id;
        public long Ticks;
        public int Bytes;
        public EventTier Tier;
        public EntryState State;
    }

    private readonly record struct Location(Segment Segment, int Index);

    /// <summary>
    /// Hashes an event id so that ids made one after another (UUIDv7 from <see cref="EventIdGenerator"/>: a counter in
    /// bytes 10-13) land in neighbouring buckets: appending, confirming and deleting a batch then walks the index's
    /// memory in order instead of missing the cache once per event. Random ids hash as well as with the default.
    /// </summary>
    private sealed class TimeOrderedIdComparer : IEqualityComparer<Guid>
    {
        public static readonly TimeOrderedIdComparer Instance = new();

        public bool Equals(Guid x, Guid y) => x == y;

        public int GetHashCode(Guid id)
        {
            // Bytes 10-13 of a UUIDv7 from the generator are its counter; the other bytes change at most once a millisecond.
            Span<byte> b = stackalloc byte[16];
            id.TryWriteBytes(b, bigEndian: true, out _);
            return BinaryPrimitives.ReadInt32BigEndian(b[10..]) ^ BinaryPrimitives.ReadInt32BigEndian(b) ^ BinaryPrimitives.ReadInt32BigEndian(b[4..])
                ^ (BinaryPrimitives.ReadUInt16BigEndian(b[8..]) | (BinaryPrimitives.ReadUInt16BigEndian(b[14..]) << 16));
        }
    }

    /// <summary>One row of the <c>segments</c> table as the queue indexes it.</summary>
    private sealed class Segment
    {
        public long Seq;
        public Entry[] Entries = Array.Empty<Entry>();
        public int Count;
        public int Live;
        public int Leased;
        public long PayloadBytes;
        public bool Touched;
        public QueuedEvent[]? Events;
        public bool EventsPooled;

        /// <summary>The page the cached events' bytes are slices of (null when not cached, or cached unpooled).</summary>
        public PayloadPage? Page;
        public QueuedEvent[]? Rewritten;
        public LinkedListNode<Segment>? Node;

        public static Segment Create(long seq, int count) => new()
        {
            Seq = seq,
            Entries = ArrayPool<Entry>.Shared.Rent(count),
        };
    }

    /// <summary>Events and bytes added per tier by one append.</summary>
    private struct TierTotals
    {
        private long _a;
        private long _b;
        private long _c;
        private long _bytesA;
        private long _bytesB;
        private long _bytesC;

        public void Add(EventTier tier, long bytes)
        {
            switch (tier)
            {
                case EventTier.A: _a++; _bytesA += bytes; break;
                case EventTier.B: _b++; _bytesB += bytes; break;
                default: _c++; _bytesC += bytes; break;
            }
        }

        public readonly void AddTo(long[] rows, long[] bytes)
        {
            rows[0] += _a;
            rows[1] += _b;
            rows[2] += _c;
            bytes[0] += _bytesA;
            bytes[1] += _bytesB;
            bytes[2] += _bytesC;
        }
    }
}
