using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace Telemetry.Runtime.Browser;

/// <summary>
/// The browser side of a telemetry pipeline: opens the IndexedDB queue, starts the pipeline, and follows the page's
/// lifecycle. When the page hides (<c>visibilitychange</c> to hidden, <c>pagehide</c>) it closes the aggregation
/// windows and queues what was captured synchronously, inside the event handler (so the IndexedDB write is under way
/// before the page can go), then sends what is queued with <c>fetch</c> keepalive within the browsers' 64 KiB budget;
/// when the network comes back (<c>online</c>) it retries at once instead of waiting out the backoff.
/// </summary>
public sealed class BrowserTelemetry : IAsyncDisposable
{
    private const string ModulePath = "./_content/Telemetry.Runtime.Browser/telemetry-browser.js";

    private readonly IJSRuntime _js;
    private readonly BrowserOfflineQueue _queue;
    private readonly Lazy<TelemetryPipeline> _pipeline;
    private readonly ILogger _logger;
    private readonly BrowserStorageOptions _options;
    private IJSInProcessObjectReference? _module;
    private DotNetObjectReference<BrowserTelemetry>? _self;
    private long _pageHides;
    private long _resumes;

    internal BrowserTelemetry(IJSRuntime js, BrowserOfflineQueue queue, Lazy<TelemetryPipeline> pipeline, IOptions<BrowserStorageOptions> options, ILoggerFactory loggerFactory)
    {
        _js = js;
        _queue = queue;
        _pipeline = pipeline;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger("Telemetry.Runtime.Browser");
    }

    /// <summary>The pipeline (created by <see cref="StartAsync"/>).</summary>
    public TelemetryPipeline Pipeline => _pipeline.Value;

    /// <summary>The IndexedDB-backed queue.</summary>
    public BrowserOfflineQueue Queue => _queue;

    /// <summary>Events restored from IndexedDB when the page started.</summary>
    public int Restored { get; private set; }

    /// <summary>Times the page hid and the pipeline flushed.</summary>
    public long PageHides => Interlocked.Read(ref _pageHides);

    /// <summary>Times the network came back (<c>online</c>) and delivery resumed at once.</summary>
    public long Resumes => Interlocked.Read(ref _resumes);

    /// <summary>True once <see cref="StartAsync"/> completed.</summary>
    public bool IsStarted => _module is not null;

    /// <summary>Loads the queue from IndexedDB, starts the pipeline and watches the page. Idempotent.</summary>
    public async Task StartAsync()
    {
        if (_module is not null) return;
        var module = await _js.InvokeAsync<IJSInProcessObjectReference>("import", ModulePath).ConfigureAwait(true);
        var stored = await module.InvokeAsync<string>("openQueue", _options.DatabaseName).ConfigureAwait(true);
        var (restored, skipped) = _queue.Attach(stored, (deletes, puts) => module.InvokeVoid("write", deletes, puts));
        Restored = restored;
        if (skipped > 0) _logger.LogWarning("Telemetry: {Skipped} unreadable record(s) in IndexedDB database {Database} were deleted.", skipped, _options.DatabaseName);
        _module = module;
        var pipeline = _pipeline.Value;
        pipeline.Start();
        _self = DotNetObjectReference.Create(this);
        module.InvokeVoid("watchPage", _self);
    }

    /// <summary>
    /// The page is hiding: close the aggregation windows, queue everything captured (IndexedDB write started now),
    /// and send what is queued with keepalive unless a backoff or Retry-After delay is running. Called by the page
    /// lifecycle hook; synchronous so the work is done before the handler returns.
    /// </summary>
    [JSInvokable]
    public void OnPageHidden()
    {
        if (_module is null) return;
        Interlocked.Increment(ref _pageHides);
        var pipeline = _pipeline.Value;
        pipeline.CloseWindowsAndIngest();
        if (_queue.Count == 0 || DateTimeOffset.UtcNow < pipeline.RetryNotBefore) return;
        var previous = PageHideKeepaliveHandler.PageHiding;
        PageHideKeepaliveHandler.PageHiding = true;
        try
        {
            // The fetches start inside this call; their answers settle the queue if the page is still there.
            _ = ObserveAsync(pipeline.DeliverAsync(CancellationToken.None), "page-hide flush");
        }
        finally
        {
            PageHideKeepaliveHandler.PageHiding = previous;
        }
    }

    /// <summary>The network is back: retry now (the backoff delay is cleared; a server's Retry-After is not kept either, as the browser went offline meanwhile).</summary>
    [JSInvokable]
    public async Task OnOnline()
    {
        if (_module is null) return;
        Interlocked.Increment(ref _resumes);
        var pipeline = _pipeline.Value;
        pipeline.ClearRetryDelay();
        if (_queue.Count > 0) await ObserveAsync(pipeline.DeliverAsync(CancellationToken.None), "resume on reconnect").ConfigureAwait(true);
    }

    /// <summary>Waits until every IndexedDB write started so far has completed (tests; an orderly close).</summary>
    public async Task WhenStoredAsync()
    {
        if (_module is null) return;
        await _module.InvokeAsync<int>("whenWritten").ConfigureAwait(true);
    }

    /// <summary>The JavaScript side's write counts as JSON: <c>{"pending":N,"failed":N,"lastError":...}</c>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The result is a string, which JS interop reads without reflection.")]
    public string WriteStatus() => _module?.Invoke<string>("writeStatus") ?? "{}";

    /// <summary>Stops the pipeline (what is captured is queued; delivery within the shutdown timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_pipeline.IsValueCreated) await _pipeline.Value.StopAsync().ConfigureAwait(true);
        _self?.Dispose();
        if (_module is not null) await _module.DisposeAsync().ConfigureAwait(true);
    }

    private async Task ObserveAsync(Task task, string what)
    {
        try
        {
            await task.ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "Telemetry: {What} failed; the events stay queued.", what);
        }
    }
}
