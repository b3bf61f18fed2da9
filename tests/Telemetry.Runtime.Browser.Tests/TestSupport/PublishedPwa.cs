using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime.Browser.Tests.TestSupport;

/// <summary>samples/ChartPwa published once per test run (Release), or the folder in $CHARTPWA_PUBLISHED.</summary>
internal static class PublishedPwa
{
    private static readonly Lazy<Task<string>> s_wwwroot = new(PublishAsync);

    public static Task<string> WwwrootAsync() => s_wwwroot.Value;

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable("CHARTPWA_PUBLISHED") is { Length: > 0 } given)
        {
            var dir = Directory.Exists(Path.Combine(given, "wwwroot")) ? Path.Combine(given, "wwwroot") : given;
            if (!File.Exists(Path.Combine(dir, "index.html"))) throw new InvalidOperationException("CHARTPWA_PUBLISHED has no index.html: " + given);
            return dir;
        }

        var output = Path.Combine(Path.GetTempPath(), "chartpwa-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(Repo.Root, "samples", "ChartPwa", "ChartPwa.csproj"), "-c", "Release", "-o", output, "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish samples/ChartPwa failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return Path.Combine(output, "wwwroot");
    }
}

/// <summary>A static file server for the published PWA on 127.0.0.1 (free port), index.html as the fallback.</summary>
internal sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public static async Task<StaticSite> StartAsync(string wwwroot)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = wwwroot, EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var files = new PhysicalFileProvider(wwwroot);
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".webmanifest"] = "application/manifest+json";
        types.Mappings[".dat"] = "application/octet-stream";
        types.Mappings[".wasm"] = "application/wasm";
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = types, ServeUnknownFileTypes = true });
        app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StaticSite(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
