using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>The ingest server on real Kestrel at 127.0.0.1 (free port), storing in SQLite in a temp folder or in PostgreSQL.</summary>
internal sealed class IngestHost : IAsyncDisposable
{
    public const string WriteKey = "wk-test-0123456789";
    public const string OtherWriteKey = "wk-other-0123456789";
    public const string AdminKey = "ak-test-0123456789";

    private readonly TempFolder? _ownedFolder;
    private bool _stopped;

    private IngestHost(WebApplication app, string baseAddress, string dataPath, TempFolder? ownedFolder)
    {
        App = app;
        BaseAddress = new Uri(baseAddress);
        DataPath = dataPath;
        _ownedFolder = ownedFolder;
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WriteKey);
        Admin = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public string DataPath { get; }

    /// <summary>Sends with the project's write key.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends with the admin key.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<IngestHost> StartAsync(
        Action<IngestOptions>? configure = null,
        string? postgres = null,
        string? dataPath = null,
        Action<IServiceCollection>? services = null)
    {
        var folder = dataPath is null ? new TempFolder() : null;
        var data = dataPath ?? folder!.Path;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = data });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        services?.Invoke(builder.Services);
        builder.Services.AddTelemetryIngest(o =>
        {
            o.CatalogPath = Repo.Catalog;
            o.Storage.DataPath = data;
            o.Projects.Add(new ProjectOptions { Name = "test", WriteKey = WriteKey });
            o.Projects.Add(new ProjectOptions { Name = "other", WriteKey = OtherWriteKey });
            o.AdminKey = AdminKey;
            o.RateLimit.PerKeyPermits = 100_000;
            o.RateLimit.PerIpPermits = 100_000;
            if (postgres is not null)
            {
                o.Storage.Provider = StorageProvider.Postgres;
                o.Storage.ConnectionString = postgres;
            }

            configure?.Invoke(o);
        });
        builder.Services.AddTelemetryIngestPrometheus();
        var app = builder.Build();
        app.MapTelemetryIngest();
        app.MapTelemetryIngestMetrics();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IngestHost(app, address, data, folder);
    }

    public Task<HttpResponseMessage> PostBatchAsync(params JsonObject[] events) => PostJsonAsync("/v1/batch", Events.Batch(events));

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, HttpClient? client = null) =>
        (client ?? Client).PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonNode> AdminJsonAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<long> StoredCountAsync() => (long)(await AdminJsonAsync("/admin/stats"))["events_stored"]!;

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await App.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await StopAsync();
        await App.DisposeAsync();
        _ownedFolder?.Dispose();
    }
}
