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
        var writes = new List<RateCount>(deltas.Count);
        var reads = new List<RateCount>();
        foreach (var d in deltas) (d.Count == 0 ? reads : writes).Add(d);

        if (writes.Count > 0)
        {
            // One statement for all counters; sorted so two nodes upserting the same rows never wait on each other in a cycle.
            writes.Sort((a, b) => a.WindowStart != b.WindowStart ? a.WindowStart.CompareTo(b.WindowStart) : string.CompareOrdinal(a.Partition, b.Partition));
            await using var command = _dataSource.CreateCommand("""
                INSERT INTO ingest_rate_counts (partition, window_start, count)
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
                ON CONFLICT (partition, window_start) DO UPDATE SET count = ingest_rate_counts.count + EXCLUDED.count
                RETURNING partition, window_start, count
                """);
            AddKeys(command, writes);
            command.Parameters.Add(new() { Value = writes.ConvertAll(w => w.Count).ToArray() });
            await ReadCountsAsync(command, totals, cancellationToken).ConfigureAwait(false);
        }

        if (reads.Count > 0)
        {
            await using var command = _dataSource.CreateCommand("""
                SELECT k.partition, k.window_start, COALESCE(c.count, 0)
                FROM unnest($1::text[], $2::bigint[]) AS k(partition, window_start)
                LEFT JOIN ingest_rate_counts c ON c.partition = k.partition AND c.window_start = k.window_start
                """);
            AddKeys(command, reads);
            await ReadCountsAsync(command, totals, cancellationToken).ConfigureAwait(false);
        }

        return totals;
    }

    private static void AddKeys(Npgsql.NpgsqlCommand command, List<RateCount> counts)
    {
        command.Parameters.Add(new() { Value = counts.ConvertAll(c => c.Partition).ToArray() });
        command.Parameters.Add(new() { Value = counts.ConvertAll(c => c.WindowStart).ToArray() });
    }

    private static async Task ReadCountsAsync(Npgsql.NpgsqlCommand command, List<RateCount> totals, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            totals.Add(new RateCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
    }

    /// <inheritdoc/>
    public async Task DeleteRateCountsBeforeAsync(long windowStart, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM ingest_rate_counts WHERE window_start < $1");
        command.Parameters.Add(new() { Value = windowStart });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
