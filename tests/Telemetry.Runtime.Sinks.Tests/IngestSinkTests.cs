using System.Text;
using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

public sealed class IngestSinkTests : IAsyncLifetime
{
    private const string Problem = """{"type":"https://telemetry.example/problems/invalid-batch","title":"Invalid batch","status":400,"detail":"body is not a JSON object with an 'events' array"}""";

    private static readonly HttpClient Http = new();
    private FakeProvider _server = null!;

    public async Task InitializeAsync() => _server = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IngestSink Sink(Action<IngestSinkOptions>? configure = null)
    {
        var options = new IngestSinkOptions { BaseUrl = _server.BaseAddress, WriteKey = "ingest-key" };
        configure?.Invoke(options);
        return new IngestSink(Http, options);
    }

    [Fact]
    public async Task Posts_our_wire_objects_verbatim_with_a_bearer_write_key()
    {
        _server.Answer(Reply.Json(202, """{"accepted":2,"rejected":[]}"""));
        var events = Events.Several(2);

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Null(result.Rejected);
        var request = _server.Single();
        Assert.Equal("/v1/batch", request.Path);
        Assert.Equal("Bearer ingest-key", request.Header("Authorization"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        var expected = "{\"events\":[" + events[0].Text() + "," + events[1].Text() + "]}";
        Assert.Equal(expected, Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task Per_event_rejections_in_a_202_are_reported_with_path_and_reason()
    {
        var events = Events.Several(3);
        _server.Answer(Reply.Json(202, $$"""{"accepted":2,"rejected":[{"event_id":"{{events[1].EventId}}","path":"/symbol","reason":"string longer than max_length 32"}]}"""));

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var rejected = Assert.Single(result.Rejected!);
        Assert.Equal(events[1].EventId, rejected.EventId);
        Assert.Equal("/symbol: string longer than max_length 32", rejected.Reason);
    }

    [Fact]
    public async Task Rejections_as_the_ingest_server_writes_them_are_matched_by_event_id_or_index_and_joined()
    {
        var events = Events.Several(3);
        _server.Answer(Reply.Json(202, $$"""
            {"accepted":1,"duplicates":0,"rejected":[
              {"type":"urn:telemetry:validation:max_length","title":"Invalid event","status":422,"detail":"'symbol' is longer than 32","index":0,"event_id":"{{events[0].EventId}}","path":"$.events[0].symbol","reason":"max_length"},
              {"type":"urn:telemetry:validation:required","title":"Invalid event","status":422,"detail":"'source' is required","index":0,"event_id":"{{events[0].EventId}}","path":"$.events[0].source","reason":"required"},
              {"type":"urn:telemetry:validation:type","title":"Invalid event","status":422,"detail":"event_id is not a UUID","index":2,"event_id":null,"path":"$.events[2].event_id","reason":"type"}]}
            """));

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(new[] { events[0].EventId, events[2].EventId }, result.Rejected!.Select(r => r.EventId).ToArray());
        Assert.Equal("$.events[0].symbol: max_length ('symbol' is longer than 32); $.events[0].source: required ('source' is required)", result.Rejected![0].Reason);
    }

    [Fact]
    public async Task Aggregation_window_override_header_is_returned_in_milliseconds()
    {
        _server.Answer(Reply.Json(200, """{"accepted":1,"rejected":[]}""", ("X-AGG-WINDOW-OVERRIDE", "60000")));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(TimeSpan.FromSeconds(60), result.AggregationWindowOverride);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(415)]
    public async Task Client_errors_reject_the_batch_with_the_problem_detail(int status)
    {
        _server.Answer(Reply.Json(status, Problem));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.Rejected, result.Outcome);
        Assert.Contains(status.ToString(), result.Detail);
        Assert.Contains("Invalid batch", result.Detail);
    }

    [Fact]
    public async Task Answer_413_is_too_large()
    {
        _server.Answer(new Reply(413));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Throttling_and_unavailability_retry_after_Retry_After(int status)
    {
        _server.Answer(Reply.Json(status, """{"title":"slow down"}""", ("Retry-After", "3"), ("X-AGG-WINDOW-OVERRIDE", "30000")));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(3), result.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), result.AggregationWindowOverride);
    }

    [Fact]
    public async Task Other_server_errors_retry_later()
    {
        _server.Answer(new Reply(500, "boom"));

        var result = await Sink().SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Null(result.RetryAfter);
    }

    [Fact]
    public async Task Gzip_and_a_custom_path_are_honoured()
    {
        _server.Answer(Reply.Json(202, """{"accepted":3,"rejected":[]}"""));

        await Sink(o =>
        {
            o.Gzip = true;
            o.Path = "collect/v2/events";
        }).SendAsync(Events.Several(3), default);

        var request = _server.Single();
        Assert.Equal("/collect/v2/events", request.Path);
        Assert.Equal("gzip", request.Header("Content-Encoding"));
        Assert.Equal(3, request.Json().GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Malformed_event_json_is_rejected_locally()
    {
        _server.Answer(Reply.Json(202, """{"accepted":1,"rejected":[]}"""));
        var good = Events.Watchlist();
        var broken = good with { EventId = Guid.NewGuid(), Json = Encoding.UTF8.GetBytes("{\"event\":") };

        var result = await Sink().SendAsync(new[] { good, broken }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(broken.EventId, Assert.Single(result.Rejected!).EventId);
        Assert.Equal(1, _server.Single().Json().GetProperty("events").GetArrayLength());
    }
}
