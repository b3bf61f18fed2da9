using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NpgsqlTypes;

namespace Telemetry.Ingest.Storage;

/// <summary>The <see cref="IControlStore"/> part of the PostgreSQL store: what every node behind the load balancer shares.</summary>
public sealed partial class PostgresEventStore
{
    private const string ControlSchema = """
        CREATE TABLE IF NOT EXISTS ingest_write_keys (
            key_hash bytea PRIMARY KEY,
            key_id text NOT NULL,
            project text NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz
        );
        CREATE TABLE IF NOT EXISTS ingest_rate_counts (
            partition text NOT NULL,
            window_start bigint NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (partition, window_start)
        );
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WriteKeyRecord>> LoadWriteKeysAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT key_id, key_hash, project, created_at, revoked_at FROM ingest_write_keys ORDER BY created_at, key_id");
        var keys = new List<WriteKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }

    /// <inheritdoc/>
    public async Task<WriteKeyRecord?> FindWriteKeyAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT key_id, key_hash, project, created_at, revoked_at FROM ingest_write_keys WHERE key_hash = $1");
        command.Parameters.Add(new() { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadKey(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<bool> AddWriteKeyAsync(WriteKeyRecord key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO ingest_write_keys (key_hash, key_id, project, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key_hash) DO NOTHING");
        command.Parameters.Add(new() { Value = key.Hash, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = key.KeyId });
        command.Parameters.Add(new() { Value = key.Project });
        command.Parameters.Add(new() { Value = key.CreatedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc/>
    public async Task<bool> RevokeWriteKeyAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("UPDATE ingest_write_keys SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = keyId });
        command.Parameters.Add(new() { Value = revokedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static WriteKeyRecord ReadKey(Npgsql.NpgsqlDataReader reader) => new(
        reader.GetString(0),
        (byte[])reader.GetValue(1),
        reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RateCount>> AddRateCountsAsync(IReadOnlyList<RateCount> deltas, CancellationToken cancellationToken)
    {
        var totals = new List<RateCount>(deltas.Count);
        if (deltas.Count == 0) return totals;

        // One statement for all counters; sorted so two nodes upserting the same rows never wait on each other in a cycle.
        var sorted = new List<RateCount>(deltas);
        sorted.Sort((a, b) => a.WindowStart != b.WindowStart ? a.WindowStart.CompareTo(b.WindowStart) : string.CompareOrdinal(a.Partition, b.Partition));
        var partitions = new string[sorted.Count];
        var windows = new long[sorted.Count];
        var counts = new long[sorted.Count];
        for (var i = 0; i < sorted.Count; i++)
        {
            partitions[i] = sorted[i].Partition;
            windows[i] = sorted[i].WindowStart;
            counts[i] = sorted[i].Count;
        }

        await using var command = _dataSource.CreateCommand("""
            INSERT INTO ingest_rate_counts (partition, window_start, count)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
            ON CONFLICT (partition, window_start) DO UPDATE SET count = ingest_rate_counts.count + EXCLUDED.count
            RETURNING partition, window_start, count
            """);
        command.Parameters.Add(new() { Value = partitions });
        command.Parameters.Add(new() { Value = windows });
        command.Parameters.Add(new() { Value = counts });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            totals.Add(new RateCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return totals;
    }

    /// <inheritdoc/>
    public async Task DeleteRateCountsBeforeAsync(long windowStart, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM ingest_rate_counts WHERE window_start < $1");
        command.Parameters.Add(new() { Value = windowStart });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
