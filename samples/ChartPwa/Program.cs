using System.Globalization;
using ChartPwa;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Telemetry.Runtime;

// The chart PWA. Settings come from wwwroot/appsettings.json, overridden by the page's query string:
//   ?ingest=http://127.0.0.1:5080&key=<write key>   where the IngestServer sample listens and its write key
//   &flush=ms                                        delivery interval (default 2000)
//   &sampling=all                                    record every event (the catalog samples some per user; demos, tests)
//   &retry=ms                                        first and longest retry delay after a failed send (default 1 s .. 5 s)
var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

builder.Services.AddSingleton(sp => PwaSettings.Read(builder.Configuration, new Uri(sp.GetRequiredService<NavigationManager>().Uri)));
builder.Services.AddSingleton<LiveCounts>();

builder.Services.AddTelemetry(o =>
    {
        o.ApplicationName = "ChartPwa";
        o.ClientVersion = "1.0.0";
        // A browser session is short: retry a lost server every few seconds rather than backing off to minutes.
        o.MaxRetryDelay = TimeSpan.FromSeconds(5);
        o.SendTimeout = TimeSpan.FromSeconds(10);
    })
    .AddSink((sp, http) => sp.GetRequiredService<PwaSettings>() is { WriteKey: { Length: > 0 } key } settings
        ? new IngestSink(http, new IngestSinkOptions { BaseUrl = settings.IngestUrl, WriteKey = key, MaxBatchSize = 500 })
        : new NoOpSink())
    .UseBrowserStorage(o => o.DatabaseName = "chartpwa-telemetry");
builder.Services.AddOptions<TelemetryOptions>().Configure<PwaSettings>((o, settings) =>
{
    o.FlushInterval = settings.FlushInterval;
    if (settings.RecordEverything) o.Sampling["*"] = SamplingRule.Always();
    if (settings.RetryDelay is { } retry)
    {
        o.InitialRetryDelay = retry;
        o.MaxRetryDelay = retry;
    }
});

var host = builder.Build();
await host.Services.StartBrowserTelemetryAsync();
var sending = host.Services.GetRequiredService<PwaSettings>();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ChartPwa: sending to {(sending.WriteKey is null ? "nowhere (no write key: add ?key=...)" : sending.IngestUrl.ToString())}"));
await host.RunAsync();
