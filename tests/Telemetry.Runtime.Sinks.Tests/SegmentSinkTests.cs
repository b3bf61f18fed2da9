using System.Text;
using System.Text.Json;
using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

public sealed class SegmentSinkTests : IAsyncLifetime
{
    private const string Ok = """{"success":true}""";
    private static readonly HttpClient Http = new();
    private FakeProvider _server = null!;

    public async Task InitializeAsync() => _server = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SegmentSink Sink(Action<SegmentSinkOptions>? configure = null)
    {
        var options = new SegmentSinkOptions { WriteKey = "seg-write-key", Host = _server.BaseAddress };
        configure?.Invoke(options);
        return new SegmentSink(Http, options);
    }

    [Fact]
    public async Task An_event_with_bytes_that_are_not_utf8_or_name_half_a_surrogate_pair_is_rejected_alone()
    {
        _server.Answer(Reply.Json(200, Ok));
        var good = Events.Watchlist();
        var text = Encoding.UTF8.GetString(good.Json.Span);
        var invalidUtf8 = Encoding.UTF8.GetBytes(text.Replace("BTC/USDT", "BTC/USD?", StringComparison.Ordinal));
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'?')] = 0xC3; // a lead byte with no continuation
        var halfPair = Encoding.UTF8.GetBytes(text.Replace("\"symbol\"", "\"sym\\uD83Dbol\"", StringComparison.Ordinal));
        var events = new[]
        {
            good,
            good with { EventId = Guid.NewGuid(), Json = invalidUtf8 },
            good with { EventId = Guid.NewGuid(), Json = halfPair },
        };

        var result = await Sink().SendAsync(events, default);

        // The request carries the good event alone, as JSON any provider reads; the two others are rejected here.
        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(new[] { events[1].EventId, events[2].EventId }, result.Rejected!.Select(r => r.EventId).OrderBy(id => Array.IndexOf(events.Select(e => e.EventId).ToArray(), id)));
        var body = _server.Single().Body;
        Assert.True(System.Text.Unicode.Utf8.IsValid(body));
        Assert.Equal(good.EventId.ToString("D"), Assert.Single(_server.Single().Json().GetProperty("batch").EnumerateArray()).GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Posts_track_calls_to_v1_batch_with_basic_auth_and_message_id_equal_to_event_id()
    {
        _server.Answer(Reply.Json(200, Ok));
        var events = new[] { Events.Watchlist(), Events.Watchlist(userId: null, symbol: "ETH/USDT") };

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Null(result.Rejected);
        var request = _server.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/batch", request.Path);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(Events.BasicOf("seg-write-key", ""), request.Header("Authorization"));

        var body = request.Json();
        Assert.True(body.TryGetProperty("sentAt", out _));
        var batch = body.GetProperty("batch").EnumerateArray().ToArray();
        Assert.Equal(2, batch.Length);
        for (var i = 0; i < batch.Length; i++)
        {
            Assert.Equal("track", batch[i].GetProperty("type").GetString());
            Assert.Equal("watchlist.add", batch[i].GetProperty("event").GetString());
            Assert.Equal(events[i].EventId.ToString("D"), batch[i].GetProperty("messageId").GetString());
            Assert.Equal(events[i].Timestamp, batch[i].GetProperty("timestamp").GetDateTimeOffset());
            Assert.Equal("Telemetry.Runtime", batch[i].GetProperty("context").GetProperty("library").GetProperty("name").GetString());
            Assert.False(string.IsNullOrEmpty(batch[i].GetProperty("context").GetProperty("library").GetProperty("version").GetString()));
            Assert.Equal("1.4.2", batch[i].GetProperty("context").GetProperty("app").GetProperty("version").GetString());
            Assert.Equal("device-7f3a", batch[i].GetProperty("anonymousId").GetString());
        }

        Assert.Equal("user-42", batch[0].GetProperty("userId").GetString());
        Assert.False(batch[1].TryGetProperty("userId", out _));

        var properties = batch[1].GetProperty("properties");
        Assert.Equal("ETH/USDT", properties.GetProperty("symbol").GetString());
        Assert.Equal("search", properties.GetProperty("source").GetString());
        Assert.Equal(1.2m, properties.GetProperty("price").GetDecimal());
        Assert.Equal(0.1, properties.GetProperty("sampling_rate").GetDouble());
        Assert.Equal(1, properties.GetProperty("schema_version").GetInt32());
        Assert.Equal(Events.Session.ToString(), properties.GetProperty("session_id").GetString());
        foreach (var envelopeOnly in new[] { "event", "event_id", "timestamp", "user_bucket", "client_version", "user_id", "anonymous_id" })
        {
            Assert.False(properties.TryGetProperty(envelopeOnly, out _), envelopeOnly);
        }
    }

    [Fact]
    public async Task Event_without_user_or_anonymous_id_uses_the_fallback_then_the_session_id()
    {
        _server.Answer(Reply.Json(200, Ok));
        var anonymous = Events.Watchlist(userId: null, anonymousId: null);

        await Sink(o => o.FallbackAnonymousId = "install-1234").SendAsync(new[] { anonymous }, default);
        await Sink().SendAsync(new[] { anonymous }, default);

        var requests = _server.Requests.ToArray();
        Assert.Equal("install-1234", requests[0].Json().GetProperty("batch")[0].GetProperty("anonymousId").GetString());
        Assert.Equal(Events.Session.ToString(), requests[1].Json().GetProperty("batch")[0].GetProperty("anonymousId").GetString());
    }

    [Fact]
    public async Task Event_over_32_KB_is_rejected_with_a_reason_and_the_rest_is_sent()
    {
        _server.Answer(Reply.Json(200, Ok));
        var small = Events.Watchlist();
        var huge = Events.Watchlist(extraProperty: new string('x', 40_000));

        var result = await Sink().SendAsync(new[] { small, huge }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var rejected = Assert.Single(result.Rejected!);
        Assert.Equal(huge.EventId, rejected.EventId);
        Assert.Contains("32000-byte limit", rejected.Reason);
        var sent = _server.Single().Json().GetProperty("batch");
        Assert.Equal(1, sent.GetArrayLength());
        Assert.Equal(small.EventId.ToString("D"), sent[0].GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Locally_rejected_events_are_listed_even_when_the_rest_must_be_retried()
    {
        _server.Answer(new Reply(503, "unavailable"));
        var huge = Events.Watchlist(extraProperty: new string('x', 40_000));

        var result = await Sink().SendAsync(new[] { Events.Watchlist(), huge }, default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Equal(huge.EventId, Assert.Single(result.Rejected!).EventId);
    }

    [Fact]
    public async Task Batch_over_500_KB_is_too_large_without_a_request()
    {
        var events = Enumerable.Range(0, 20).Select(i => Events.Watchlist(extraProperty: new string('y', 30_000))).ToArray();

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Answer_400_for_invalid_JSON_rejects_the_batch()
    {
        _server.Answer(Reply.Json(400, """{"success":false,"message":"Invalid JSON"}"""));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.Rejected, result.Outcome);
        Assert.Contains("400", result.Detail);
    }

    [Fact]
    public async Task Answer_400_about_payload_size_means_too_large()
    {
        _server.Answer(Reply.Json(400, """{"success":false,"message":"Payload too large: batch exceeds 500KB"}"""));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
    }

    [Fact]
    public async Task Answer_401_rejects_the_batch()
    {
        _server.Answer(Reply.Json(401, """{"success":false,"message":"Invalid write key"}"""));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public async Task Answer_429_retries_after_Retry_After()
    {
        _server.Answer(new Reply(429, null, new Dictionary<string, string> { ["Retry-After"] = "7" }));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task Answer_429_without_Retry_After_uses_X_RateLimit_Reset()
    {
        _server.Answer(new Reply(429, null, new Dictionary<string, string> { ["X-RateLimit-Reset"] = "12" }));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(12), result.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Server_errors_retry_later(int status)
    {
        _server.Answer(new Reply(status, "upstream error"));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Contains(status.ToString(), result.Detail);
    }

    [Fact]
    public void Eu_host_option_posts_to_the_eu_endpoint()
    {
        var sink = new SegmentSink(Http, new SegmentSinkOptions { WriteKey = "k", Host = SegmentSinkOptions.EuHost });

        Assert.Equal("https://events.eu1.segmentapis.com/v1/batch", sink.Endpoint.ToString());
        Assert.Equal(2500, sink.MaxBatchSize);
        Assert.Equal("segment", sink.Name);
    }
}
