using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Security;

/// <summary>Browser clients: preflights answered (and cacheable) for listed origins only; retry headers readable by the page.</summary>
public sealed class CorsTests
{
    private const string Allowed = "http://127.0.0.1:5173";

    [Fact]
    public async Task Listed_origin_gets_a_cacheable_preflight_and_readable_retry_headers()
    {
        await using var host = await IngestHost.StartAsync(o => o.Cors.AllowedOrigins.Add(Allowed + "/"));

        using var preflight = await host.Client.SendAsync(Preflight(host, Allowed));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Allowed, Single(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal("7200", Single(preflight, "Access-Control-Max-Age"));
        var allowedHeaders = Single(preflight, "Access-Control-Allow-Headers")!.ToLowerInvariant();
        Assert.Contains("authorization", allowedHeaders);
        Assert.Contains("content-type", allowedHeaders);
        Assert.Contains("content-encoding", allowedHeaders);
        Assert.Contains("POST", Single(preflight, "Access-Control-Allow-Methods")!);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(Events.Batch(Events.Zoom()), Encoding.UTF8, "application/json") };
        post.Headers.Add("Origin", Allowed);
        using var answer = await host.Client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(Allowed, Single(answer, "Access-Control-Allow-Origin"));
        var exposed = Single(answer, "Access-Control-Expose-Headers")!.ToLowerInvariant();
        Assert.Contains("retry-after", exposed);
        Assert.Contains("x-agg-window-override", exposed);
        Assert.Equal(1, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Other_origins_and_servers_without_a_list_get_no_cross_origin_access()
    {
        await using (var host = await IngestHost.StartAsync(o => o.Cors.AllowedOrigins.Add(Allowed)))
        {
            using var other = await host.Client.SendAsync(Preflight(host, "http://127.0.0.1:9999"));
            Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

            // The admin endpoints never answer browsers.
            using var admin = await host.Client.SendAsync(Preflight(host, Allowed, "/admin/keys"));
            Assert.False(admin.Headers.Contains("Access-Control-Allow-Origin"));
        }

        await using var closed = await IngestHost.StartAsync();
        using var none = await closed.Client.SendAsync(Preflight(closed, Allowed));
        Assert.False(none.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflights_do_not_use_up_the_rate_limit()
    {
        await using var host = await IngestHost.StartAsync(o =>
        {
            o.Cors.AllowedOrigins.Add(Allowed);
            o.RateLimit.PerIpPermits = 2;
            o.RateLimit.PerKeyPermits = 2;
        });

        for (var i = 0; i < 5; i++)
        {
            using var preflight = await host.Client.SendAsync(Preflight(host, Allowed));
            Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        }

        using var answer = await host.PostBatchAsync(Events.Zoom());
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
    }

    [Theory]
    [InlineData("https://app.example.com/path")]
    [InlineData("*")]
    [InlineData("ftp://example.com")]
    [InlineData("app.example.com")]
    public async Task A_list_entry_that_is_not_an_origin_stops_the_server_with_a_clear_error(string entry)
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
        {
            await using var host = await IngestHost.StartAsync(o => o.Cors.AllowedOrigins.Add(entry));
        });
        Assert.Contains("Ingest:Cors:AllowedOrigins", error.Message);
        Assert.Contains(entry, error.Message);
    }

    private static HttpRequestMessage Preflight(IngestHost host, string origin, string path = "/v1/batch")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(host.BaseAddress, path));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,content-encoding");
        return request;
    }

    private static string? Single(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
