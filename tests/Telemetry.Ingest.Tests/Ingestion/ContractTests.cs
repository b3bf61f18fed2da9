using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Ingest.Ingestion;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Tests.Ingestion;

/// <summary>
/// The request contract: duplicate keys, canonical event ids, the time policy, per-event isolation, no bare 500,
/// admin query parameters, and truthful status labels on /metrics.
/// </summary>
public sealed class ContractTests
{
    [Theory]
    [InlineData("{\"events\":[@A],\"events\":[@B]}", "$.events")]
    [InlineData("{\"events\":[@A,@DUP]}", "$.events[1].user_bucket")]
    [InlineData("{\"events\":[@B,@ESC]}", "$.events[1].direction")]
    [InlineData("{\"x\":{\"y\":1,\"y\":2},\"events\":[@A]}", "$.x.y")]
    [InlineData("{\"events\":[@A,{\"deep\":[[{\"k\":1,\"k\":1}]]}]}", "$.events[1].deep[0][0].k")]
    public async Task A_duplicate_key_at_any_level_is_400_duplicate_key_with_its_path_and_nothing_is_stored(string shape, string path)
    {
        await using var host = await IngestHost.StartAsync();
        var a = Events.Zoom().ToJsonString();
        var b = Events.Zoom().ToJsonString();
        var dup = Events.Zoom().ToJsonString().Replace("\"user_bucket\":1234", "\"user_bucket\":1234,\"user_bucket\":1", StringComparison.Ordinal);
        var dupEscaped = Events.Zoom().ToJsonString().Replace("\"direction\":\"in\"", "\"direction\":\"in\",\"\\u0064irection\":\"out\"", StringComparison.Ordinal);
        var body = shape.Replace("@ESC", dupEscaped, StringComparison.Ordinal).Replace("@DUP", dup, StringComparison.Ordinal)
            .Replace("@A", a, StringComparison.Ordinal).Replace("@B", b, StringComparison.Ordinal);

        using var response = await host.PostJsonAsync("/v1/batch", body);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:telemetry:ingest:duplicate-key", (string?)problem["type"]);
        Assert.Equal(path, (string?)problem["path"]);
        Assert.Equal(0, await host.StoredCountAsync());
    }

    [Theory]
    [InlineData(" {0}")]
    [InlineData("{0}\n")]
    [InlineData("{{{0}}}")]
    [InlineData("({0})")]
    [InlineData("{0:N}")]
    [InlineData("urn:uuid:{0}")]
    public async Task An_event_id_that_is_not_the_canonical_36_character_uuid_is_rejected(string format)
    {
        await using var host = await IngestHost.StartAsync();
        var id = Guid.NewGuid();
        var evt = Events.Zoom();
        evt["event_id"] = format == "{0:N}" ? id.ToString("N") : string.Format(CultureInfo.InvariantCulture, format, id.ToString());
        using var response = await host.PostBatchAsync(evt, Events.Zoom());
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (int)answer["accepted"]!);
        var rejection = answer["rejected"]![0]!;
        Assert.Equal(("$.events[0].event_id", "format"), ((string?)rejection["path"], (string?)rejection["reason"]));
    }

    [Fact]
    public async Task A_canonical_event_id_is_stored_and_exported_exactly_as_sent_in_either_case()
    {
        await using var host = await IngestHost.StartAsync();
        var upper = Guid.NewGuid().ToString().ToUpperInvariant();
        var evt = Events.Zoom("user-case");
        evt["event_id"] = upper;
        using (var response = await host.PostBatchAsync(evt)) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var export = await host.AdminJsonAsync("/admin/users/user-case/events");
        var stored = export["events"]![0]!;
        Assert.Equal(upper, (string?)stored["event"]!["event_id"]);
        Assert.Equal(Guid.Parse(upper), Guid.Parse((string)stored["event_id"]!));
    }

    [Fact]
    public async Task Timestamps_beyond_the_clock_skew_or_older_than_the_event_age_are_rejected_one_by_one_and_counted()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await using var host = await IngestHost.StartAsync(o => o.MaxEventAge = TimeSpan.FromDays(30), services: s => s.AddSingleton<TimeProvider>(new ManualClock(now)));
        var cases = new (string Timestamp, bool Accepted)[]
        {
            ("0001-01-01T00:00:00Z", false), ("1900-01-01T00:00:00Z", false), ("3000-01-01T00:00:00Z", false), ("9999-12-31T23:59:59Z", false),
            ("2026-06-02T11:59:00Z", true), ("2026-06-02T12:00:01Z", false), ("2026-05-02T12:00:01Z", true), ("2026-05-02T11:59:59Z", false),
            ("2026-06-01T12:00:00+14:00", true),
        };
        var events = cases.Select(c => { var e = Events.Zoom(); e["timestamp"] = c.Timestamp; return e; }).ToArray();

        using var response = await host.PostBatchAsync(events);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(cases.Count(c => c.Accepted), (int)answer["accepted"]!);
        var rejected = answer["rejected"]!.AsArray().Select(r => ((int)r!["index"]!, (string?)r["reason"], (string?)r["path"])).ToArray();
        var expected = cases.Select((c, i) => (c, i)).Where(x => !x.c.Accepted)
            .Select(x => (x.i, (string?)"timestamp-out-of-range", (string?)$"$.events[{x.i}].timestamp")).ToArray();
        Assert.Equal(expected, rejected);
        Assert.Equal(cases.Count(c => c.Accepted), await host.StoredCountAsync());

        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Matches("telemetry_ingest_events_dropped_total\\{[^}]*reason=\"timestamp-out-of-range\"[^}]*\\} " + cases.Count(c => !c.Accepted), metrics);
    }

    [Fact]
    public async Task The_event_age_never_reaches_beyond_the_retention()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await using var host = await IngestHost.StartAsync(o => { o.MaxEventAge = TimeSpan.FromDays(60); o.RetentionDays = 7; },
            services: s => s.AddSingleton<TimeProvider>(new ManualClock(now)));
        var old = Events.Zoom();
        old["timestamp"] = "2026-05-24T12:00:00Z"; // 8 days: within MaxEventAge, beyond the retention
        var recent = Events.Zoom();
        recent["timestamp"] = "2026-05-26T12:00:00Z";
        using var response = await host.PostBatchAsync(old, recent);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)answer["accepted"]!);
        Assert.Equal("timestamp-out-of-range", (string?)answer["rejected"]![0]!["reason"]);
    }

    [Fact]
    public async Task A_failure_while_handling_one_event_rejects_it_as_internal_and_its_neighbours_are_stored()
    {
        await using var host = await IngestHost.StartAsync();
        var poison = Events.Zoom("user-poison");
        var handler = host.Services.GetRequiredService<IngestHandler>();
        handler.EventHook = (index, evt) =>
        {
            if (evt.TryGetProperty("user_id", out var u) && u.GetString() == "user-poison") throw new FormatException("a defect quoting secret-payload-value");
        };
        var batch = Enumerable.Range(0, 10).Select(i => i == 3 ? poison : Events.Zoom()).ToArray();

        using var response = await host.PostBatchAsync(batch);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(9, (int)answer["accepted"]!);
        var rejection = Assert.Single(answer["rejected"]!.AsArray())!;
        Assert.Equal((3, "internal", "$.events[3]"), ((int)rejection["index"]!, (string?)rejection["reason"], (string?)rejection["path"]));
        Assert.DoesNotContain("secret-payload-value", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(9, await host.StoredCountAsync());
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Matches("telemetry_ingest_events_dropped_total\\{[^}]*reason=\"internal\"[^}]*\\} 1", metrics);
    }

    [Fact]
    public async Task A_failure_anywhere_in_a_request_answers_503_with_retry_after_and_metrics_label_the_status_sent()
    {
        await using var host = await IngestHost.StartAsync();
        var handler = host.Services.GetRequiredService<IngestHandler>();
        handler.RequestHook = _ => throw new InvalidOperationException("unexpected");

        using var response = await host.PostBatchAsync(Events.Zoom());
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("urn:telemetry:ingest:unavailable", (string?)problem["type"]);
        Assert.Equal(0, await host.StoredCountAsync());

        handler.RequestHook = null;
        using (var ok = await host.PostBatchAsync(Events.Zoom())) Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        var metrics = await WaitForMetricAsync(host, "status=\"503\"");
        Assert.Matches("telemetry_ingest_request_duration_seconds_count\\{[^}]*status=\"503\"[^}]*\\} 1", metrics);
        Assert.Matches("telemetry_ingest_request_duration_seconds_count\\{[^}]*status=\"202\"[^}]*\\} 1", metrics);
        Assert.DoesNotMatch("status=\"200\"", metrics);
    }

    [Fact]
    public async Task A_request_whose_connection_is_lost_is_labelled_aborted_not_as_a_success()
    {
        await using var host = await IngestHost.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IngestHandler>().RequestHook = async context =>
        {
            // The client leaves while the server is working on its request (e.g. waiting for the commit).
            arrived.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        };
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
            var stream = tcp.GetStream();
            var head = "POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + IngestHost.WriteKey +
                       "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"events\":[";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.FlushAsync();
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            tcp.Client.LingerState = new LingerOption(true, 0); // reset, not a graceful close
        }

        var metrics = await WaitForMetricAsync(host, "status=\"aborted\"");
        var counts = string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("telemetry_ingest_request_duration_seconds_count", StringComparison.Ordinal)));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(counts, "status=\"aborted\"[^}]*\\} 1"), counts);
    }

    [Theory]
    [InlineData("/admin/reports/summary?to=0001-01-01")]
    [InlineData("/admin/reports/hourly?to=0001-01-01")]
    [InlineData("/admin/reports/top-events?to=0001-01-01")]
    [InlineData("/admin/reports/summary?from=0001-01-01")]
    [InlineData("/admin/reports/summary?to=9999-12-31T23:59:59Z")]
    [InlineData("/admin/reports/summary?from=1969-12-31")]
    [InlineData("/admin/reports/summary?from=2026-01-02&to=2026-01-01")]
    [InlineData("/admin/reports/summary?to=2026-01-01&to=2026-01-02")]
    [InlineData("/admin/reports/summary?from=")]
    [InlineData("/admin/reports/top-events?limit=0")]
    [InlineData("/admin/reports/top-events?limit=1001")]
    [InlineData("/admin/reports/top-events?limit=99999999999999999999")]
    [InlineData("/admin/reports/top-events?limit=-1")]
    [InlineData("/admin/reports/top-events?limit=1&limit=2")]
    [InlineData("/admin/reports/hourly?event=a&event=b")]
    public async Task Bad_admin_query_parameters_are_a_400_problem_never_a_500(string path)
    {
        await using var host = await IngestHost.StartAsync();
        using var response = await host.Admin.GetAsync(path);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:telemetry:ingest:bad-query", (string?)problem["type"]);
    }

    [Fact]
    public async Task Admin_reports_accept_the_edges_of_the_supported_range()
    {
        await using var host = await IngestHost.StartAsync();
        foreach (var path in new[] { "/admin/reports/summary?to=1970-01-01", "/admin/reports/hourly?from=1970-01-01&to=3000-01-01", "/admin/reports/top-events?limit=1000" })
        {
            using var response = await host.Admin.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path + ": " + (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Scrapes until a count line with <paramref name="fragment"/> is above 0 (a series can be exported a moment before its first value).</summary>
    private static async Task<string> WaitForMetricAsync(IngestHost host, string fragment)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var text = await host.Client.GetStringAsync("/metrics");
            var counted = text.Split('\n').Any(l => l.StartsWith("telemetry_ingest_request_duration_seconds_count", StringComparison.Ordinal) &&
                l.Contains(fragment, StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
            if (counted || DateTime.UtcNow > deadline) return text;
            await Task.Delay(100);
        }
    }
}
