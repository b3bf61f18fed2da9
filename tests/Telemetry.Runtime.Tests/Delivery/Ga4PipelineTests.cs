using System.Text.Json;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Delivery;

/// <summary>The GA4 sink inside the real pipeline: generated events, the dispatcher's splitting, and resend counting.</summary>
public sealed class Ga4PipelineTests
{
    [Fact]
    public async Task Events_of_several_users_in_one_batch_are_split_into_one_request_per_identity_and_all_delivered()
    {
        await using var server = new FaultyServer(Fault.Ok);
        using var http = new HttpClient();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestPipeline.Start);
        var sink = new Ga4Sink(http, new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "s", Host = server.BaseUrl, Time = time });
        await using var ga4 = TestPipeline.Create(sink, time: time);

        ga4.Pipeline.TrackProbeStep(1);
        ga4.Pipeline.Identify("user-2");
        ga4.Pipeline.TrackProbeStep(2);
        ga4.Pipeline.TrackProbeStep(3);
        ga4.Pipeline.Identify("user-1");
        ga4.Pipeline.TrackProbeStep(4);
        await ga4.DeliverAllAsync();

        Assert.Equal(4, ga4.Stats.Sent);
        Assert.Equal(0, ga4.Stats.Dropped);
        var requests = server.Bodies.Select(b => JsonDocument.Parse(b).RootElement).ToList();
        var seen = new List<(string User, int Seq)>();
        foreach (var r in requests)
        {
            var user = r.GetProperty("user_id").GetString()!;
            Assert.False(string.IsNullOrEmpty(r.GetProperty("client_id").GetString()));
            foreach (var e in r.GetProperty("events").EnumerateArray())
            {
                Assert.Equal("probe_step", e.GetProperty("name").GetString());
                seen.Add((user, e.GetProperty("params").GetProperty("seq").GetInt32()));
            }
        }

        Assert.Equal(new[] { ("user-1", 1), ("user-2", 2), ("user-2", 3), ("user-1", 4) }, seen.OrderBy(s => s.Seq));
    }

    [Fact]
    public async Task A_GA4_5xx_is_counted_as_a_resend_to_ga4_because_GA4_cannot_deduplicate()
    {
        await using var server = new FaultyServer(Fault.ServerError, Fault.Ok);
        using var http = new HttpClient();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestPipeline.Start);
        var sink = new Ga4Sink(http, new Ga4SinkOptions { MeasurementId = "G-1", ApiSecret = "s", Host = server.BaseUrl, Time = time });
        await using var t = TestPipeline.Create(sink, time: time);

        t.Pipeline.TrackProbeStep(1);
        t.Pipeline.TrackProbeStep(2);
        await t.DeliverAllAsync();

        Assert.Equal(2, t.Stats.Sent);
        Assert.Equal(2, t.Stats.ResentByReason[ResendReason.ServerError]);
        Assert.Equal(2, server.Bodies.Count);
    }
}
