using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

/// <summary>
/// The GA4 Measurement Protocol sink against a fake collection server on 127.0.0.1 that answers as GA4 does
/// (204 to everything on <c>/mp/collect</c>, validation messages on <c>/debug/mp/collect</c>).
/// </summary>
public sealed partial class Ga4SinkTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeProvider _server = null!;

    public async Task InitializeAsync() => _server = await FakeProvider.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Ga4Sink Sink(Action<Ga4SinkOptions>? configure = null)
    {
        var options = new Ga4SinkOptions { MeasurementId = "G-TEST123", ApiSecret = "s3cr3t/+=", Host = _server.BaseAddress, Time = new FixedTime(Events.Time.AddMinutes(5)) };
        configure?.Invoke(options);
        return new Ga4Sink(Http, options);
    }

    [Fact]
    public async Task Posts_to_mp_collect_with_measurement_id_and_secret_client_id_user_id_micros_and_params()
    {
        var events = new[] { Events.Watchlist(), Events.Watchlist(symbol: "ETH/USDT", name: "watchlist.remove") };

        var result = await Sink().SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Null(result.Rejected);
        var request = _server.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/mp/collect", request.Path);
        Assert.Equal("?measurement_id=G-TEST123&api_secret=s3cr3t%2F%2B%3D", request.Query);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Null(request.Header("Authorization"));

        var body = request.Json();
        Assert.Equal("device-7f3a", body.GetProperty("client_id").GetString());
        Assert.Equal("user-42", body.GetProperty("user_id").GetString());
        var micros = Events.Time.ToUnixTimeMilliseconds() * 1000;
        Assert.Equal(micros, body.GetProperty("timestamp_micros").GetInt64());
        var sent = body.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(new[] { "watchlist_add", "watchlist_remove" }, sent.Select(e => e.GetProperty("name").GetString()));
        Assert.All(sent, e => Assert.Equal(micros, e.GetProperty("timestamp_micros").GetInt64()));
        var p = sent[1].GetProperty("params");
        Assert.Equal("ETH/USDT", p.GetProperty("symbol").GetString());
        Assert.Equal("search", p.GetProperty("source").GetString());
        Assert.Equal(1.2m, p.GetProperty("price").GetDecimal());
        Assert.Equal(0.1, p.GetProperty("sampling_rate").GetDouble());
        Assert.Equal(1, p.GetProperty("schema_version").GetInt32());
        Assert.Equal("1.4.2", p.GetProperty("client_version").GetString());
        Assert.Equal(Events.SessionStart.ToUnixTimeSeconds(), p.GetProperty("session_id").GetInt64());
        foreach (var envelopeOnly in new[] { "event", "event_id", "timestamp", "user_bucket", "user_id", "anonymous_id" })
        {
            Assert.False(p.TryGetProperty(envelopeOnly, out _), envelopeOnly);
        }
    }

    [Fact]
    public async Task Client_id_falls_back_to_the_option_then_the_session_and_user_id_is_left_out_when_signed_out()
    {
        await Sink(o => o.FallbackClientId = "install-9").SendAsync(new[] { Events.Watchlist(userId: null, anonymousId: null) }, default);
        await Sink().SendAsync(new[] { Events.Watchlist(userId: null, anonymousId: null) }, default);

        var requests = _server.Requests.Select(r => r.Json()).ToArray();
        Assert.Equal("install-9", requests[0].GetProperty("client_id").GetString());
        Assert.Equal(Events.Session.ToString(), requests[1].GetProperty("client_id").GetString());
        Assert.All(requests, r => Assert.False(r.TryGetProperty("user_id", out _)));
    }

    [Fact]
    public void Eu_host_is_region1_and_the_endpoint_never_shows_the_secret()
    {
        Assert.Equal("https://region1.google-analytics.com/", Ga4SinkOptions.EuHost.ToString());
        Assert.Equal("https://www.google-analytics.com/", Ga4SinkOptions.GlobalHost.ToString());
        var sink = new Ga4Sink(Http, new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "secret", Host = Ga4SinkOptions.EuHost });
        Assert.Equal("https://region1.google-analytics.com/mp/collect", sink.Endpoint.ToString());
        Assert.Equal("ga4", sink.Name);
        Assert.Equal(25, sink.MaxBatchSize);
    }

    [Fact]
    public async Task A_network_failure_detail_never_contains_the_api_secret()
    {
        var sink = new Ga4Sink(Http, new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "very-secret-value", Host = new Uri($"http://127.0.0.1:{Events.ClosedPort()}"), Time = new FixedTime(Events.Time) });

        var result = await sink.SendAsync(new[] { Events.Watchlist() }, default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.DoesNotContain("very-secret-value", result.Detail);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Contains("MeasurementId", Assert.Throws<ArgumentException>(() => new Ga4Sink(Http, new Ga4SinkOptions { ApiSecret = "x" })).Message);
        Assert.Contains("ApiSecret", Assert.Throws<ArgumentException>(() => new Ga4Sink(Http, new Ga4SinkOptions { MeasurementId = "G-1" })).Message);
        Assert.Contains("https", Assert.Throws<ArgumentException>(() => new Ga4Sink(Http, new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "x", Host = new Uri("http://example.com") })).Message);
        Assert.Contains("MaxBatchSize", Assert.Throws<ArgumentException>(() => new Ga4Sink(Http, new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "x", MaxBatchSize = 26 })).Message);
        Assert.Contains("MaxParamValueLength", Assert.Throws<ArgumentException>(() => new Ga4Sink(Http, new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "x", MaxParamValueLength = 501 })).Message);
        var options = new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "x" };
        options.PropertyNames["symbol"] = "ticker.name";
        Assert.Contains("ticker.name", Assert.Throws<ArgumentException>(() => new Ga4Sink(Http, options)).Message);
        options.PropertyNames["symbol"] = "ga_ticker";
        Assert.Contains("reserved prefix", Assert.Throws<ArgumentException>(() => new Ga4Sink(Http, options)).Message);
    }

    [Fact]
    public async Task More_than_25_events_is_too_large_without_a_request()
    {
        var result = await Sink(o => o.MaxBatchSize = 25).SendAsync(Events.Several(26), default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Events_of_several_identities_are_too_large_so_the_pipeline_splits_them_without_a_request()
    {
        var batch = new[] { Events.Watchlist(), Events.Watchlist(userId: "user-43"), Events.Watchlist() };

        var result = await Sink().SendAsync(batch, default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
        Assert.Contains("2 users", result.Detail);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("session_start", "reserved")]
    [InlineData("first_visit", "reserved")]
    [InlineData("ga_custom", "reserved prefix")]
    [InlineData("Firebase_thing", "reserved prefix")]
    [InlineData("google_x", "reserved prefix")]
    [InlineData("9lives", "must start with a letter")]
    [InlineData("watch list", "letters, digits and underscores")]
    [InlineData("a_name_that_is_much_longer_than_forty_chars", "over GA4's 40")]
    public async Task Event_names_GA4_would_refuse_are_rejected_with_a_reason_and_not_sent(string mapped, string reason)
    {
        var good = Events.Watchlist();
        var bad = Events.Watchlist(name: "bad.event");

        var result = await Sink(o => o.EventName = n => n == "bad.event" ? mapped : n).SendAsync(new[] { good, bad }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var rejected = Assert.Single(result.Rejected!);
        Assert.Equal(bad.EventId, rejected.EventId);
        Assert.Contains(reason, rejected.Reason);
        Assert.Single(_server.Single().Json().GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Event_name_mapping_renames_and_drops_and_dots_become_underscores()
    {
        var result = await Sink(o =>
        {
            o.EventName = n => n == "watchlist.remove" ? null : "app." + n;
            o.PropertyNames["symbol"] = "ticker";
            o.PropertyNames["sampling_rate"] = null;
        }).SendAsync(new[] { Events.Watchlist(), Events.Watchlist(name: "watchlist.remove") }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var e = Assert.Single(_server.Single().Json().GetProperty("events").EnumerateArray());
        Assert.Equal("app_watchlist_add", e.GetProperty("name").GetString());
        Assert.Equal("BTC/USDT", e.GetProperty("params").GetProperty("ticker").GetString());
        Assert.False(e.GetProperty("params").TryGetProperty("symbol", out _));
        Assert.False(e.GetProperty("params").TryGetProperty("sampling_rate", out _));
    }

    [Fact]
    public async Task Param_limits_are_enforced_before_sending()
    {
        var reservedParam = Custom(w => w.WriteString("google_campaign", "x"));
        var badParamName = Custom(w => w.WriteString("Bad-Name", "x"));
        var tooMany = Custom(w =>
        {
            for (var i = 0; i < 22; i++) w.WriteNumber("p" + i, i); // + 4 carried envelope params = 26
        });
        var longValue = Custom(w => w.WriteString("note", new string('x', 101)));
        var objectValue = Custom(w =>
        {
            w.WriteStartObject("nested");
            w.WriteEndObject();
        });
        var atLimit = Custom(w =>
        {
            for (var i = 0; i < 20; i++) w.WriteNumber("p" + i, i); // + 4 = 24, plus note = 25
            w.WriteString("note", new string('y', 100));
        });

        var result = await Sink().SendAsync(new[] { reservedParam, badParamName, tooMany, longValue, objectValue, atLimit }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var reasons = result.Rejected!.ToDictionary(r => r.EventId, r => r.Reason);
        Assert.Equal(5, reasons.Count);
        Assert.Contains("reserved prefix 'google_'", reasons[reservedParam.EventId]);
        Assert.Contains("letters, digits and underscores", reasons[badParamName.EventId]);
        Assert.Contains("more than GA4's 25 parameters", reasons[tooMany.EventId]);
        Assert.Contains("101 characters, over GA4's 100", reasons[longValue.EventId]);
        Assert.Contains("is an object", reasons[objectValue.EventId]);
        var sent = Assert.Single(_server.Single().Json().GetProperty("events").EnumerateArray());
        Assert.Equal(25, sent.GetProperty("params").EnumerateObject().Count());
    }

    [Fact]
    public async Task Long_values_are_cut_when_asked_booleans_become_text_and_arrays_are_joined()
    {
        var e = Custom(w =>
        {
            w.WriteString("note", new string('x', 150));
            w.WriteBoolean("flag", true);
            w.WriteStartArray("labels");
            w.WriteStringValue("a");
            w.WriteStringValue("b");
            w.WriteNumberValue(3);
            w.WriteEndArray();
            w.WriteNull("gone");
        });

        var result = await Sink(o => o.TruncateLongValues = true).SendAsync(new[] { e }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Null(result.Rejected);
        var p = _server.Single().Json().GetProperty("events")[0].GetProperty("params");
        Assert.Equal(new string('x', 100), p.GetProperty("note").GetString());
        Assert.Equal("true", p.GetProperty("flag").GetString());
        Assert.Equal("a,b,3", p.GetProperty("labels").GetString());
        Assert.False(p.TryGetProperty("gone", out _));
    }

    [Fact]
    public async Task Events_older_than_72_hours_and_overlong_user_ids_are_rejected_and_nothing_is_posted_when_none_is_left()
    {
        var sink = Sink(o => o.Time = new FixedTime(Events.Time.AddHours(72).AddSeconds(1)));
        var old = Events.Watchlist();

        var result = await sink.SendAsync(new[] { old }, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Contains("72 hours", Assert.Single(result.Rejected!).Reason);
        var longUser = await Sink().SendAsync(new[] { Events.Watchlist(userId: new string('u', 257)) }, default);
        Assert.Contains("user_id is 257 characters", Assert.Single(longUser.Rejected!).Reason);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_request_over_130000_bytes_is_too_large()
    {
        // 25 events x 24 params of 100 characters is about 63 kB; with 500-character values (GA 360) it is over 130 kB.
        var events = Enumerable.Range(0, 25).Select(_ => Custom(w =>
        {
            for (var i = 0; i < 21; i++) w.WriteString("p" + i, new string('z', 400));
        })).ToArray();

        var result = await Sink(o => o.MaxParamValueLength = 500).SendAsync(events, default);

        Assert.Equal(SinkOutcome.TooLarge, result.Outcome);
        Assert.Contains("130000", result.Detail);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData(200, SinkOutcome.Delivered)]
    [InlineData(204, SinkOutcome.Delivered)]
    [InlineData(400, SinkOutcome.Rejected)]
    [InlineData(403, SinkOutcome.Rejected)]
    [InlineData(413, SinkOutcome.TooLarge)]
    [InlineData(429, SinkOutcome.RetryLater)]
    [InlineData(500, SinkOutcome.RetryLater)]
    [InlineData(503, SinkOutcome.RetryLater)]
    public async Task Answers_map_to_outcomes(int status, SinkOutcome expected)
    {
        _server.Answer(Reply.Json(status, "{}", ("Retry-After", "7")));

        var result = await Sink().SendAsync(Events.Several(2), default);

        Assert.Equal(expected, result.Outcome);
        if (status == 429) Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task A_timeout_is_retry_later()
    {
        _server.Answer(new Reply(204, Delay: TimeSpan.FromSeconds(5)));

        var result = await Sink(o => o.RequestTimeout = TimeSpan.FromMilliseconds(200)).SendAsync(Events.Several(1), default);

        Assert.Equal(SinkOutcome.RetryLater, result.Outcome);
        Assert.Contains("timeout", result.Detail);
    }

    [Fact]
    public async Task ValidateAsync_posts_to_debug_mp_collect_and_reports_messages_with_the_event_they_are_about()
    {
        _server.Answer(Reply.Json(200, """
            {"validationMessages":[
              {"fieldPath":"events","description":"Event at index: [1] has invalid value [x] for parameter [price].","validationCode":"VALUE_INVALID"},
              {"fieldPath":"events[0].params.symbol","description":"bad symbol","validationCode":"VALUE_INVALID"}]}
            """));
        var events = new[] { Events.Watchlist(), Events.Watchlist(), Events.Watchlist(name: "session.start") };

        var result = await Sink(o => o.EventName = n => n == "session.start" ? "session_start" : n).ValidateAsync(events);

        Assert.False(result.IsValid);
        var request = _server.Single();
        Assert.Equal("/debug/mp/collect", request.Path);
        Assert.Equal("?measurement_id=G-TEST123&api_secret=s3cr3t%2F%2B%3D", request.Query);
        Assert.Equal(2, request.Json().GetProperty("events").GetArrayLength());
        Assert.Equal(events[2].EventId, Assert.Single(result.Rejected).EventId);
        Assert.Equal(2, result.Messages.Count);
        Assert.Equal(events[1].EventId, result.Messages[0].EventId);
        Assert.Equal("VALUE_INVALID", result.Messages[0].ValidationCode);
        Assert.Equal(events[0].EventId, result.Messages[1].EventId);
        Assert.Equal("events[0].params.symbol", result.Messages[1].FieldPath);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public async Task ValidateAsync_splits_by_identity_and_25_and_is_valid_on_an_empty_answer()
    {
        _server.Answer(Reply.Json(200, """{"validationMessages":[]}"""));
        var events = Events.Several(30).Concat(new[] { Events.Watchlist(userId: "other") }).ToArray();

        var result = await Sink().ValidateAsync(events);

        Assert.True(result.IsValid);
        Assert.Equal(new[] { 25, 5, 1 }, _server.Requests.Select(r => r.Json().GetProperty("events").GetArrayLength()));
    }

    [Fact]
    public async Task ValidateAsync_reports_an_unusable_answer_as_a_failure()
    {
        _server.Answer(new Reply(500, "oops"));

        var result = await Sink().ValidateAsync(Events.Several(1));

        Assert.False(result.IsValid);
        Assert.Contains("HTTP 500", Assert.Single(result.Failures));
    }

    /// <summary>
    /// Property: whatever names the mapping produces (random text from an alphabet rich in the characters GA4
    /// refuses), every event name and parameter name the sink sends obeys GA4's rules as written in its
    /// documentation, checked here by an independent pattern; every other event is rejected with a reason.
    /// </summary>
    [Fact]
    public async Task Random_names_either_reach_GA4_valid_or_are_rejected_never_sent_invalid()
    {
        var random = new Random(20261206);
        const string alphabet = "abcXYZ019_._-é ";
        string Name() => new(Enumerable.Range(0, random.Next(0, 48)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        string Prefixed() => random.Next(5) switch { 0 => "ga_" + Name(), 1 => "Google_" + Name(), 2 => "session_start", _ => Name() };
        var sentEvents = 0;
        for (var round = 0; round < 40; round++)
        {
            var eventNames = new Dictionary<string, string>();
            var batch = Enumerable.Range(0, 10).Select(i =>
            {
                var paramName = Prefixed();
                var e = Custom(w => w.WriteString(paramName.Length == 0 ? "empty" : paramName, "v"), name: "e.n" + i);
                eventNames["e.n" + i] = Prefixed();
                return e;
            }).ToArray();

            _server.Requests.Clear();
            var result = await Sink(o => o.EventName = n => eventNames[n]).SendAsync(batch, default);

            var rejected = result.Rejected?.Count ?? 0;
            var sent = _server.Requests.SelectMany(r => r.Json().GetProperty("events").EnumerateArray()).ToArray();
            Assert.Equal(batch.Length, rejected + sent.Length);
            foreach (var e in sent)
            {
                Assert.Matches(ValidName(), e.GetProperty("name").GetString());
                Assert.DoesNotContain(e.GetProperty("name").GetString(), Ga4Reserved);
                foreach (var p in e.GetProperty("params").EnumerateObject())
                {
                    Assert.Matches(ValidName(), p.Name);
                }
            }

            sentEvents += sent.Length;
        }

        Assert.InRange(sentEvents, 1, 399); // both paths were exercised
    }

    private static readonly string[] Ga4Reserved = { "session_start", "first_visit", "user_engagement", "first_open", "app_remove" };

    /// <summary>GA4's documented rule: a letter, then letters, digits or underscores, 40 at most, no reserved prefix.</summary>
    [GeneratedRegex("^(?!(?i:google_|ga_|firebase_))[A-Za-z][A-Za-z0-9_]{0,39}$")]
    private static partial Regex ValidName();

    private static OutgoingEvent Custom(Action<Utf8JsonWriter> properties, string name = "custom.event")
    {
        var id = Events.UuidV7(Events.Time);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("event", name);
            w.WriteString("event_id", id);
            w.WriteString("timestamp", Events.Time);
            w.WriteString("session_id", Events.Session);
            w.WriteNumber("sampling_rate", 1);
            w.WriteString("client_version", "1.4.2");
            w.WriteNumber("schema_version", 1);
            w.WriteString("anonymous_id", "device-1");
            properties(w);
            w.WriteEndObject();
        }

        return new OutgoingEvent(id, name, EventTier.A, Events.Time, null, "device-1", buffer.WrittenMemory.ToArray());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
