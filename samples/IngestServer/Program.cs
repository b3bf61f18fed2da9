// The ingest server sample. With no options it stores events in SQLite under the per-user data folder, loads the
// catalog copied next to the program (the repository's catalog/ folder), creates a write key and an admin key on first
// start (kept in keys.json in the data folder) and prints the URL and the keys.
//
//   dotnet run --project samples/IngestServer
//   dotnet run --project samples/IngestServer -- --urls http://127.0.0.1:5080
//   dotnet run --project samples/IngestServer -- --postgres "Host=127.0.0.1;Username=postgres;Password=postgres;Database=telemetry"
//
// Options (also as configuration keys, e.g. environment variable Ingest__Storage__ConnectionString):
//   --urls URL[;URL]        where to listen (default http://127.0.0.1:5080)
//   --data PATH             data folder: SQLite file, archive, keys.json
//   --catalog PATH          catalog folder (default: the catalog copied next to the program, else ./catalog)
//   --postgres CONNECTION   store in PostgreSQL (same as --Ingest:Storage:Provider Postgres --Ingest:Storage:ConnectionString ...)
//   --sqlite CONNECTION     SQLite connection string (default Data Source=<data>/ingest.db)
//   --Ingest:KEY VALUE      any other option of the Ingest section (see docs/ingest.md), e.g.
//                           --Ingest:Cors:AllowedOrigins:0 https://app.example.com (default: the ChartPwa sample's page)
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Telemetry.Ingest;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--data"] = "Ingest:Storage:DataPath",
    ["--catalog"] = "Ingest:CatalogPath",
    ["--sqlite"] = "Ingest:Storage:ConnectionString",
});
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

var section = builder.Configuration.GetSection(IngestOptions.SectionName);
var dataPath = Path.GetFullPath(section["Storage:DataPath"] ?? Path.Combine(
    Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Telemetry.IngestServer"));
CreatePrivateFolder(dataPath);
var keys = LoadOrCreateKeys(Path.Combine(dataPath, "keys.json"));
var postgres = builder.Configuration["postgres"];

builder.Services.AddTelemetryIngest(section, options =>
{
    options.Storage.DataPath = dataPath;
    options.CatalogPath ??= FindCatalog();
    if (!string.IsNullOrEmpty(postgres))
    {
        options.Storage.Provider = StorageProvider.Postgres;
        options.Storage.ConnectionString = postgres;
    }

    if (options.Projects.Count == 0) options.Projects.Add(new ProjectOptions { Name = "default", WriteKey = keys.WriteKey });

    // The ChartPwa sample's page (dotnet run --project samples/ChartPwa) may post from the browser.
    if (options.Cors.AllowedOrigins.Count == 0) options.Cors.AllowedOrigins.AddRange(["http://127.0.0.1:5090", "http://localhost:5090"]);
    options.AdminKey ??= keys.AdminKey;
});

builder.Services.AddTelemetryIngestPrometheus();
builder.Services.AddTelemetryDashboard(section.GetSection("Dashboard"));

var app = builder.Build();
app.MapTelemetryIngest();
app.MapTelemetryIngestMetrics();   // GET /metrics, Prometheus text format
app.MapTelemetryDashboard();
app.MapGet("/", () => Results.Text("Telemetry ingest server: POST /v1/batch, POST /api/analytics/agg, dashboard at /dashboard; see docs/ingest.md\n"));

await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? Array.Empty<string>();
var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestOptions>>().Value;
Console.WriteLine($"Ingest server listening on {string.Join(", ", addresses)}");
Console.WriteLine($"  storage:   {options.Storage.Provider}{(options.Storage.Provider == StorageProvider.Sqlite ? " (" + (options.Storage.ConnectionString ?? Path.Combine(dataPath, "ingest.db")) + ")" : "")}");
Console.WriteLine($"  catalog:   {options.CatalogPath}");
Console.WriteLine($"  data:      {dataPath}");
Console.WriteLine($"  write key: {(options.Projects.Count > 0 && options.Projects[0].WriteKey == keys.WriteKey ? keys.WriteKey : "(from configuration)")}");
Console.WriteLine($"  admin key: {(options.AdminKey == keys.AdminKey ? keys.AdminKey : "(from configuration)")}");
Console.WriteLine($"  dashboard: {addresses.FirstOrDefault()}/dashboard (sign in with the admin key)");
Console.WriteLine($"Try: curl -X POST {addresses.FirstOrDefault()}/v1/batch -H 'Authorization: Bearer <write key>' -H 'Content-Type: application/json' -d '{{\"events\":[...]}}'");
await app.WaitForShutdownAsync();

static string FindCatalog()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "catalog");
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.yaml").Any()) return candidate;
        }
    }

    return Path.Combine(Environment.CurrentDirectory, "catalog");
}

static void CreatePrivateFolder(string path)
{
    if (Directory.Exists(path)) return;
    if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
    else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}

static SampleKeys LoadOrCreateKeys(string file)
{
    if (File.Exists(file))
    {
        var existing = JsonSerializer.Deserialize<SampleKeys>(File.ReadAllText(file));
        if (existing is { WriteKey.Length: > 0, AdminKey.Length: > 0 }) return existing;
    }

    var keys = new SampleKeys("wk_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
        "ak_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
    File.WriteAllText(file, JsonSerializer.Serialize(keys));
    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    return keys;
}

internal sealed record SampleKeys(string WriteKey, string AdminKey);
