using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

public sealed class MixpanelSinkTests : IAsyncLifetime
{
    // Bodies as Mixpanel's Ingestion API documents them.
    private const string Ok = """{"code":200,"num_records_imported":2,"status":"OK"}""";
    private const string Unauthorized = """{"code":401,"error":"Invalid credentials","status":"Unauthorized"}""";
    private const string TooLarge = """{"code":413,"error":"request exceeds max limit of 2097152 bytes","status":"Request Entity Too Large"}""";
    private const string RateLimited = """{"code":429,"error":"Project exceeded rate limits. Please retry the request with exponential backoff.","status":"Too Many Requests"}""";

    private static readonly HttpClient Http = new();
    private FakeProvider _server = null!;

    public async Task InitializeAsync() => _server = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MixpanelSink Sink(Action<MixpanelSinkOptions>? configure = null)
    {
        var options = new MixpanelSinkOptions { ProjectToken = "mp-token", Host = _server.BaseAddress };
        configure?.Invoke(options);
        return new MixpanelSink(Http, options);
    }

    [Fact]
    public async Task Posts_a_json_array_to_import_strict_with_token_auth_and_insert_id_equal_to_event_id()
    {
        _server.Answer(Reply.Json(200, Ok));
        var events = new[] { Events.Watchlist(), Events.Watchlist(userId: null), Events.Watchlist(userId: null, anonymousId: null) };

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var request = _server.Single();
        Assert.Equal("/import", request.Path);
        Assert.Equal("?strict=1", request.Query);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(Events.BasicOf("mp-token", ""), request.Header("Authorization"));
        var sent = request.Json().EnumerateArray().ToArray();
        Assert.Equal(3, sent.Length);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Equal("watchlist.add", sent[i].GetProperty("event").GetString());
            var p = sent[i].GetProperty("properties");
            var insertId = p.GetProperty("$insert_id").GetString()!;
            Assert.Equal(events[i].EventId.ToString("N"), insertId);
            Assert.True(insertId.Length <= 36 && insertId.All(char.IsAsciiLetterOrDigit));
            Assert.Equal(Events.Time.ToUnixTimeMilliseconds(), p.GetProperty("time").GetInt64());
            Assert.Equal("BTC/USDT", p.GetProperty("symbol").GetString());
            Assert.Equal("1.4.2", p.GetProperty("client_version").GetString());
            Assert.Equal(0.1, p.GetProperty("sampling_rate").GetDouble());
            Assert.False(p.TryGetProperty("event_id", out _));
        }

        Assert.Equal("user-42", sent[0].GetProperty("properties").GetProperty("distinct_id").GetString());
        Assert.Equal("user-42", sent[0].GetProperty("properties").GetProperty("$user_id").GetString());
        Assert.Equal("device-7f3a", sent[0].GetProperty("properties").GetProperty("$device_id").GetString());
        Assert.Equal("device-7f3a", sent[1].GetProperty("properties").GetProperty("distinct_id").GetString());
        Assert.Equal("", sent[2].GetProperty("properties").GetProperty("distinct_id").GetString());
    }

    [Fact]
    public async Task Service_account_uses_basic_user_and_secret_and_project_id()
    {
        _server.Answer(Reply.Json(200, Ok));

        await Sink(o =>
        {
            o.ProjectToken = null;
            o.ServiceAccountUsername = "svc.user";
            o.ServiceAccountSecret = "s3cret";
            o.ProjectId = "12345";
        }).SendAsync(Events.Several(1), default);

        var request = _server.Single();
        Assert.Equal(Events.BasicOf("svc.user", "s3cret"), request.Header("Authorization"));
        Assert.Equal("?strict=1&project_id=12345", request.Query);
    }

    [Fact]
    public async Task Gzip_option_compresses_the_body()
    {
        _server.Answer(Reply.Json(200, Ok));

        var result = await Sink(o => o.Gzip = true).SendAsync(Events.Several(5), default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var request = _server.Single();
        Assert.Equal("gzip", request.Header("Content-Encoding"));
        Assert.True(request.RawBody.Length < request.Body.Length);
        Assert.Equal(5, request.Json().GetArrayLength());
    }

    [Fact]
    public async Task Partial_400_with_failed_records_is_delivered_with_those_rejected_and_nothing_resent()
    {
        var events = Events.Several(4);
        _server.Answer(Reply.Json(400, $$"""
            {"code":400,"error":"some data points in the request failed validation","num_records_imported":2,"status":"Bad Request",
             "failed_records":[{"index":1,"$insert_id":"{{events[1].EventId:N}}","field":"properties.time","message":"'properties.time' is invalid: must be specified as seconds since epoch"},
                               {"index":3,"$insert_id":"{{events[3].EventId:N}}","field":"properties.distinct_id","message":"'properties.distinct_id' is invalid"}]}
            """));

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(new[] { events[1].EventId, events[3].EventId }, result.Rejected!.Select(r => r.EventId).ToArray());
        Assert.StartsWith("Mixpanel: properties.time:", result.Rejected![0].Reason);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Answer_400_without_failed_records_rejects_the_batch()
    {
        _server.Answer(Reply.Json(400, """{"code":400,"error":"unable to parse request body","status":"Bad Request"}"""));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public async Task Answer_401_rejects_the_batch()
    {
        _server.Answer(Reply.Json(401, Unauthorized));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.Rejected, result.Outcome);
        Assert.Contains("Invalid credentials", result.Detail);
    }

    [Fact]
    public async Task Answer_413_is_too_large()
    {
        _server.Answer(Reply.Json(413, TooLarge));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
    }

    [Fact]
    public async Task Answer_429_retries_later_with_the_pipeline_backoff()
    {
        _server.Answer(Reply.Json(429, RateLimited));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Null(result.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Server_errors_retry_later(int status)
    {
        _server.Answer(new Reply(status, "oops"));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
    }

    [Fact]
    public async Task Request_over_the_byte_limit_is_too_large_without_a_request()
    {
        var events = Enumerable.Range(0, 3).Select(_ => Events.Watchlist(extraProperty: new string('z', 1000))).ToArray();

        var result = await Sink(o => o.MaxRequestBytes = 2048).SendAsync(events, default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
        Assert.Empty(_server.Requests);
    }
}
