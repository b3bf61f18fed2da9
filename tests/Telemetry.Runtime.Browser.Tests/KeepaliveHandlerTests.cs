using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.JSInterop;
using Telemetry.Runtime;
using Telemetry.Runtime.Browser;

namespace Telemetry.Runtime.Browser.Tests;

/// <summary>The page-hide flush's keepalive marking: in the telemetry client's handler chain, and within the budget.</summary>
public sealed class KeepaliveHandlerTests
{
    private static readonly HttpRequestOptionsKey<IDictionary<string, object>> FetchOptions = new("WebAssemblyFetchOptions");

    [Fact]
    public void The_telemetry_http_client_sends_through_the_keepalive_handler()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IJSRuntime>(new NoJs());
        services.AddTelemetry().AddSink(new NoOpSink()).UseBrowserStorage();
        using var provider = services.BuildServiceProvider();

        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(TelemetryHttp.ClientName);
        var chain = new List<HttpMessageHandler>();
        for (HttpMessageHandler? h = handler; h is not null; h = (h as DelegatingHandler)?.InnerHandler) chain.Add(h);
        Assert.Contains(chain, h => h is PageHideKeepaliveHandler);
        Assert.IsType<HttpClientHandler>(chain[^1]);
    }

    [Fact]
    public async Task Only_page_hide_requests_within_the_budget_in_flight_are_marked_keepalive()
    {
        var inner = new HeldHandler();
        using var invoker = new HttpMessageInvoker(new PageHideKeepaliveHandler(60_000) { InnerHandler = inner });

        // Not hiding: never keepalive.
        await invoker.SendAsync(Post(1_000), CancellationToken.None);
        Assert.False(IsKeepalive(inner.Requests[^1]));

        PageHideKeepaliveHandler.PageHiding = true;
        try
        {
            inner.Hold = true;
            var first = invoker.SendAsync(Post(40_000), CancellationToken.None);   // 40,000 in flight
            var second = invoker.SendAsync(Post(30_000), CancellationToken.None);  // would be 70,000: sent without keepalive
            var third = invoker.SendAsync(Post(20_000), CancellationToken.None);   // 60,000: fits
            inner.Release();
            await Task.WhenAll(first, second, third);
            Assert.Equal([true, false, true], inner.Requests.Skip(1).Select(IsKeepalive));

            // Settled requests leave the budget.
            inner.Hold = false;
            await invoker.SendAsync(Post(59_000), CancellationToken.None);
            Assert.True(IsKeepalive(inner.Requests[^1]));
        }
        finally
        {
            PageHideKeepaliveHandler.PageHiding = false;
        }
    }

    private static HttpRequestMessage Post(int bytes) => new(HttpMethod.Post, "http://127.0.0.1/v1/batch") { Content = new ByteArrayContent(new byte[bytes]) };

    private static bool IsKeepalive(HttpRequestMessage request) =>
        request.Options.TryGetValue(FetchOptions, out var options) && options.TryGetValue("keepalive", out var value) && value is true;

    private sealed class HeldHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<HttpRequestMessage> Requests { get; } = [];

        public bool Hold { get; set; }

        public void Release() => _gate.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (Hold) await _gate.Task;
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class NoJs : IJSInProcessRuntime
    {
        public TValue Invoke<TValue>(string identifier, params object?[]? args) => throw new InvalidOperationException("no interop in this test");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => throw new InvalidOperationException("no interop in this test");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => throw new InvalidOperationException("no interop in this test");
    }
}
