using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telemetry.Ingest;

namespace Telemetry.Runtime.Browser.Tests.TestSupport;

/// <summary>The ingest server on a fixed loopback port and data folder, so it can be stopped and started again.</summary>
internal sealed class IngestServer : IAsyncDisposable
{
    public const string WriteKey = "wk-browser-0123456789";

    private readonly string _allowedOrigin;
    private WebApplication? _app;

    public IngestServer(string allowedOrigin)
    {
        _allowedOrigin = allowedOrigin;
        DataPath = Directory.CreateTempSubdirectory("ingest-browser-").FullName;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public string DataPath { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public bool IsRunning => _app is not null;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = DataPath });
        builder.WebHost.UseUrls(Address.ToString());
        builder.Logging.ClearProviders();
        builder.Services.AddTelemetryIngest(o =>
        {
            o.CatalogPath = Repo.Catalog;
            o.Storage.DataPath = DataPath;
            o.Projects.Add(new ProjectOptions { Name = "pwa", WriteKey = WriteKey });
            o.AdminKey = "ak-browser-0123456789";
            o.RateLimit.PerKeyPermits = 100_000;
            o.RateLimit.PerIpPermits = 100_000;
            o.Archive.Enabled = false;
            o.Cors.AllowedOrigins.Add(_allowedOrigin);
        });
        var app = builder.Build();
        app.MapTelemetryIngest();
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Stored events by name (the server's table, deduplicated by event id).</summary>
    public Dictionary<string, long> CountByName() => Query("SELECT event, COUNT(*) FROM events GROUP BY event", r => (r.GetString(0), r.GetInt64(1)))
        .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    /// <summary>Sum of the <c>count</c> property of stored crosshair aggregates: the pointer moves they summarise.</summary>
    public long AggregatedMoves() => Query("SELECT COALESCE(SUM(COALESCE(json_extract(payload, '$.count'), json_extract(payload, '$.properties.count'))), 0) FROM events WHERE event = 'chart.crosshair_agg'", r => r.GetInt64(0)).Single();

    /// <summary>The stored payloads (JSON) of <paramref name="eventName"/>.</summary>
    public List<string> Payloads(string eventName) => Query("SELECT payload FROM events WHERE event = $name", r => r.GetString(0), ("$name", eventName));

    public long Stored() => Query("SELECT COUNT(*) FROM events", r => r.GetInt64(0)).Single();

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        var path = Path.Combine(DataPath, "ingest.db");
        var list = new List<T>();
        if (!File.Exists(path)) return list;
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        while (reader.Read()) list.Add(read(reader));
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
