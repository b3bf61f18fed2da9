using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Ingestion;

/// <summary>Hostile and broken requests: each gets its specified answer, and a rejected request stores nothing.</summary>
public sealed class BadInputTests
{
    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task AssertRejectedAsync(IngestHost host, HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.StoredCountAsync());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"events\":[{\"event\":\"chart.zoom\",}]}")]
    [InlineData("{\"events\":[{'event':'chart.zoom'}]}")]
    [InlineData("{\"events\":[]} trailing")]
    [InlineData("")]
    public async Task Malformed_json_is_400(string body)
    {
        await using var host = await IngestHost.StartAsync();
        using var response = await host.Client.PostAsync("/v1/batch", Json(Encoding.UTF8.GetBytes(body)));
        await AssertRejectedAsync(host, response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Truncated_body_is_400_and_nothing_of_it_is_stored()
    {
        await using var host = await IngestHost.StartAsync();
        var full = Encoding.UTF8.GetBytes(Events.Batch(Events.Zoom(), Events.Zoom(), Events.Zoom()));
        using var response = await host.Client.PostAsync("/v1/batch", Json(full.AsSpan(0, full.Length * 2 / 3).ToArray()));
        await AssertRejectedAsync(host, response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Ten_megabyte_body_is_413()
    {
        await using var host = await IngestHost.StartAsync();
        var body = new byte[10 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        "{\"events\":["u8.CopyTo(body);
        "]}"u8.CopyTo(body.AsSpan(body.Length - 2));
        using var response = await host.Client.PostAsync("/v1/batch", Json(body));
        await AssertRejectedAsync(host, response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Ten_megabyte_chunked_body_without_content_length_is_413()
    {
        await using var host = await IngestHost.StartAsync();
        var content = new StreamContent(new ChunkedFiller(10 * 1024 * 1024));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage? response = null;
        try
        {
            response = await host.Client.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The server may close the connection after answering; what matters is that nothing was stored.
        }

        if (response is not null) Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        response?.Dispose();
        Assert.Equal(0, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Hundred_level_nesting_is_400()
    {
        await using var host = await IngestHost.StartAsync();
        var evt = Events.Zoom().ToJsonString();
        var nested = evt.Insert(evt.Length - 1, ",\"deep\":" + new string('[', 100) + new string(']', 100));
        using var response = await host.PostJsonAsync("/v1/batch", "{\"events\":[" + nested + "]}");
        await AssertRejectedAsync(host, response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        await using var host = await IngestHost.StartAsync();
        var content = new StringContent(Events.Batch(Events.Zoom()), Encoding.UTF8, "text/plain");
        using var response = await host.Client.PostAsync("/v1/batch", content);
        await AssertRejectedAsync(host, response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Invalid_utf8_is_400()
    {
        await using var host = await IngestHost.StartAsync();
        var json = Encoding.UTF8.GetBytes(Events.Batch(Events.Annotation("XXXX")));
        var at = Encoding.UTF8.GetString(json).IndexOf("XXXX", StringComparison.Ordinal);
        json[at] = 0xC3; // a lead byte followed by ASCII: not UTF-8
        json[at + 1] = 0x28;
        json[at + 2] = 0xFF;
        using var response = await host.Client.PostAsync("/v1/batch", Json(json));
        await AssertRejectedAsync(host, response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Lone_surrogate_escape_rejects_that_event_only()
    {
        await using var host = await IngestHost.StartAsync();
        var json = Events.Batch(Events.Annotation("XXXX"), Events.Zoom()).Replace("XXXX", "\\ud800", StringComparison.Ordinal);

        using var response = await host.PostJsonAsync("/v1/batch", json);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (int)body["accepted"]!);
        Assert.Equal("encoding", (string?)body["rejected"]![0]!["reason"]);
        Assert.Equal(1, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Ten_thousand_events_in_one_batch_are_413_by_default_and_stored_when_the_limits_allow()
    {
        var events = Enumerable.Range(0, 10_000).Select(i => Events.Zoom(userId: "u" + (i % 100))).ToArray();
        await using (var strict = await IngestHost.StartAsync(o => o.MaxBodyBytes = 64 * 1024 * 1024))
        {
            using var response = await strict.PostBatchAsync(events);
            await AssertRejectedAsync(strict, response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("10000 events", await response.Content.ReadAsStringAsync());
        }

        await using var roomy = await IngestHost.StartAsync(o =>
        {
            o.MaxBodyBytes = 64 * 1024 * 1024;
            o.MaxEventsPerBatch = 10_000;
        });
        using var accepted = await roomy.PostBatchAsync(events);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(10_000, (int)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["accepted"]!);
        Assert.Equal(10_000, await roomy.StoredCountAsync());
    }

    [Fact]
    public async Task Sql_looking_strings_are_stored_verbatim_and_harmless()
    {
        await using var host = await IngestHost.StartAsync();
        const string Symbol = "x'); DROP TABLE events;--";
        const string User = "u' OR '1'='1";
        var evt = Events.Annotation(Symbol, userId: User);
        evt["session_id"] = "s\"; DELETE FROM events; --\u0000";

        using var response = await host.PostBatchAsync(evt, Events.Zoom());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        Assert.Equal(2, await host.StoredCountAsync());
        var export = await host.AdminJsonAsync("/admin/users/" + Uri.EscapeDataString(User) + "/events");
        Assert.Equal(1, (int)export["count"]!);
        var stored = export["events"]![0]!["event"]!;
        Assert.Equal(Symbol, (string?)stored["symbol"]);
        Assert.Equal(User, (string?)stored["user_id"]);
        Assert.Equal("s\"; DELETE FROM events; --\u0000", (string?)stored["session_id"]);
        var other = await host.AdminJsonAsync("/admin/users/user-1/events");
        Assert.Equal(1, (int)other["count"]!);
    }

    [Fact]
    public async Task Duplicate_ids_in_one_batch_are_stored_once()
    {
        await using var host = await IngestHost.StartAsync();
        var id = Guid.NewGuid();

        using var response = await host.PostBatchAsync(Events.Zoom(id: id), Events.Zoom(id: id), Events.Zoom(id: id), Events.Zoom());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(4, (int)body["accepted"]!);
        Assert.Equal(2, (int)body["duplicates"]!);
        Assert.Equal(2, await host.StoredCountAsync());
    }

    [Fact]
    public async Task Concurrent_retries_of_the_same_batch_are_stored_once()
    {
        await using var host = await IngestHost.StartAsync();
        var batch = Events.Batch(Enumerable.Range(0, 50).Select(i => Events.Zoom(userId: "u" + i)).ToArray());

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.PostJsonAsync("/v1/batch", batch)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var duplicates = 0;
        foreach (var r in responses)
        {
            duplicates += (int)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["duplicates"]!;
            r.Dispose();
        }

        Assert.Equal(15 * 50, duplicates);
        Assert.Equal(50, await host.StoredCountAsync());
    }

    /// <summary>A stream of JSON-ish filler of a given length whose length the client does not know (chunked upload).</summary>
    private sealed class ChunkedFiller : Stream
    {
        private readonly long _length;
        private long _position;

        public ChunkedFiller(long length) => _length = length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _length - _position);
            if (n <= 0) return 0;
            buffer.AsSpan(offset, n).Fill((byte)' ');
            if (_position == 0) buffer[offset] = (byte)'[';
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
