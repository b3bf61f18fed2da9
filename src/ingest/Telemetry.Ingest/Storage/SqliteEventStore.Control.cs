using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Telemetry.Ingest.Storage;

/// <summary>The <see cref="IControlStore"/> part of the SQLite store: write keys and rate counters in the same file.</summary>
public sealed partial class SqliteEventStore
{
    private const string ControlSchema = """
        CREATE TABLE IF NOT EXISTS ingest_write_keys (
            key_hash BLOB NOT NULL PRIMARY KEY,
            key_id TEXT NOT NULL,
            project TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        CREATE TABLE IF NOT EXISTS ingest_rate_counts (
            partition TEXT NOT NULL,
            window_start INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (partition, window_start)
        );
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WriteKeyRecord>> LoadWriteKeysAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_id, key_hash, project, created_at, revoked_at FROM ingest_write_keys ORDER BY created_at, key_id";
        var keys = new List<WriteKeyRecord>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }

    /// <inheritdoc/>
    public async Task<WriteKeyRecord?> FindWriteKeyAsync(byte[] hash, CancellationToken cancellationToken)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_id, key_hash, project, created_at, revoked_at FROM ingest_write_keys WHERE key_hash = $hash";
        command.Parameters.AddWithValue("$hash", hash);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadKey(reader) : null;
    }

    /// <inheritdoc/>
    public Task<bool> AddWriteKeyAsync(WriteKeyRecord key, CancellationToken cancellationToken) =>
        WriteControlAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO ingest_write_keys (key_hash, key_id, project, created_at) VALUES ($hash, $id, $project, $created) ON CONFLICT(key_hash) DO NOTHING";
            command.Parameters.AddWithValue("$hash", key.Hash);
            command.Parameters.AddWithValue("$id", key.KeyId);
            command.Parameters.AddWithValue("$project", key.Project);
            command.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RevokeWriteKeyAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken) =>
        WriteControlAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ingest_write_keys SET revoked_at = $at WHERE key_id = $id AND revoked_at IS NULL";
            command.Parameters.AddWithValue("$id", keyId);
            command.Parameters.AddWithValue("$at", revokedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RateCount>> AddRateCountsAsync(IReadOnlyList<RateCount> deltas, CancellationToken cancellationToken) =>
        WriteControlAsync<IReadOnlyList<RateCount>>(async connection =>
        {
            var totals = new List<RateCount>(deltas.Count);
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO ingest_rate_counts (partition, window_start, count) VALUES ($p, $w, $c)
                ON CONFLICT(partition, window_start) DO UPDATE SET count = count + excluded.count
                RETURNING count
                """;
            var p = command.Parameters.Add("$p", SqliteType.Text);
            var w = command.Parameters.Add("$w", SqliteType.Integer);
            var c = command.Parameters.Add("$c", SqliteType.Integer);
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT count FROM ingest_rate_counts WHERE partition = $p AND window_start = $w";
            var rp = read.Parameters.Add("$p", SqliteType.Text);
            var rw = read.Parameters.Add("$w", SqliteType.Integer);
            foreach (var delta in deltas)
            {
                if (delta.Count == 0)
                {
                    rp.Value = delta.Partition;
                    rw.Value = delta.WindowStart;
                    var current = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    totals.Add(delta with { Count = current is null ? 0 : Convert.ToInt64(current, System.Globalization.CultureInfo.InvariantCulture) });
                    continue;
                }

                p.Value = delta.Partition;
                w.Value = delta.WindowStart;
                c.Value = delta.Count;
                var total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                totals.Add(delta with { Count = total });
            }

            transaction.Commit();
            return totals;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteRateCountsBeforeAsync(long windowStart, CancellationToken cancellationToken) =>
        WriteControlAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM ingest_rate_counts WHERE window_start < $w";
            command.Parameters.AddWithValue("$w", windowStart);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static WriteKeyRecord ReadKey(SqliteDataReader reader) => new(
        reader.GetString(0),
        (byte[])reader.GetValue(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));

    /// <summary>Runs a control write on the writer connection (SQLite has one writer at a time anyway).</summary>
    private async Task<T> WriteControlAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = _writer ?? throw new InvalidOperationException("The store is not initialized.");
            return await write(connection).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
