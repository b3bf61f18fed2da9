using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telemetry.Catalog;
using Telemetry.Catalog.Schema;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Tests.Errors;

public sealed class ErrorIssueTests
{
    [Fact]
    public Task Errors_from_the_runtime_are_grouped_into_issues_listed_resolved_and_reopened_on_sqlite() => ErrorIssueScenario.RunAsync(postgres: null);

    [Fact]
    public void The_runtime_descriptors_match_their_reserved_catalog_definitions()
    {
        var catalog = CatalogSet.Parse(ReservedCatalog.Files);
        Assert.DoesNotContain(catalog.AllDiagnostics, d => d.Severity == Telemetry.Catalog.Model.CatalogSeverity.Error);
        foreach (var descriptor in new[] { ErrorCaptured.Descriptor, ClientHealthReport.Descriptor })
        {
            var spec = Assert.Single(catalog.Events, e => e.Name == descriptor.Name);
            Assert.Equal(spec.Version, descriptor.Version);
            Assert.Equal(spec.Tier.ToString(), descriptor.Tier.ToString());
            Assert.Equal(spec.Sampling, descriptor.Sampling);
            Assert.Equal(
                spec.Properties.Where(p => p.IsSent).Select(p => (p.WireName, p.Required)),
                descriptor.Properties.Select(p => (p.Name, p.Required)));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(EventJsonSchema.Write(spec)), JsonNode.Parse(descriptor.JsonSchema)),
                $"{descriptor.Name}: the descriptor's JSON Schema differs from the catalog's:{Environment.NewLine}{EventJsonSchema.Write(spec)}");
        }
    }

    [Fact]
    public async Task An_unknown_issue_answers_404_and_a_bad_status_400()
    {
        await using var host = await IngestHost.StartAsync();
        using (var r = await host.Admin.PostAsync("/admin/errors/test/0000000000000000/resolve", null)) Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        using (var r = await host.Admin.GetAsync("/admin/errors?status=maybe")) Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using (var r = await host.Client.GetAsync("/admin/errors")) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }
}

public sealed class PostgresErrorIssueTests
{
    [PostgresFact]
    public async Task Errors_from_the_runtime_are_grouped_into_issues_listed_resolved_and_reopened_on_postgres()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await ErrorIssueScenario.RunAsync(db.ConnectionString);
    }
}

internal static class ErrorIssueScenario
{
    public static async Task RunAsync(string? postgres)
    {
        await using var host = await IngestHost.StartAsync(postgres: postgres);
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);

        // Client 1: user-a on 1.0.0, rate limit 2 per minute: A x3 (2 sent, 1 counted), a minute later A (carries suppressed=1), and B.
        var clock1 = new ManualClock();
        clock1.Advance(start - clock1.GetUtcNow());
        await using (var p1 = Pipeline(host, clock1, "user-a", "1.0.0", o => o.Errors.RateLimitPerWindow = 2))
        {
            for (var i = 0; i < 3; i++) Assert.Equal(i == 2, p1.CaptureException(Thrown(FailA)).RateLimited);
            clock1.Advance(TimeSpan.FromMinutes(1));
            p1.CaptureException(Thrown(FailA));
            p1.CaptureException(Thrown(FailB), ErrorLevel.Warning);
            Assert.True(await p1.FlushAsync());
        }

        // Client 2: user-b on 1.1.0, later, with a logged warning before A.
        var clock2 = new ManualClock();
        clock2.Advance(start.AddMinutes(5) - clock2.GetUtcNow());
        await using (var p2 = Pipeline(host, clock2, "user-b", "1.1.0"))
        {
            using var provider = new TelemetryBreadcrumbLoggerProvider(p2.Errors);
            provider.CreateLogger("Shop.Cart").LogWarning("Cart {Cart} was empty", 7);
            p2.CaptureException(Thrown(FailA), tags: new Dictionary<string, string> { ["screen"] = "cart" });
            Assert.True(await p2.FlushAsync());
        }

        var open = (await host.AdminJsonAsync("/admin/errors"))["issues"]!.AsArray();
        Assert.Equal(2, open.Count);
        var a = open[0]!;
        Assert.Equal("System.InvalidOperationException", (string?)a["error_type"]);
        Assert.Equal("test", (string?)a["project"]);
        Assert.Equal("open", (string?)a["status"]);
        Assert.Equal(5, (long)a["count"]!);
        Assert.Equal(4, (long)a["events"]!);
        Assert.Equal(2, (long)a["affected_users"]!);
        Assert.Equal(2, (long)a["affected_sessions"]!);
        Assert.Equal(new[] { "1.0.0", "1.1.0" }, a["client_versions"]!.AsArray().Select(v => (string)v!));
        Assert.Contains(a["latest_breadcrumbs"]!.AsArray(), c => ((string)c!).EndsWith("log warning Shop.Cart: Cart 7 was empty", StringComparison.Ordinal));
        Assert.Equal(start, DateTimeOffset.Parse((string)a["first_seen"]!), TimeSpan.FromMilliseconds(1));
        Assert.Equal(start.AddMinutes(5), DateTimeOffset.Parse((string)a["last_seen"]!), TimeSpan.FromMilliseconds(1));
        var b = open[1]!;
        Assert.Equal("System.TimeoutException", (string?)b["error_type"]);
        Assert.Equal("warning", (string?)b["level"]);
        Assert.Equal(1, (long)b["count"]!);
        Assert.Equal(6, host.Services.GetRequiredService<IngestMetrics>().ErrorsCapturedTotal);

        // Resolve A: it leaves the open list; the next A event reopens it.
        var fingerprintA = (string)a["fingerprint"]!;
        using (var r = await host.Admin.PostAsync($"/admin/errors/test/{fingerprintA}/resolve", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Single((await host.AdminJsonAsync("/admin/errors"))["issues"]!.AsArray());
        var resolved = (await host.AdminJsonAsync("/admin/errors?status=resolved"))["issues"]!.AsArray();
        Assert.Equal(fingerprintA, (string?)Assert.Single(resolved)!["fingerprint"]);

        await Task.Delay(5); // received_at must pass resolved_at
        var clock3 = new ManualClock();
        await using (var p3 = Pipeline(host, clock3, "user-c", "1.2.0"))
        {
            p3.CaptureException(Thrown(FailA));
            Assert.True(await p3.FlushAsync());
        }

        var again = await host.AdminJsonAsync($"/admin/errors/test/{fingerprintA}");
        Assert.Equal("open", (string?)again["status"]);
        Assert.Equal(3, (long)again["affected_users"]!);
        Assert.Equal(2, (await host.AdminJsonAsync("/admin/errors"))["issues"]!.AsArray().Count);

        using var metrics = await new HttpClient { BaseAddress = host.BaseAddress }.GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Matches("telemetry_ingest_error_issues_new_total\\{[^}]*change=\"new\"\\} 2", text);
        Assert.Matches("telemetry_ingest_error_issues_new_total\\{[^}]*change=\"regressed\"\\} 1", text);
        Assert.Contains("telemetry_ingest_errors_captured_total", text);
    }

    private static TelemetryPipeline Pipeline(IngestHost host, TimeProvider time, string user, string version, Action<TelemetryOptions>? configure = null) =>
        TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.UserId = user;
                o.ClientVersion = version;
                o.UseDurableQueue = false;
                o.StorageDirectory = Path.Combine(host.DataPath, "client-" + user);
                o.Errors.CaptureUnhandledExceptions = false;
                configure?.Invoke(o);
            })
            .WithSink(http => new IngestSink(http, new IngestSinkOptions { BaseUrl = host.BaseAddress, WriteKey = IngestHost.WriteKey }))
            .WithTimeProvider(time)
            .Build();

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("did not throw");
    }

    private static void FailA() => throw new InvalidOperationException("Order 17 is invalid");

    private static void FailB() => throw new TimeoutException("Quote service timed out");
}
