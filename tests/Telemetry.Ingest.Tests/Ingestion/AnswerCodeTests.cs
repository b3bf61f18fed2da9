using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Ingestion;

/// <summary>Every answer the ingest endpoints give, each with its problem document and nothing stored for whole-request rejections.</summary>
public sealed class AnswerCodeTests
{
    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:telemetry:ingest:" + code, (string?)problem["type"]);
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        return problem;
    }

    [Fact]
    public async Task Batch_with_some_invalid_events_stores_the_valid_ones_and_lists_each_rejection_as_a_problem_entry()
    {
        await using var host = await IngestHost.StartAsync();
        var bad = Events.PlaceSim();
        bad["price"] = -5;
        var badId = (string)bad["event_id"]!;
        var unknown = Events.Zoom();
        unknown["event"] = "nope.nothing";

        using var response = await host.PostBatchAsync(Events.Zoom(), Events.Zoom(), Events.Zoom(), bad, unknown);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, (int)body["accepted"]!);
        var rejected = body["rejected"]!.AsArray();
        Assert.Equal(2, rejected.Count);
        var price = rejected[0]!;
        Assert.Equal(3, (int)price["index"]!);
        Assert.Equal(badId, (string?)price["event_id"]);
        Assert.Equal("$.events[3].price", (string?)price["path"]);
        Assert.Equal("minimum", (string?)price["reason"]);
        Assert.Equal("urn:telemetry:ingest:validation:minimum", (string?)price["type"]);
        Assert.Equal(422, (int)price["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)price["title"]));
        Assert.Contains("at least 0", (string?)price["detail"]);
        Assert.Equal("$.events[4].event", (string?)rejected[1]!["path"]);
        Assert.Equal(3, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Missing_key_is_401_and_wrong_key_is_403_and_nothing_is_stored()
    {
        await using var host = await IngestHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var wrong = new HttpClient { BaseAddress = host.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wk-guess");
        var json = Events.Batch(Events.Zoom());

        using var missing = await host.PostJsonAsync("/v1/batch", json, anonymous);
        using var forbidden = await host.PostJsonAsync("/v1/batch", json, wrong);
        using var adminKeyForIngest = await host.PostJsonAsync("/v1/batch", json, host.Admin);

        await ProblemAsync(missing, 401, "missing-key");
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        await ProblemAsync(forbidden, 403, "wrong-key");
        await ProblemAsync(adminKeyForIngest, 403, "wrong-key");
        Assert.Equal(0, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Write_key_is_accepted_as_bearer_x_write_key_or_segment_style_basic_user()
    {
        await using var host = await IngestHost.StartAsync();
        using var header = new HttpClient { BaseAddress = host.BaseAddress };
        header.DefaultRequestHeaders.Add("X-Write-Key", IngestHost.OtherWriteKey);
        using var basic = new HttpClient { BaseAddress = host.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(IngestHost.WriteKey + ":")));

        using var a = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom(userId: "other-project-user")), header);
        using var b = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), basic);

        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        var export = await host.AdminJsonAsync("/admin/users/other-project-user/events");
        Assert.Equal("other", (string?)export["events"]![0]!["project"]);
    }

    [Fact]
    public async Task Admin_endpoints_answer_401_without_a_key_and_403_for_a_write_key()
    {
        await using var host = await IngestHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };

        using var missing = await anonymous.GetAsync("/admin/stats");
        using var writeKey = await host.Client.GetAsync("/admin/reports/summary");
        using var erase = await host.Client.DeleteAsync("/admin/users/user-1");

        await ProblemAsync(missing, 401, "missing-key");
        await ProblemAsync(writeKey, 403, "wrong-key");
        await ProblemAsync(erase, 403, "wrong-key");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    public async Task Wrong_content_type_is_415(string contentType)
    {
        await using var host = await IngestHost.StartAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Events.Batch(Events.Zoom())));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await host.Client.PostAsync("/v1/batch", content);

        await ProblemAsync(response, 415, "unsupported-media-type");
        Assert.Equal(0, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Unknown_content_encoding_is_415_and_gzip_is_accepted()
    {
        await using var host = await IngestHost.StartAsync();
        var json = Encoding.UTF8.GetBytes(Events.Batch(Events.Zoom(), Events.Zoom()));
        var brotli = new ByteArrayContent(json);
        brotli.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        brotli.Headers.ContentEncoding.Add("br");
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(json);
        var gzipped = new ByteArrayContent(compressed.ToArray());
        gzipped.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        gzipped.Headers.ContentEncoding.Add("gzip");

        using var rejected = await host.Client.PostAsync("/v1/batch", brotli);
        using var accepted = await host.Client.PostAsync("/v1/batch", gzipped);

        await ProblemAsync(rejected, 415, "unsupported-media-type");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(2, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Body_over_the_configured_limit_is_413()
    {
        await using var host = await IngestHost.StartAsync(o => o.MaxBodyBytes = 2048);
        var events = Enumerable.Range(0, 20).Select(_ => Events.Zoom()).ToArray();

        using var response = await host.PostBatchAsync(events);

        await ProblemAsync(response, 413, "body-too-large");
        Assert.Equal(0, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Gzip_bomb_is_413_by_its_decompressed_size()
    {
        await using var host = await IngestHost.StartAsync();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("{\"events\":["u8);
            var filler = new byte[1024 * 1024];
            Array.Fill(filler, (byte)' ');
            for (var i = 0; i < 5; i++) gzip.Write(filler);
            gzip.Write("]}"u8);
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await host.Client.PostAsync("/v1/batch", content);

        Assert.True(compressed.Length < 64 * 1024);
        await ProblemAsync(response, 413, "body-too-large");
    }

    [Fact]
    public async Task Unreadable_body_is_400()
    {
        await using var host = await IngestHost.StartAsync();

        using var response = await host.PostJsonAsync("/v1/batch", "{\"events\":[{\"event\":");

        await ProblemAsync(response, 400, "unreadable-body");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"items\":[]}")]
    [InlineData("{\"events\":{}}")]
    [InlineData("\"events\"")]
    public async Task Body_without_an_events_array_is_400(string json)
    {
        await using var host = await IngestHost.StartAsync();

        using var response = await host.PostJsonAsync("/v1/batch", json);

        await ProblemAsync(response, 400, "unreadable-body");
    }

    [Fact]
    public async Task Invalid_single_event_on_the_aggregate_endpoint_is_400_with_its_errors()
    {
        await using var host = await IngestHost.StartAsync();
        var agg = Events.CrosshairAgg();
        agg["count"] = "many";

        using var response = await host.PostJsonAsync("/api/analytics/agg", agg.ToJsonString());

        var problem = await ProblemAsync(response, 400, "invalid-event");
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal("$.count", (string?)error["path"]);
        Assert.Equal("type", (string?)error["reason"]);
        Assert.Equal(0, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Rate_limit_answers_429_with_retry_after_per_write_key()
    {
        await using var host = await IngestHost.StartAsync(o =>
        {
            o.RateLimit.PerKeyPermits = 3;
            o.RateLimit.WindowSeconds = 30;
        });
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5; i++)
        {
            var response = await host.PostBatchAsync(Events.Zoom());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
            else response.Dispose();
        }

        Assert.Equal(new[] { HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests }, statuses);
        await ProblemAsync(limited!, 429, "rate-limited");
        var retryAfter = limited!.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 30);
        limited.Dispose();
        Assert.Equal(3, await host.StoredCountAsync());

        // Another key has its own partition; the admin endpoints are not limited.
        using var other = new HttpClient { BaseAddress = host.BaseAddress };
        other.DefaultRequestHeaders.Add("X-Write-Key", IngestHost.OtherWriteKey);
        using var otherResponse = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), other);
        Assert.Equal(HttpStatusCode.Accepted, otherResponse.StatusCode);
        var stats = await host.AdminJsonAsync("/admin/stats");
        Assert.Equal(2, (long)stats["rate_limited_total"]!);
    }

    [Fact]
    public async Task Rate_limit_applies_per_client_address_across_keys()
    {
        await using var host = await IngestHost.StartAsync(o =>
        {
            o.RateLimit.PerIpPermits = 2;
            o.RateLimit.WindowSeconds = 30;
        });
        using var other = new HttpClient { BaseAddress = host.BaseAddress };
        other.DefaultRequestHeaders.Add("X-Write-Key", IngestHost.OtherWriteKey);

        using var a = await host.PostBatchAsync(Events.Zoom());
        using var b = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), other);
        using var c = await host.PostJsonAsync("/v1/batch", Events.Batch(Events.Zoom()), other);

        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, c.StatusCode);
        Assert.NotNull(c.Headers.RetryAfter);
    }

    [Fact]
    public async Task Configured_window_override_is_sent_as_x_agg_window_override()
    {
        await using var host = await IngestHost.StartAsync(o => o.AggregationWindowOverrides["chart.crosshair_agg"] = 10_000);

        using var agg = await host.PostJsonAsync("/api/analytics/agg", Events.CrosshairAgg().ToJsonString());
        using var other = await host.PostBatchAsync(Events.Zoom());

        Assert.Equal(HttpStatusCode.Accepted, agg.StatusCode);
        Assert.Equal("10000", agg.Headers.GetValues("X-AGG-WINDOW-OVERRIDE").Single());
        Assert.Equal(10_000, (int)JsonNode.Parse(await agg.Content.ReadAsStringAsync())!["window_overrides"]!["chart.crosshair_agg"]!);
        Assert.False(other.Headers.Contains("X-AGG-WINDOW-OVERRIDE"));
    }
}
