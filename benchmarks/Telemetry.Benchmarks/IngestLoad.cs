using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Telemetry.Events;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// <c>--ingest</c>: the IngestServer sample (built dll) as a child process on 127.0.0.1 against a load generator in this
/// process, next to the storage's own write limit measured in the same run.
/// </summary>
internal static class IngestLoad
{
    public const int EventsPerRequest = 100;
    public const int Concurrency = 8;

    public static async Task<List<IngestResult>> RunAsync(string serverDll, TimeSpan saturation, TimeSpan halfRate)
    {
        var results = new List<IngestResult>();
        results.Add(await RunOneAsync("SQLite", serverDll, null, saturation, halfRate));
        var postgres = Environment.GetEnvironmentVariable("TELEMETRY_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(postgres)) results.Add(await RunOneAsync("PostgreSQL", serverDll, postgres, saturation, halfRate));
        else Console.WriteLine("// TELEMETRY_TEST_POSTGRES not set: PostgreSQL skipped");
        return results;
    }

    private static async Task<IngestResult> RunOneAsync(string storage, string serverDll, string? postgres, TimeSpan saturation, TimeSpan halfRate)
    {
        var data = BenchmarkPaths.PrivateTempFolder("ingest-" + storage.ToLowerInvariant());
        string? database = null;
        string? connection = null;
        if (postgres is not null)
        {
            database = "telemetry_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            await ExecutePostgresAsync(postgres, $"DROP DATABASE IF EXISTS {database}");
            await ExecutePostgresAsync(postgres, $"CREATE DATABASE {database}");
            connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        }

        var port = FreePort();
        var arguments = new List<string>
        {
            serverDll, "--urls", $"http://127.0.0.1:{port}", "--data", data,
            // A load test measures ingestion, not the per-key/per-IP limiter (600 and 300 requests a minute by default).
            "--Ingest:RateLimit:Enabled", "false",
            // One console line per request would measure the console, not the server.
            "--Logging:LogLevel:Default", "Warning",
        };
        if (connection is not null) arguments.AddRange(new[] { "--postgres", connection });
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var server = Process.Start(start) ?? throw new InvalidOperationException("could not start the ingest server");
        var writeKey = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverLog = new StringBuilder();
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (serverLog) serverLog.AppendLine(e.Data);
            var i = e.Data.IndexOf("write key: ", StringComparison.Ordinal);
            if (i >= 0) writeKey.TrySetResult(e.Data[(i + "write key: ".Length)..].Trim());
        };
        server.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (serverLog) serverLog.AppendLine(e.Data);
        };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var key = await writeKey.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var url = new Uri($"http://127.0.0.1:{port}/v1/batch");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var bodies = new BatchFactory();

            Console.WriteLine($"// ingest {storage}: warm-up 3 s");
            await SaturateAsync(http, url, bodies, TimeSpan.FromSeconds(3));
            Console.WriteLine($"// ingest {storage}: saturation, concurrency {Concurrency}, {saturation.TotalSeconds:0} s");
            var full = await SaturateAsync(http, url, bodies, saturation);
            Console.WriteLine($"// ingest {storage}: {full}");
            var target = full.EventsPerSecond / 2;
            Console.WriteLine($"// ingest {storage}: half rate {target:N0} events/s, {halfRate.TotalSeconds:0} s");
            var half = await OpenLoopAsync(http, url, bodies, target, halfRate);
            Console.WriteLine($"// ingest {storage}: {half}");

            StopServer(server);
            Console.WriteLine($"// ingest {storage}: storage limit");
            var limit = connection is null
                ? StorageLimit.Sqlite(Path.Combine(data, "limit.db"), bodies, TimeSpan.FromSeconds(8))
                : await StorageLimit.PostgresAsync(connection, bodies, TimeSpan.FromSeconds(8));
            Console.WriteLine($"// ingest {storage}: limit {limit:N0} rows/s");
            return new IngestResult(storage, full, half, target, limit, limit > 0 ? full.EventsPerSecond / limit : 0);
        }
        catch
        {
            lock (serverLog) Console.Error.WriteLine(serverLog.ToString());
            throw;
        }
        finally
        {
            StopServer(server);
            if (database is not null && postgres is not null)
            {
                try
                {
                    await ExecutePostgresAsync(postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                }
                catch (NpgsqlException ex)
                {
                    Console.Error.WriteLine($"// could not drop {database}: {ex.Message}");
                }
            }
        }
    }

    private static async Task<LoadPhase> SaturateAsync(HttpClient http, Uri url, BatchFactory bodies, TimeSpan duration)
    {
        var latencies = new List<double>[Concurrency];
        var accepted = new long[Concurrency];
        var failures = new long[Concurrency];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>();
            while (clock.Elapsed < duration)
            {
                var (ok, n, ms) = await SendAsync(http, url, bodies.Next(), Stopwatch.GetTimestamp());
                mine.Add(ms);
                if (ok) accepted[w] += n;
                else failures[w]++;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        return LoadPhase.From(latencies.SelectMany(l => l).ToList(), accepted.Sum(), failures.Sum(), elapsed);
    }

    /// <summary>Requests at fixed times (open loop); latency counts from the scheduled time, so a stalled server cannot hide its queueing.</summary>
    private static async Task<LoadPhase> OpenLoopAsync(HttpClient http, Uri url, BatchFactory bodies, double eventsPerSecond, TimeSpan duration)
    {
        var requestsPerSecond = eventsPerSecond / EventsPerRequest;
        var interval = Stopwatch.Frequency / requestsPerSecond;
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task<(bool Ok, int Accepted, double Ms)>>();
        for (var i = 0; ; i++)
        {
            var due = start + (long)(i * interval);
            if (Stopwatch.GetElapsedTime(start, due) >= duration) break;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var body = bodies.Next();
            tasks.Add(Task.Run(() => SendAsync(http, url, body, due)));
        }

        var done = await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return LoadPhase.From(done.Select(d => d.Ms).ToList(), done.Where(d => d.Ok).Sum(d => (long)d.Accepted), done.Count(d => !d.Ok), elapsed);
    }

    private static async Task<(bool Ok, int Accepted, double Ms)> SendAsync(HttpClient http, Uri url, byte[] body, long startedAt)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(url, content);
            var text = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
            if (!response.IsSuccessStatusCode) return (false, 0, ms);
            using var json = JsonDocument.Parse(text);
            return (true, json.RootElement.GetProperty("accepted").GetInt32(), ms);
        }
        catch (HttpRequestException)
        {
            return (false, 0, Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
        }
    }

    private static void StopServer(Process server)
    {
        if (server.HasExited) return;
        server.Kill(entireProcessTree: true);
        server.WaitForExit(10_000);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task ExecutePostgresAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Valid watchlist.add wire objects (made once by the generated API) with a fresh UUIDv7 and timestamp each.</summary>
internal sealed class BatchFactory
{
    private const string IdToken = "__EVENT_ID__";
    private const string TimeToken = "__TIMESTAMP__";
    private readonly string[][] _templates;
    private long _n;

    public BatchFactory()
    {
        var symbols = new[] { "BTC/USDT", "ETH/USDT", "SOL/USDT", "DOGE/USDT", "XRP/USDT" };
        var user = Users.SampledIn(WatchlistAdd.Descriptor);
        using var client = new InMemoryTelemetryClient(new TelemetryClientOptions { UserId = user, ClientVersion = "1.0.0" });
        for (var i = 0; i < symbols.Length; i++) client.TrackWatchlistAdd(symbols[i], (WatchlistAddSource)(i % 4), 49_000.25m + i);
        _templates = client.Events.Select(e =>
        {
            var node = JsonNode.Parse(e)!.AsObject();
            node["event_id"] = IdToken;
            node["timestamp"] = TimeToken;
            var text = node.ToJsonString();
            var a = text.Split('"' + IdToken + '"');
            var b = a[1].Split('"' + TimeToken + '"');
            return new[] { a[0], b[0], b[1] };
        }).ToArray();
        Sample = client.Events[0];
    }

    public string Sample { get; }

    /// <summary>One event's wire JSON (for the storage limit's payload column).</summary>
    public (Guid Id, DateTimeOffset Time, string Json) NextEvent()
    {
        var n = Interlocked.Increment(ref _n);
        var t = _templates[n % _templates.Length];
        var id = Guid.CreateVersion7();
        var time = DateTimeOffset.UtcNow;
        return (id, time, t[0] + "\"" + id.ToString("D") + "\"" + t[1] + "\"" + time.ToString("O", CultureInfo.InvariantCulture) + "\"" + t[2]);
    }

    /// <summary>A <c>{"events":[...]}</c> body of <see cref="IngestLoad.EventsPerRequest"/> events.</summary>
    public byte[] Next()
    {
        var builder = new StringBuilder(40_000);
        builder.Append("{\"events\":[");
        for (var i = 0; i < IngestLoad.EventsPerRequest; i++)
        {
            if (i > 0) builder.Append(',');
            builder.Append(NextEvent().Json);
        }

        builder.Append("]}");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}

/// <summary>The storage's own write limit: the same rows, batched, without HTTP, validation or the server around them.</summary>
internal static class StorageLimit
{
    private const int RowsPerTransaction = 1000;

    /// <summary>SQLite: the ingest store's table and indexes, WAL, synchronous=FULL (the server's default), one prepared INSERT ... ON CONFLICT DO NOTHING per row, one transaction per 1,000 rows.</summary>
    public static double Sqlite(string file, BatchFactory events, TimeSpan duration)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                CREATE TABLE events (
                    event_id TEXT NOT NULL PRIMARY KEY, id_from_fingerprint INTEGER NOT NULL, project TEXT NOT NULL, event TEXT NOT NULL,
                    timestamp INTEGER NOT NULL, received_at INTEGER NOT NULL, session_id TEXT, user_id TEXT, anonymous_id TEXT,
                    client_version TEXT NOT NULL, schema_version INTEGER NOT NULL, sampling_rate REAL NOT NULL, user_bucket INTEGER NOT NULL,
                    ip TEXT, device TEXT, os TEXT, browser TEXT, payload TEXT NOT NULL);
                CREATE INDEX ix_events_event_timestamp ON events (event, timestamp);
                CREATE INDEX ix_events_user_timestamp ON events (user_id, timestamp);
                CREATE INDEX ix_events_session ON events (session_id);
                CREATE INDEX ix_events_anonymous ON events (anonymous_id);
                CREATE INDEX ix_events_timestamp ON events (timestamp);
                CREATE INDEX ix_events_received_at ON events (received_at);
                """;
            setup.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO events (event_id, id_from_fingerprint, project, event, timestamp, received_at, session_id, user_id, anonymous_id, client_version, schema_version, sampling_rate, user_bucket, ip, device, os, browser, payload) VALUES ($id, 0, 'default', 'watchlist.add', $ts, $received, $session, $user, $anon, '1.0.0', 1, 0.1, $bucket, '127.0.0.0', NULL, NULL, NULL, $payload) ON CONFLICT(event_id) DO NOTHING";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var received = command.Parameters.Add("$received", SqliteType.Integer);
        var session = command.Parameters.Add("$session", SqliteType.Text);
        var user = command.Parameters.Add("$user", SqliteType.Text);
        var anon = command.Parameters.Add("$anon", SqliteType.Text);
        var bucket = command.Parameters.Add("$bucket", SqliteType.Integer);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        command.Prepare();
        var sessionId = Guid.NewGuid().ToString("D");
        var userId = Users.SampledIn(WatchlistAdd.Descriptor);
        var anonymousId = Guid.NewGuid().ToString("D");
        var prepared = Enumerable.Range(0, RowsPerTransaction * 10).Select(_ => events.NextEvent()).ToArray();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            for (var i = 0; i < RowsPerTransaction; i++)
            {
                var e = prepared[(rows + i) % prepared.Length];
                id.Value = Guid.CreateVersion7().ToString("D");
                ts.Value = e.Time.ToUnixTimeMilliseconds();
                received.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                session.Value = sessionId;
                user.Value = userId;
                anon.Value = anonymousId;
                bucket.Value = 42;
                payload.Value = e.Json;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            rows += RowsPerTransaction;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    /// <summary>PostgreSQL: binary COPY of 1,000 rows per transaction into a table with the events table's columns, key and indexes.</summary>
    public static async Task<double> PostgresAsync(string connectionString, BatchFactory events, TimeSpan duration)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var setup = new NpgsqlCommand("""
            DROP TABLE IF EXISTS events_limit;
            CREATE TABLE events_limit (
                event_id uuid NOT NULL PRIMARY KEY, id_from_fingerprint boolean NOT NULL, project text NOT NULL, event text NOT NULL,
                timestamp timestamptz NOT NULL, received_at timestamptz NOT NULL, session_id text, user_id text, anonymous_id text,
                client_version text NOT NULL, schema_version integer NOT NULL, sampling_rate double precision NOT NULL,
                user_bucket integer NOT NULL, ip text, device text, os text, browser text, payload text NOT NULL);
            CREATE INDEX ON events_limit (event, timestamp);
            CREATE INDEX ON events_limit (user_id, timestamp);
            CREATE INDEX ON events_limit (session_id);
            CREATE INDEX ON events_limit (anonymous_id);
            CREATE INDEX ON events_limit (timestamp);
            """, connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var sessionId = Guid.NewGuid().ToString("D");
        var userId = Users.SampledIn(WatchlistAdd.Descriptor);
        var anonymousId = Guid.NewGuid().ToString("D");
        var prepared = Enumerable.Range(0, RowsPerTransaction * 10).Select(_ => events.NextEvent()).ToArray();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var import = await connection.BeginBinaryImportAsync("COPY events_limit (event_id, id_from_fingerprint, project, event, timestamp, received_at, session_id, user_id, anonymous_id, client_version, schema_version, sampling_rate, user_bucket, ip, device, os, browser, payload) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < RowsPerTransaction; i++)
                {
                    var e = prepared[(rows + i) % prepared.Length];
                    await import.StartRowAsync();
                    await import.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await import.WriteAsync(false, NpgsqlDbType.Boolean);
                    await import.WriteAsync("default", NpgsqlDbType.Text);
                    await import.WriteAsync("watchlist.add", NpgsqlDbType.Text);
                    await import.WriteAsync(e.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                    await import.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                    await import.WriteAsync(sessionId, NpgsqlDbType.Text);
                    await import.WriteAsync(userId, NpgsqlDbType.Text);
                    await import.WriteAsync(anonymousId, NpgsqlDbType.Text);
                    await import.WriteAsync("1.0.0", NpgsqlDbType.Text);
                    await import.WriteAsync(1, NpgsqlDbType.Integer);
                    await import.WriteAsync(0.1, NpgsqlDbType.Double);
                    await import.WriteAsync(42, NpgsqlDbType.Integer);
                    await import.WriteAsync("127.0.0.0", NpgsqlDbType.Text);
                    await import.WriteNullAsync();
                    await import.WriteNullAsync();
                    await import.WriteNullAsync();
                    await import.WriteAsync(e.Json, NpgsqlDbType.Text);
                }

                await import.CompleteAsync();
            }

            await transaction.CommitAsync();
            rows += RowsPerTransaction;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }
}

internal sealed record LoadPhase(long Requests, long Failures, long AcceptedEvents, double Seconds, double EventsPerSecond, double P50Ms, double P99Ms, double MaxMs)
{
    public static LoadPhase From(List<double> latencies, long accepted, long failures, double seconds)
    {
        latencies.Sort();
        double Pct(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new LoadPhase(latencies.Count, failures, accepted, seconds, accepted / seconds, Pct(0.50), Pct(0.99), latencies.Count == 0 ? 0 : latencies[^1]);
    }

    public override string ToString() =>
        $"{Requests:N0} requests ({Failures:N0} failed), {AcceptedEvents:N0} events accepted in {Seconds:0.0} s = {EventsPerSecond:N0} events/s; p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms, max {MaxMs:0.0} ms";
}

internal sealed record IngestResult(string Storage, LoadPhase Saturated, LoadPhase Half, double HalfTarget, double LimitRowsPerSecond, double RatioToLimit);
