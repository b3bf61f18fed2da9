using System.Text.Json;
using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

/// <summary>Per-sink event name and property mapping.</summary>
public sealed class MappingTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeProvider _server = null!;

    public async Task InitializeAsync() => _server = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static void Map(TelemetrySinkOptions o)
    {
        o.EventName = name => name == "debug.ping" ? null : "Watchlist Add";
        o.PropertyNames["symbol"] = "ticker";
        o.PropertyNames["price"] = null;
        o.PropertyNames["session_id"] = null;
    }

    [Fact]
    public async Task Segment_sends_renamed_events_and_properties_and_skips_events_mapped_to_null()
    {
        _server.Answer(Reply.Json(200, "{}"));
        var sink = new SegmentSink(Http, Configure(new SegmentSinkOptions { WriteKey = "k", Host = _server.BaseAddress }));

        var result = await sink.SendAsync(new[] { Events.Watchlist(), Events.Watchlist(name: "debug.ping") }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Null(result.Rejected);
        var batch = _server.Single().Json().GetProperty("batch");
        Assert.Equal(1, batch.GetArrayLength());
        Assert.Equal("Watchlist Add", batch[0].GetProperty("event").GetString());
        AssertMapped(batch[0].GetProperty("properties"));
    }

    [Fact]
    public async Task Amplitude_and_mixpanel_apply_the_same_mapping()
    {
        _server.Answer(Reply.Json(200, "{}"));
        var amplitude = new AmplitudeSink(Http, Configure(new AmplitudeSinkOptions { ApiKey = "k", Host = _server.BaseAddress }));
        var mixpanel = new MixpanelSink(Http, Configure(new MixpanelSinkOptions { ProjectToken = "k", Host = _server.BaseAddress }));

        await amplitude.SendAsync(new[] { Events.Watchlist() }, default);
        await mixpanel.SendAsync(new[] { Events.Watchlist() }, default);

        var requests = _server.Requests.ToArray();
        var amp = requests[0].Json().GetProperty("events")[0];
        Assert.Equal("Watchlist Add", amp.GetProperty("event_type").GetString());
        AssertMapped(amp.GetProperty("event_properties"));
        var mp = requests[1].Json()[0];
        Assert.Equal("Watchlist Add", mp.GetProperty("event").GetString());
        AssertMapped(mp.GetProperty("properties"));
    }

    [Fact]
    public async Task Ingest_renames_the_event_and_its_own_properties_but_keeps_the_envelope()
    {
        _server.Answer(Reply.Json(202, """{"accepted":1,"rejected":[]}"""));
        var sink = new IngestSink(Http, Configure(new IngestSinkOptions { WriteKey = "k", BaseUrl = _server.BaseAddress }));
        var e = Events.Watchlist();

        await sink.SendAsync(new[] { e }, default);

        var sent = _server.Single().Json().GetProperty("events")[0];
        Assert.Equal("Watchlist Add", sent.GetProperty("event").GetString());
        Assert.Equal(e.EventId, sent.GetProperty("event_id").GetGuid());
        Assert.Equal(Events.Session, sent.GetProperty("session_id").GetGuid());
        Assert.Equal("BTC/USDT", sent.GetProperty("ticker").GetString());
        Assert.False(sent.TryGetProperty("symbol", out _));
        Assert.False(sent.TryGetProperty("price", out _));
    }

    [Fact]
    public async Task Batch_entirely_mapped_away_sends_nothing_and_counts_as_delivered()
    {
        var sink = new SegmentSink(Http, Configure(new SegmentSinkOptions { WriteKey = "k", Host = _server.BaseAddress }));

        var result = await sink.SendAsync(new[] { Events.Watchlist(name: "debug.ping") }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Empty(_server.Requests);
    }

    private static T Configure<T>(T options)
        where T : TelemetrySinkOptions
    {
        Map(options);
        return options;
    }

    private static void AssertMapped(JsonElement properties)
    {
        Assert.Equal("BTC/USDT", properties.GetProperty("ticker").GetString());
        Assert.False(properties.TryGetProperty("symbol", out _));
        Assert.False(properties.TryGetProperty("price", out _));
        Assert.False(properties.TryGetProperty("session_id", out _));
        Assert.Equal("search", properties.GetProperty("source").GetString());
    }
}
