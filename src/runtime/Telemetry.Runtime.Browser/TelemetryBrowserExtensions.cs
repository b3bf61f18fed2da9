using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Telemetry.Runtime;
using Telemetry.Runtime.Browser;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs the telemetry pipeline in a browser (Blazor WebAssembly).</summary>
public static class TelemetryBrowserExtensions
{
    /// <summary>
    /// Keeps the offline queue in IndexedDB, consent and the anonymous id in localStorage, sends through the
    /// browser's <c>fetch</c> (keepalive while the page hides), and follows the page lifecycle. Call it on the result
    /// of <c>AddTelemetry(...)</c> in a Blazor WebAssembly <c>Program.cs</c>, then
    /// <c>await host.Services.StartBrowserTelemetryAsync()</c> before <c>host.RunAsync()</c>.
    /// </summary>
    public static TelemetryServiceBuilder UseBrowserStorage(this TelemetryServiceBuilder builder, Action<BrowserStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<BrowserStorageOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(o =>
        {
            o.Validate();
            return true;
        });

        // The browser's fetch instead of sockets; keepalive on requests of the page-hide flush. The keepalive handler wraps
        // the primary handler: the telemetry client drops every additional handler (app-wide defaults included).
        services.AddHttpClient(TelemetryHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new PageHideKeepaliveHandler(sp.GetRequiredService<IOptions<BrowserStorageOptions>>().Value.KeepaliveBudgetBytes)
            {
                InnerHandler = new HttpClientHandler(),
            });

        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var telemetry = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var browser = sp.GetRequiredService<IOptions<BrowserStorageOptions>>().Value;
            return new BrowserOfflineQueue(new QueueLimits(telemetry.MaxQueueRows, telemetry.MaxQueueBytes), browser.DatabaseName);
        }));
        services.Replace(ServiceDescriptor.Singleton<IOfflineQueue>(sp => sp.GetRequiredService<BrowserOfflineQueue>()));
        // The per-install key in localStorage, read before the pipeline exists: it keys the queue's and the consent
        // entries' subject hashes, which must be the same on the next page load (else restored events lose their consent).
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var js = InProcess(sp);
            var prefix = sp.GetRequiredService<IOptions<BrowserStorageOptions>>().Value.KeyPrefix;
            return new InstallKeySource(new HmacPersonalDataProtector(BrowserInstallKey.GetOrCreate(key => GetItem(js, key), (key, value) => SetItem(js, key, value), prefix)));
        }));
        services.Replace(ServiceDescriptor.Singleton<IConsentStore>(sp =>
        {
            var js = InProcess(sp);
            var prefix = sp.GetRequiredService<IOptions<BrowserStorageOptions>>().Value.KeyPrefix;
            return new LocalStorageConsentStore(key => GetItem(js, key), (key, value) => SetItem(js, key, value), sp.GetRequiredService<InstallKeySource>().Key, prefix);
        }));

        // The anonymous id lives in localStorage so a signed-out visitor keeps one sampling bucket across visits.
        services.AddSingleton<IPostConfigureOptions<TelemetryOptions>>(sp => new PostConfigureOptions<TelemetryOptions>(Options.Options.DefaultName, o =>
        {
            if (o.AnonymousId is not null) return;
            var js = InProcess(sp);
            var key = sp.GetRequiredService<IOptions<BrowserStorageOptions>>().Value.KeyPrefix + "anonymous-id";
            var stored = GetItem(js, key);
            if (stored is null || !Guid.TryParse(stored, out _))
            {
                stored = Guid.NewGuid().ToString("D");
                SetItem(js, key, stored);
            }

            o.AnonymousId = stored;
        }));

        services.TryAddSingleton(sp => new BrowserTelemetry(
            sp.GetRequiredService<IJSRuntime>(),
            sp.GetRequiredService<BrowserOfflineQueue>(),
            new Lazy<TelemetryPipeline>(sp.GetRequiredService<TelemetryPipeline>),
            sp.GetRequiredService<IOptions<BrowserStorageOptions>>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        return builder;
    }

    /// <summary>
    /// Loads the queue a previous visit left in IndexedDB, starts the pipeline and watches the page (hide, online).
    /// Await it after <c>builder.Build()</c> and before <c>RunAsync()</c>: Blazor WebAssembly runs no hosted services.
    /// </summary>
    public static async Task<BrowserTelemetry> StartBrowserTelemetryAsync(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var telemetry = services.GetService<BrowserTelemetry>()
            ?? throw new InvalidOperationException("StartBrowserTelemetryAsync needs AddTelemetry(...).UseBrowserStorage() in the service registrations.");
        await telemetry.StartAsync().ConfigureAwait(true);
        return telemetry;
    }

    private static IJSInProcessRuntime InProcess(IServiceProvider sp) =>
        sp.GetRequiredService<IJSRuntime>() as IJSInProcessRuntime
        ?? throw new PlatformNotSupportedException("UseBrowserStorage runs in Blazor WebAssembly only (it needs synchronous JavaScript interop).");

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The result is a string, which JS interop reads without reflection.")]
    private static string? GetItem(IJSInProcessRuntime js, string key) => js.Invoke<string?>("localStorage.getItem", key);

    private static void SetItem(IJSInProcessRuntime js, string key, string? value)
    {
        if (value is null) js.InvokeVoid("localStorage.removeItem", key);
        else js.InvokeVoid("localStorage.setItem", key, value);
    }
}
