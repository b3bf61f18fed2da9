using System.Net;
using System.Text.Json.Nodes;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Ingestion;

public sealed class HappyPathTests
{
    [Fact]
    public async Task Valid_batch_is_answered_202_and_every_event_is_stored_with_enrichment()
    {
        await using var host = await IngestHost.StartAsync();
        host.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1");

        using var response = await host.PostBatchAsync(Events.Zoom(), Events.PlaceSim(), Events.Annotation());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, (int)body["accepted"]!);
        Assert.Equal(0, (int)body["duplicates"]!);
        Assert.Empty(body["rejected"]!.AsArray());
        Assert.Equal(3, await host.StoredCountAsync());

        var export = await host.AdminJsonAsync("/admin/users/user-1/events");
        Assert.Equal(3, (int)export["count"]!);
        var first = export["events"]![0]!;
        Assert.Equal("127.0.0.0", (string?)first["ip"]);
        Assert.Equal("mobile", (string?)first["device"]);
        Assert.Equal("iOS 17", (string?)first["os"]);
        Assert.Equal("Safari 17", (string?)first["browser"]);
        Assert.Equal("test", (string?)first["project"]);
    }

    [Fact]
    public async Task Aggregate_endpoint_accepts_one_aggregate_object_and_dedupes_id_less_resends_by_fingerprint()
    {
        await using var host = await IngestHost.StartAsync();
        var aggregate = Events.CrosshairAgg(withId: false);

        using var first = await host.PostJsonAsync("/api/analytics/agg", aggregate.ToJsonString());
        using var second = await host.PostJsonAsync("/api/analytics/agg", aggregate.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var again = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)again["duplicates"]!);
        Assert.Equal(1, await host.StoredCountAsync());
    }
}
