using System.Globalization;
using ChartPwa;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Telemetry.Runtime;

// The chart PWA. Settings come from wwwroot/appsettings.json, overridden by the page's query string:
//   ?ingest=http://127.0.0.1:5080&key=<write key>   where the IngestServer sample listens and its write key
//   &flush=ms                                        delivery interval (default 2000)
var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

var settings = PwaSettings.Read(builder.Configuration, new Uri(builder.HostEnvironment.BaseAddress), builder.Configuration["query"]);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<LiveCounts>();

builder.Services.AddTelemetry(o =>
    {
        o.ApplicationName = "ChartPwa";
        o.ClientVersion = "1.0.0";
        o.FlushInterval = settings.FlushInterval;
        // A browser session is short: retry a lost server every few seconds rather than backing off to minutes.
        o.MaxRetryDelay = TimeSpan.FromSeconds(5);
        o.SendTimeout = TimeSpan.FromSeconds(10);
    })
    .AddSink((_, http) => settings.WriteKey is { Length: > 0 } key
        ? new IngestSink(http, new IngestSinkOptions { BaseUrl = settings.IngestUrl, WriteKey = key, MaxBatchSize = 500 })
        : new NoOpSink())
    .UseBrowserStorage(o => o.DatabaseName = "chartpwa-telemetry");

var host = builder.Build();
await host.Services.StartBrowserTelemetryAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ChartPwa: sending to {(settings.WriteKey is null ? "nowhere (no write key: add ?key=...)" : settings.IngestUrl.ToString())}"));
await host.RunAsync();
