using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemetry.Catalog;
using Telemetry.Catalog.Model;

namespace Telemetry.Ingest.Dashboard;

/// <summary>
/// The background job that keeps the dashboard's rollup tables: every few seconds it reads the events stored since its
/// watermark (SQLite: by <c>rowid</c>; PostgreSQL: by <c>(received_at, event_id)</c>, a settle delay behind the clock),
/// folds them into hourly counts, facet counts (client version, sampling rate, schema version, enum and boolean values),
/// number statistics and heatmap cells, and writes those and the new watermark in one transaction (so every stored event
/// is counted once, also with several nodes on one PostgreSQL database). Properties classified as personal data are skipped.
/// It also writes the <see cref="DashboardRecorder"/>'s rejection summaries.
/// </summary>
internal sealed partial class DashboardRollup : BackgroundService
{
    internal const string ClientVersionFacet = "client_version";
    internal const string SamplingRateFacet = "sampling_rate";
    internal const string SchemaVersionFacet = "schema_version";
    internal const string PropertyFacetPrefix = "property:";

    private readonly DashboardDatabase _database;
    private readonly DashboardRecorder _recorder;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardRollup> _logger;
    private readonly Dictionary<string, EventPlan> _plans = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _runLock = new(1, 1);
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private bool _initialized;

    private readonly int _retentionDays;
    private long _prunedHour;

    public DashboardRollup(DashboardDatabase database, DashboardRecorder recorder, CatalogSet catalog, IOptions<DashboardOptions> options, IOptions<IngestOptions> ingest, TimeProvider time, ILogger<DashboardRollup> logger)
    {
        _retentionDays = ingest.Value.RetentionDays;
        _database = database;
        _recorder = recorder;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var events = new Dictionary<string, EventSpec>(StringComparer.Ordinal);
        foreach (var e in catalog.Events) events[e.Name] = e;
        foreach (var e in events.Values) _plans[e.Name] = EventPlan.For(e, e.AggregatedFrom is { } from && events.TryGetValue(from, out var s) ? s : null);
    }

    /// <summary>When the last run finished (null before the first).</summary>
    public DateTimeOffset? LastRun { get; private set; }

    /// <summary>Events folded in by the last run.</summary>
    public long LastRunEvents { get; private set; }

    /// <summary>The last failure of a run, if the last run failed.</summary>
    public string? LastError { get; private set; }

    /// <summary>Creates the tables when missing (once; retried by the next caller after a failure).</summary>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized) return;
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized) return;
            await _database.InitializeAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, _options.RollupIntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LastError = ex.GetType().Name + ": " + ex.Message;
                LogRunFailed(ex);
            }

            try
            {
                await Task.Delay(interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Folds in every event stored so far (chunk by chunk) and writes the recorder's pending counts; returns the events folded in.</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _runLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long total = 0;
            while (true)
            {
                var n = await RollupChunkAsync(cancellationToken).ConfigureAwait(false);
                total += n;
                if (n < Math.Max(1, _options.RollupChunkEvents)) break;
            }

            await _recorder.FlushAsync(_database, cancellationToken).ConfigureAwait(false);
            await PruneAsync(cancellationToken).ConfigureAwait(false);
            LastRun = _time.GetUtcNow();
            LastRunEvents = total;
            LastError = null;
            return total;
        }
        finally
        {
            _runLock.Release();
        }
    }

    /// <summary>
    /// Once an hour, drops hourly rows, rejection groups and facet values last seen before the retention period of the
    /// events (Ingest:RetentionDays), so the dashboard does not outlive the data it summarises.
    /// </summary>
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var hour = _time.GetUtcNow().ToUnixTimeMilliseconds() / 3_600_000;
        if (_retentionDays <= 0 || hour == _prunedHour) return;
        var cutoff = _time.GetUtcNow().AddDays(-_retentionDays).ToUnixTimeMilliseconds();
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var sql in new[]
        {
            "DELETE FROM dashboard_event_hours WHERE hour < @c",
            "DELETE FROM dashboard_ingest_hours WHERE hour < @c",
            "DELETE FROM dashboard_rejections WHERE last_seen < @c",
            "DELETE FROM dashboard_facets WHERE last_seen < @c",
        })
        {
            await using var command = DashboardDatabase.Command(connection, sql, ("@c", cutoff));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _prunedHour = hour;
    }

    private async Task<int> RollupChunkAsync(CancellationToken cancellationToken)
    {
        var chunk = Math.Max(1, _options.RollupChunkEvents);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var fold = new Fold();
        int read = 0;
        long oldRowid = 0, newRowid = 0;
        DateTime oldTime = default, newTime = default;
        Guid oldId = default, newId = default;

        if (_database.IsPostgres)
        {
            await using (var state = DashboardDatabase.Command(connection, "SELECT wm_time, wm_id FROM dashboard_state WHERE id = 1"))
            await using (var r = await state.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await r.ReadAsync(cancellationToken).ConfigureAwait(false);
                oldTime = r.GetFieldValue<DateTime>(0);
                oldId = r.GetGuid(1);
            }

            (newTime, newId) = (oldTime, oldId);
            var upper = _time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(Math.Max(0, _options.RollupSettleSeconds));
            await using var command = DashboardDatabase.Command(connection,
                "SELECT event_id, event, received_at, client_version, schema_version, sampling_rate, payload FROM events "
                + "WHERE (received_at, event_id) > (@t, @id) AND received_at < @upper ORDER BY received_at, event_id LIMIT @n",
                ("@t", oldTime), ("@id", oldId), ("@upper", upper), ("@n", chunk));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                newId = reader.GetGuid(0);
                newTime = reader.GetFieldValue<DateTime>(2);
                var received = new DateTimeOffset(DateTime.SpecifyKind(newTime, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                fold.Add(_plans, reader.GetString(1), received, reader.GetString(3), reader.GetInt32(4), reader.GetDouble(5), reader.GetString(6));
                read++;
            }
        }
        else
        {
            oldRowid = await DashboardDatabase.ScalarLongAsync(connection, "SELECT wm_rowid FROM dashboard_state WHERE id = 1", cancellationToken).ConfigureAwait(false);
            newRowid = oldRowid;
            await using var command = DashboardDatabase.Command(connection,
                "SELECT rowid, event, received_at, client_version, schema_version, sampling_rate, payload FROM events WHERE rowid > @w ORDER BY rowid LIMIT @n",
                ("@w", oldRowid), ("@n", chunk));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                newRowid = reader.GetInt64(0);
                fold.Add(_plans, reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4), reader.GetDouble(5), reader.GetString(6));
                read++;
            }
        }

        if (read == 0) return 0;

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Move the watermark first, only from where this run read it: a concurrent run on another node makes this update
        // match nothing, and this run's counts are rolled back instead of counted twice.
        await using (var move = _database.IsPostgres
            ? DashboardDatabase.Command(connection, "UPDATE dashboard_state SET wm_time = @t, wm_id = @id WHERE id = 1 AND wm_time = @ot AND wm_id = @oid",
                ("@t", newTime), ("@id", newId), ("@ot", oldTime), ("@oid", oldId))
            : DashboardDatabase.Command(connection, "UPDATE dashboard_state SET wm_rowid = @w WHERE id = 1 AND wm_rowid = @ow", ("@w", newRowid), ("@ow", oldRowid)))
        {
            move.Transaction = transaction;
            if (await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
        }

        await fold.WriteAsync(_database, connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return read;
    }

    [LoggerMessage(EventId = 180, Level = LogLevel.Warning, Message = "The dashboard rollup failed; it retries at its next run")]
    private partial void LogRunFailed(Exception exception);

    /// <summary>What the rollup reads from one catalog event's payload.</summary>
    internal sealed record EventPlan(string[] Facets, string[] Numbers, string? HeatmapProperty, int HeatmapCells)
    {
        public static EventPlan For(EventSpec spec, EventSpec? source)
        {
            var facets = new List<string>();
            var numbers = new List<string>();
            foreach (var p in spec.Properties)
            {
                if (p.IsPersonalData || !p.IsSent) continue; // personal data: never counted by value
                switch (p.Type)
                {
                    case PropertyType.Enum:
                    case PropertyType.Boolean:
                        facets.Add(p.WireName);
                        break;
                    case PropertyType.Int32:
                    case PropertyType.Int64:
                    case PropertyType.Double:
                    case PropertyType.Decimal:
                    case PropertyType.Duration:
                        numbers.Add(p.WireName);
                        break;
                }
            }

            var heatmap = source?.Aggregate?.Heatmap;
            return new EventPlan(facets.ToArray(), numbers.ToArray(), heatmap is null ? null : "heatmap", heatmap is null ? 0 : heatmap.Columns * heatmap.Rows);
        }
    }

    /// <summary>One chunk's counts, added to the tables in one go.</summary>
    private sealed class Fold
    {
        private readonly Dictionary<(string Event, long Hour), long> _hours = new();
        private readonly Dictionary<(string Event, string Facet, string Value), (long Count, long First, long Last)> _facets = new();
        private readonly Dictionary<(string Event, string Property), (long N, double Sum, double Min, double Max)> _numbers = new();
        private readonly Dictionary<(string Event, long Cell), long> _cells = new();

        public void Add(Dictionary<string, EventPlan> plans, string name, long received, string clientVersion, int schemaVersion, double samplingRate, string payload)
        {
            var hour = received / 3_600_000 * 3_600_000;
            _hours[(name, hour)] = _hours.TryGetValue((name, hour), out var h) ? h + 1 : 1;
            Facet(name, ClientVersionFacet, clientVersion.Length <= 100 ? clientVersion : clientVersion.Substring(0, 100), received);
            Facet(name, SamplingRateFacet, samplingRate.ToString("R", CultureInfo.InvariantCulture), received);
            Facet(name, SchemaVersionFacet, schemaVersion.ToString(CultureInfo.InvariantCulture), received);
            if (!plans.TryGetValue(name, out var plan) || (plan.Facets.Length == 0 && plan.Numbers.Length == 0 && plan.HeatmapProperty is null)) return;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(payload);
            }
            catch (JsonException)
            {
                return; // stored payloads are validated JSON; a hand-edited row is counted without its properties
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return;
                foreach (var facet in plan.Facets)
                {
                    if (!root.TryGetProperty(facet, out var v)) continue;
                    var value = v.ValueKind switch
                    {
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.String => v.GetString()!,
                        _ => null,
                    };
                    if (value is not null) Facet(name, PropertyFacetPrefix + facet, value.Length <= 100 ? value : value.Substring(0, 100), received);
                }

                foreach (var number in plan.Numbers)
                {
                    if (!root.TryGetProperty(number, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x)) continue;
                    _numbers[(name, number)] = _numbers.TryGetValue((name, number), out var s)
                        ? (s.N + 1, s.Sum + x, Math.Min(s.Min, x), Math.Max(s.Max, x))
                        : (1, x, x, x);
                }

                if (plan.HeatmapProperty is { } hp && root.TryGetProperty(hp, out var cells) && cells.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var c in cells.EnumerateArray())
                    {
                        if (i >= plan.HeatmapCells) break;
                        if (c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var count) && count > 0)
                        {
                            _cells[(name, i)] = _cells.TryGetValue((name, i), out var old) ? old + count : count;
                        }

                        i++;
                    }
                }
            }
        }

        private void Facet(string name, string facet, string value, long at)
        {
            var key = (name, facet, value);
            _facets[key] = _facets.TryGetValue(key, out var f) ? (f.Count + 1, Math.Min(f.First, at), Math.Max(f.Last, at)) : (1, at, at);
        }

        public async Task WriteAsync(DashboardDatabase database, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            await using (var c = Prepare(connection, transaction,
                "INSERT INTO dashboard_event_hours (event, hour, events) VALUES (@a, @b, @c) ON CONFLICT (event, hour) DO UPDATE SET events = dashboard_event_hours.events + excluded.events",
                3, out var p))
            {
                foreach (var ((e, hour), n) in _hours)
                {
                    (p[0].Value, p[1].Value, p[2].Value) = (e, hour, n);
                    await c.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var c = Prepare(connection, transaction,
                "INSERT INTO dashboard_facets (event, facet, value, events, first_seen, last_seen) VALUES (@a, @b, @c, @d, @e, @f) ON CONFLICT (event, facet, value) DO UPDATE SET "
                + "events = dashboard_facets.events + excluded.events, "
                + $"first_seen = {database.Least}(dashboard_facets.first_seen, excluded.first_seen), last_seen = {database.Greatest}(dashboard_facets.last_seen, excluded.last_seen)",
                6, out var p))
            {
                foreach (var ((e, facet, value), f) in _facets)
                {
                    (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) = (e, facet, value, f.Count, f.First, f.Last);
                    await c.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var c = Prepare(connection, transaction,
                "INSERT INTO dashboard_numbers (event, property, n, total, low, high) VALUES (@a, @b, @c, @d, @e, @f) ON CONFLICT (event, property) DO UPDATE SET "
                + "n = dashboard_numbers.n + excluded.n, total = dashboard_numbers.total + excluded.total, "
                + $"low = {database.Least}(dashboard_numbers.low, excluded.low), high = {database.Greatest}(dashboard_numbers.high, excluded.high)",
                6, out var p))
            {
                foreach (var ((e, property), s) in _numbers)
                {
                    (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) = (e, property, s.N, s.Sum, s.Min, s.Max);
                    await c.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var c = Prepare(connection, transaction,
                "INSERT INTO dashboard_heatmap (event, cell, hits) VALUES (@a, @b, @c) ON CONFLICT (event, cell) DO UPDATE SET hits = dashboard_heatmap.hits + excluded.hits",
                3, out var p))
            {
                foreach (var ((e, cell), n) in _cells)
                {
                    (p[0].Value, p[1].Value, p[2].Value) = (e, cell, n);
                    await c.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, int count, out DbParameter[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            parameters = new DbParameter[count];
            for (var i = 0; i < count; i++) parameters[i] = DashboardDatabase.Add(command, "@" + (char)('a' + i), "");
            return command;
        }
    }
}
