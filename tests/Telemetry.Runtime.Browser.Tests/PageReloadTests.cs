using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Telemetry.Runtime;
using Telemetry.Runtime.Browser;

namespace Telemetry.Runtime.Browser.Tests;

/// <summary>
/// The browser wiring (<c>AddTelemetry(...).UseBrowserStorage()</c>) across a page reload, in-process: localStorage and
/// the IndexedDB store are dictionaries that outlive the service provider, as the browser's storage outlives a page.
/// </summary>
public sealed class PageReloadTests
{
    [Fact]
    public async Task Events_queued_before_a_reload_keep_the_users_consent_in_an_opt_in_app()
    {
        var page = new BrowserStorage();

        // Page 1: opt-in app, the user grants consent, tracks, and the server is unreachable.
        var down = new Sink(SinkOutcome.RetryLater);
        await using (var first = page.Load(down))
        {
            var pipeline = first.GetRequiredService<TelemetryPipeline>();
            await pipeline.SetConsentAsync(true);
            for (var i = 0; i < 3; i++) pipeline.Track(new Probe(i));
            await pipeline.FlushAsync();
            Assert.Equal(3, first.GetRequiredService<BrowserOfflineQueue>().Count);
        }

        Assert.Empty(down.Delivered);
        Assert.Equal(3, page.Queue.Values.Count);
        Assert.Single(page.Local, p => p.Key == "telemetry.privacy.key");

        // The queue stores the subject keyed with the install key from localStorage (not a key of this process or folder).
        var installKey = new HmacPersonalDataProtector(Convert.FromHexString(page.Local["telemetry.privacy.key"]));
        var subject = installKey.Hash(page.Local["telemetry.anonymous-id"]);
        Assert.All(page.Queue.Values, r => Assert.Equal(subject, (string?)r["subject"]));

        // Page 2: the same storage; the restored events are the same subject's, so its consent still holds.
        var up = new Sink(SinkOutcome.Delivered);
        await using (var second = page.Load(up))
        {
            var pipeline = second.GetRequiredService<TelemetryPipeline>();
            Assert.Equal(ConsentState.Granted, pipeline.Consent);
            await pipeline.FlushAsync();
            Assert.Equal(0, second.GetRequiredService<BrowserOfflineQueue>().Count);
            Assert.Equal(0, pipeline.Health.Dropped);
        }

        Assert.Equal(3, up.Delivered.Count);
        Assert.Equal(3, up.Delivered.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Forget_me_after_a_reload_purges_what_the_previous_page_queued()
    {
        var page = new BrowserStorage();
        await using (var first = page.Load(new Sink(SinkOutcome.RetryLater)))
        {
            var pipeline = first.GetRequiredService<TelemetryPipeline>();
            await pipeline.SetConsentAsync(true);
            pipeline.Track(new Probe(1));
            await pipeline.FlushAsync();
        }

        Assert.Single(page.Queue);
        var sink = new Sink(SinkOutcome.Delivered);
        await using (var second = page.Load(sink))
        {
            var pipeline = second.GetRequiredService<TelemetryPipeline>();
            Assert.Equal(1, await pipeline.ForgetMeAsync());
            await pipeline.FlushAsync();
        }

        Assert.Empty(page.Queue);
        Assert.Empty(sink.Delivered);
    }

    /// <summary>What survives a page load: localStorage and the IndexedDB object store.</summary>
    private sealed class BrowserStorage
    {
        // Off the browser the runtime also finds a folder (with its own key file): a throwaway one, which the browser key must win over.
        private readonly string _folder = Directory.CreateTempSubdirectory("reload-").FullName;

        public Dictionary<string, string> Local { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, JsonNode> Queue { get; } = new(StringComparer.Ordinal);

        public ServiceProvider Load(ITelemetrySink sink)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IJSRuntime>(new LocalStorageJs(Local));
            services.AddTelemetry(o =>
                {
                    o.ApplicationName = "ReloadTest";
                    o.StorageDirectory = _folder;
                    o.DefaultConsent = ConsentState.Denied;
                    o.InitialRetryDelay = TimeSpan.FromMilliseconds(1);
                })
                .AddSink(sink)
                .UseBrowserStorage();
            var provider = services.BuildServiceProvider();

            // What StartBrowserTelemetryAsync does with the JavaScript module: restore the stored records, write through.
            provider.GetRequiredService<BrowserOfflineQueue>().Attach(new JsonArray(Queue.Values.Select(r => r.DeepClone()).ToArray()).ToJsonString(), Write);
            return provider;
        }

        private void Write(string? deletes, string? puts)
        {
            if (deletes is not null) foreach (var id in JsonNode.Parse(deletes)!.AsArray()) Queue.Remove((string)id!);
            if (puts is not null) foreach (var record in JsonNode.Parse(puts)!.AsArray()) Queue[(string)record!["id"]!] = record.DeepClone();
        }
    }

    /// <summary>The page's synchronous JavaScript interop as the browser runtime uses it: localStorage only.</summary>
    private sealed class LocalStorageJs(Dictionary<string, string> storage) : IJSInProcessRuntime
    {
        public TValue Invoke<TValue>(string identifier, params object?[]? args)
        {
            var key = (string)args![0]!;
            switch (identifier)
            {
                case "localStorage.getItem":
                    return (TValue)(object?)storage.GetValueOrDefault(key)!;
                case "localStorage.setItem":
                    storage[key] = (string)args[1]!;
                    return default!;
                case "localStorage.removeItem":
                    storage.Remove(key);
                    return default!;
                default:
                    throw new InvalidOperationException("unexpected interop call " + identifier);
            }
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(Invoke<TValue>(identifier, args));

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => InvokeAsync<TValue>(identifier, args);
    }

    private sealed class Sink(SinkOutcome outcome) : ITelemetrySink
    {
        public List<OutgoingEvent> Delivered { get; } = [];

        public string Name => "test";

        public int MaxBatchSize => 100;

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
        {
            if (outcome == SinkOutcome.Delivered) Delivered.AddRange(batch);
            return ValueTask.FromResult(new SinkResult(outcome));
        }
    }

    private readonly record struct Probe(int Step) : ITelemetryEvent<Probe>
    {
        public static EventDescriptor Descriptor { get; } = new(
            "probe.step", 1, EventTier.B, EventStatus.Active, 1.0, false, Sensitivity.None, EventFrequency.Normal, false, 0, null, 0,
            [new PropertyDescriptor("step", "int32", true, null, PiiTreatment.None)], "{}");

        public void WriteProperties(Utf8JsonWriter writer) => writer.WriteNumber("step", Step);
    }
}
