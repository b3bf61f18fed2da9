using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

public sealed class AmplitudeSinkTests : IAsyncLifetime
{
    // Bodies as Amplitude's HTTP V2 documentation gives them.
    private const string Ok = """{"code":200,"events_ingested":50,"payload_size_bytes":50,"server_upload_time":1396381378123}""";
    private const string PartialInvalid = """{"code":400,"error":"Request missing required field","events_with_invalid_fields":{"time":[1]},"events_with_missing_fields":{"event_type":[2]}}""";
    private const string InvalidApiKey = """{"code":400,"error":"Invalid API key: 0123"}""";
    private const string MissingApiKey = """{"code":400,"error":"Request missing required field","missing_field":"api_key","events_with_invalid_fields":{"time":[3,4,7]},"events_with_missing_fields":{"event_type":[3,4,7]}}""";
    private const string TooLarge = """{"code":413,"error":"Payload too large"}""";
    private const string Throttled = """{"code":429,"error":"Too many requests for some devices and users","eps_threshold":30,"throttled_devices":{"device-7f3a":31},"throttled_users":{"user-42":32},"throttled_events":[0],"exceeded_daily_quota_users":{"quota-user-1":500001},"exceeded_daily_quota_devices":{}}""";

    private static readonly HttpClient Http = new();
    private FakeProvider _server = null!;

    public async Task InitializeAsync() => _server = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AmplitudeSink Sink(Action<AmplitudeSinkOptions>? configure = null)
    {
        var options = new AmplitudeSinkOptions { ApiKey = "amp-api-key", Host = _server.BaseAddress };
        configure?.Invoke(options);
        return new AmplitudeSink(Http, options);
    }

    [Fact]
    public async Task Posts_events_to_2_httpapi_with_api_key_and_insert_id_equal_to_event_id()
    {
        _server.Answer(Reply.Json(200, Ok));
        var events = new[] { Events.Watchlist(), Events.Watchlist(userId: null) };

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var request = _server.Single();
        Assert.Equal("/2/httpapi", request.Path);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Null(request.Header("Authorization"));
        var body = request.Json();
        Assert.Equal("amp-api-key", body.GetProperty("api_key").GetString());
        Assert.False(body.TryGetProperty("options", out _));
        var sent = body.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(2, sent.Length);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Equal("watchlist.add", sent[i].GetProperty("event_type").GetString());
            Assert.Equal(events[i].EventId.ToString("D"), sent[i].GetProperty("insert_id").GetString());
            Assert.Equal(Events.Time.ToUnixTimeMilliseconds(), sent[i].GetProperty("time").GetInt64());
            Assert.Equal(Events.SessionStart.ToUnixTimeMilliseconds(), sent[i].GetProperty("session_id").GetInt64());
            Assert.Equal("1.4.2", sent[i].GetProperty("app_version").GetString());
            Assert.Equal("device-7f3a", sent[i].GetProperty("device_id").GetString());
            var properties = sent[i].GetProperty("event_properties");
            Assert.Equal("BTC/USDT", properties.GetProperty("symbol").GetString());
            Assert.Equal(0.1, properties.GetProperty("sampling_rate").GetDouble());
            Assert.False(properties.TryGetProperty("user_id", out _));
            Assert.False(properties.TryGetProperty("event_id", out _));
        }

        Assert.Equal("user-42", sent[0].GetProperty("user_id").GetString());
        Assert.False(sent[1].TryGetProperty("user_id", out _));
    }

    [Fact]
    public async Task Session_id_is_minus_one_when_the_session_start_is_unknown()
    {
        _server.Answer(Reply.Json(200, Ok));

        await Sink().SendAsync(new[] { Events.Watchlist(session: Guid.NewGuid()) }, default);

        Assert.Equal(-1, _server.Single().Json().GetProperty("events")[0].GetProperty("session_id").GetInt64());
    }

    [Fact]
    public async Task Partial_400_rejects_the_named_events_and_resends_the_rest_in_the_same_call()
    {
        _server.Answer(Reply.Json(400, PartialInvalid), Reply.Json(200, Ok));
        var events = Events.Several(4);

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(new[] { events[1].EventId, events[2].EventId }, result.Rejected!.Select(r => r.EventId).ToArray());
        Assert.Contains("invalid field 'time'", result.Rejected![0].Reason);
        Assert.Contains("missing field 'event_type'", result.Rejected![1].Reason);
        var requests = _server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        var resent = requests[1].Json().GetProperty("events").EnumerateArray().Select(e => e.GetProperty("insert_id").GetString()).ToArray();
        Assert.Equal(new[] { events[0].EventId.ToString("D"), events[3].EventId.ToString("D") }, resent);
    }

    [Fact]
    public async Task Successive_partial_400s_keep_dropping_named_events_until_the_rest_is_accepted()
    {
        _server.Answer(
            Reply.Json(400, """{"code":400,"error":"Request missing required field","events_with_invalid_fields":{"time":[0]}}"""),
            Reply.Json(400, """{"code":400,"error":"Invalid id length","events_with_invalid_id_lengths":{"user_id":[1]},"silenced_events":[]}"""),
            Reply.Json(200, Ok));
        var events = Events.Several(3);

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(new[] { events[0].EventId, events[2].EventId }, result.Rejected!.Select(r => r.EventId).ToArray());
        var requests = _server.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.Equal(events[1].EventId.ToString("D"), Assert.Single(requests[2].Json().GetProperty("events").EnumerateArray()).GetProperty("insert_id").GetString());
    }

    [Fact]
    public async Task Partial_400_whose_resend_is_throttled_retries_later_and_still_lists_the_rejected()
    {
        _server.Answer(Reply.Json(400, PartialInvalid), Reply.Json(429, Throttled));
        var events = Events.Several(4);

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Equal(new[] { events[1].EventId, events[2].EventId }, result.Rejected!.Select(r => r.EventId).ToArray());
    }

    [Fact]
    public async Task Answer_400_invalid_api_key_rejects_the_batch_without_resending()
    {
        _server.Answer(Reply.Json(400, InvalidApiKey));

        var result = await Sink().SendAsync(Events.Several(3), default);

        Assert.Equal(SinkOutcome.Rejected, result.Outcome);
        Assert.Contains("Invalid API key", result.Detail);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Answer_400_missing_api_key_rejects_the_batch()
    {
        _server.Answer(Reply.Json(400, MissingApiKey));

        var result = await Sink().SendAsync(Events.Several(8), default);

        Assert.Equal(SinkOutcome.Rejected, result.Outcome);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Answer_413_is_too_large_and_a_single_event_413_is_rejected()
    {
        _server.Answer(Reply.Json(413, TooLarge));
        var single = Events.Watchlist();

        var many = await Sink().SendAsync(Events.Several(2), default);
        var one = await Sink().SendAsync(new[] { single }, default);

        Assert.Equal(SinkOutcome.TooLarge, many.Outcome);
        Assert.Equal(SinkOutcome.Delivered, one.Outcome);
        Assert.Equal(single.EventId, Assert.Single(one.Rejected!).EventId);
    }

    [Fact]
    public async Task Answer_429_retries_after_30_seconds_and_rejects_events_of_users_over_the_daily_quota()
    {
        _server.Answer(Reply.Json(429, Throttled));
        var throttled = Events.Watchlist();
        var overQuota = Events.Watchlist(userId: "quota-user-1");

        var result = await Sink().SendAsync(new[] { throttled, overQuota }, default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        var rejected = Assert.Single(result.Rejected!);
        Assert.Equal(overQuota.EventId, rejected.EventId);
        Assert.Contains("daily", rejected.Reason);
    }

    [Fact]
    public async Task Answer_429_with_Retry_After_uses_it()
    {
        _server.Answer(Reply.Json(429, """{"code":429,"error":"Too many requests for some devices and users"}""", ("Retry-After", "5")));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(5), result.RetryAfter);
    }

    [Fact]
    public async Task Answer_503_retries_as_not_committed()
    {
        _server.Answer(new Reply(503, "Service Unavailable"));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Contains("not committed", result.Detail);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Answers_500_502_504_retry_as_maybe_committed(int status)
    {
        _server.Answer(new Reply(status, "error"));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Contains("insert_id", result.Detail);
    }

    [Fact]
    public async Task Ids_shorter_than_min_id_length_or_placeholders_are_rejected_before_sending()
    {
        _server.Answer(Reply.Json(200, Ok));
        var shortId = Events.Watchlist(userId: "u1", anonymousId: null);
        var placeholder = Events.Watchlist(userId: "undefined", anonymousId: null);
        var fine = Events.Watchlist();

        var result = await Sink().SendAsync(new[] { shortId, placeholder, fine }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(new[] { shortId.EventId, placeholder.EventId }, result.Rejected!.Select(r => r.EventId).ToArray());
        Assert.Contains("min_id_length 5", result.Rejected![0].Reason);
        Assert.Equal(1, _server.Single().Json().GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Min_id_length_option_accepts_short_ids_and_is_sent_in_options()
    {
        _server.Answer(Reply.Json(200, Ok));

        var result = await Sink(o => o.MinIdLength = 2).SendAsync(new[] { Events.Watchlist(userId: "u1", anonymousId: null) }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Null(result.Rejected);
        var body = _server.Single().Json();
        Assert.Equal(2, body.GetProperty("options").GetProperty("min_id_length").GetInt32());
        Assert.Equal("u1", body.GetProperty("events")[0].GetProperty("user_id").GetString());
    }

    [Fact]
    public void Batch_api_and_eu_host_options_choose_the_endpoint()
    {
        var eu = new AmplitudeSink(Http, new AmplitudeSinkOptions { ApiKey = "k", Host = AmplitudeSinkOptions.EuHost });
        var batch = new AmplitudeSink(Http, new AmplitudeSinkOptions { ApiKey = "k", UseBatchApi = true });

        Assert.Equal("https://api.eu.amplitude.com/2/httpapi", eu.Endpoint.ToString());
        Assert.Equal("https://api2.amplitude.com/batch", batch.Endpoint.ToString());
        Assert.Equal(2000, eu.MaxBatchSize);
    }
}
