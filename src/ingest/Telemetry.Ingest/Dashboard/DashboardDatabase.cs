using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Telemetry.Ingest.Dashboard;

/// <summary>
/// The dashboard's rollup tables, next to <c>events</c> in the event store's own database (SQLite or PostgreSQL). They
/// are additive: nothing of the event store's schema changes (on PostgreSQL one index on <c>events (received_at, event_id)</c>
/// is added for the rollup's reading). All tables hold counts and names only, never event values of personal data.
/// <list type="bullet">
/// <item><c>dashboard_event_hours</c>: stored events per catalog event and hour of arrival.</item>
/// <item><c>dashboard_facets</c>: per event, counts with first/last arrival of each client version, sampling rate, schema version and enum/boolean property value.</item>
/// <item><c>dashboard_numbers</c>: per event and numeric property, count, sum, min and max.</item>
/// <item><c>dashboard_heatmap</c>: per aggregate event with a heatmap, the summed count of every cell.</item>
/// <item><c>dashboard_ingest_hours</c>: per hour, events rejected by validation and duplicates skipped (summed over nodes).</item>
/// <item><c>dashboard_rejections</c>: rejections by event, property, reason, JSON path and client version, with first/last time.</item>
/// <item><c>dashboard_state</c>: how far the rollup job has read <c>events</c>.</item>
/// </list>
/// </summary>
internal sealed class DashboardDatabase
{
    private readonly string _connectionString;

    private DashboardDatabase(bool postgres, string connectionString)
    {
        IsPostgres = postgres;
        _connectionString = connectionString;
        Least = postgres ? "LEAST" : "MIN";
        Greatest = postgres ? "GREATEST" : "MAX";
    }

    public bool IsPostgres { get; }

    /// <summary>The two-argument minimum function of the dialect.</summary>
    public string Least { get; }

    /// <summary>The two-argument maximum function of the dialect.</summary>
    public string Greatest { get; }

    public static DashboardDatabase Sqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        return new DashboardDatabase(false, builder.ToString());
    }

    public static DashboardDatabase Postgres(string connectionString) => new(true, connectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!IsPostgres) await ExecuteAsync(connection, null, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (IsPostgres) await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(7435018)", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS dashboard_event_hours (
                    event TEXT NOT NULL, hour BIGINT NOT NULL, events BIGINT NOT NULL,
                    PRIMARY KEY (event, hour));
                CREATE TABLE IF NOT EXISTS dashboard_facets (
                    event TEXT NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL, events BIGINT NOT NULL,
                    first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,
                    PRIMARY KEY (event, facet, value));
                CREATE TABLE IF NOT EXISTS dashboard_numbers (
                    event TEXT NOT NULL, property TEXT NOT NULL, n BIGINT NOT NULL,
                    total DOUBLE PRECISION NOT NULL, low DOUBLE PRECISION NOT NULL, high DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (event, property));
                CREATE TABLE IF NOT EXISTS dashboard_heatmap (
                    event TEXT NOT NULL, cell BIGINT NOT NULL, hits BIGINT NOT NULL,
                    PRIMARY KEY (event, cell));
                CREATE TABLE IF NOT EXISTS dashboard_ingest_hours (
                    hour BIGINT NOT NULL PRIMARY KEY, rejected BIGINT NOT NULL, duplicates BIGINT NOT NULL);
                CREATE TABLE IF NOT EXISTS dashboard_rejections (
                    event TEXT NOT NULL, property TEXT NOT NULL, reason TEXT NOT NULL, path TEXT NOT NULL, client_version TEXT NOT NULL,
                    events BIGINT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,
                    PRIMARY KEY (event, property, reason, path, client_version));
                """, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, IsPostgres
                ? """
                  CREATE TABLE IF NOT EXISTS dashboard_state (id INTEGER PRIMARY KEY, wm_time TIMESTAMPTZ NOT NULL, wm_id UUID NOT NULL);
                  INSERT INTO dashboard_state (id, wm_time, wm_id) VALUES (1, '-infinity', '00000000-0000-0000-0000-000000000000') ON CONFLICT (id) DO NOTHING;
                  CREATE INDEX IF NOT EXISTS ix_events_received_at_event_id ON events (received_at, event_id);
                  """
                : """
                  CREATE TABLE IF NOT EXISTS dashboard_state (id INTEGER PRIMARY KEY, wm_rowid INTEGER NOT NULL);
                  INSERT INTO dashboard_state (id, wm_rowid) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
                  """, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (IsPostgres) await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(7435018)", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Size of the database on disk in bytes (SQLite: pages in use of the main file; PostgreSQL: the database).</summary>
    public async Task<long> StorageBytesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = IsPostgres ? "SELECT pg_database_size(current_database())" : "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
        return await ScalarLongAsync(connection, sql, cancellationToken).ConfigureAwait(false);
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<long> ScalarLongAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        return command;
    }

    public static DbParameter Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return p;
    }

    /// <summary>Runs a query and maps each row.</summary>
    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add(map(reader));
        return result;
    }
}
