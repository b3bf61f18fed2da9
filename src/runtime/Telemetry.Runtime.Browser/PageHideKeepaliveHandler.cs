using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Components.WebAssembly.Http;

namespace Telemetry.Runtime.Browser;

/// <summary>
/// Marks requests made by the page-hide flush as <c>fetch(..., { keepalive: true })</c>, so the browser finishes them
/// after the page is gone, while their bodies fit the keepalive budget (browsers refuse more than 64 KiB in flight).
/// Other requests pass unchanged.
/// </summary>
internal sealed class PageHideKeepaliveHandler : DelegatingHandler
{
    private static readonly AsyncLocal<bool> s_pageHiding = new();
    private readonly int _budget;
    private long _inFlight;

    public PageHideKeepaliveHandler(int budgetBytes) => _budget = budgetBytes;

    /// <summary>True in the flow of a page-hide flush (set by <see cref="BrowserTelemetry"/>).</summary>
    public static bool PageHiding
    {
        get => s_pageHiding.Value;
        set => s_pageHiding.Value = value;
    }

    private long _keepaliveRequests;

    /// <summary>Requests sent with keepalive (diagnostics).</summary>
    public long KeepaliveRequests => Interlocked.Read(ref _keepaliveRequests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long size = 0;
        if (PageHiding && request.Content is { } content)
        {
            size = content.Headers.ContentLength ?? long.MaxValue;
            if (Interlocked.Add(ref _inFlight, size) <= _budget)
            {
                request.SetBrowserRequestOption("keepalive", true);
                Interlocked.Increment(ref _keepaliveRequests);
            }
            else
            {
                Interlocked.Add(ref _inFlight, -size);
                size = 0;
            }
        }

        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (size > 0) Interlocked.Add(ref _inFlight, -size);
        }
    }
}
