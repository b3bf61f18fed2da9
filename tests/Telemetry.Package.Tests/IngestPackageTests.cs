namespace Telemetry.Package.Tests;

/// <summary>
/// Telemetry.Ingest (and the optional Telemetry.Ingest.Prometheus) from the local feed in a fresh minimal web app:
/// <c>AddTelemetryIngest</c> / <c>MapTelemetryIngest</c> answer <c>POST /v1/batch</c> with 202 and store the event,
/// and <c>/metrics</c> counts it.
/// </summary>
public sealed class IngestPackageTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    [Fact]
    public async Task MinimalWebApp_AcceptsABatchWith202_StoresTheEvent_AndCountsItOnMetrics()
    {
        // The app starts on a free loopback port, sends one valid and one invalid event to itself, and prints what it saw.
        var consumer = ConsumerProject.Create(Packages, "IngestApp", """
            using System.Net.Http.Headers;
            using System.Text;
            using Microsoft.AspNetCore.Hosting.Server;
            using Microsoft.AspNetCore.Hosting.Server.Features;
            using Telemetry.Ingest;

            var data = Path.Combine(AppContext.BaseDirectory, "ingest-data-" + Guid.NewGuid().ToString("N"));
            var builder = WebApplication.CreateBuilder(args);
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddTelemetryIngest(o =>
            {
                o.CatalogPath = Path.Combine(AppContext.BaseDirectory, "catalog");
                o.Storage.DataPath = data;
                o.Projects.Add(new ProjectOptions { Name = "app", WriteKey = "wk-package-test-0123456789" });
                o.AdminKey = "ak-package-test-0123456789";
            });
            builder.Services.AddTelemetryIngestPrometheus();
            var app = builder.Build();
            app.MapTelemetryIngest();
            app.MapTelemetryIngestMetrics();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

            using var http = new HttpClient { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wk-package-test-0123456789");
            var now = DateTimeOffset.UtcNow.ToString("O");
            var envelope = $"\"event_id\":\"{Guid.NewGuid()}\",\"timestamp\":\"{now}\",\"session_id\":\"s1\",\"user_id\":\"u1\",\"user_bucket\":12,\"sampling_rate\":1,\"client_version\":\"1.0.0\",\"schema_version\":1";
            var body = "{\"events\":[{\"event\":\"watchlist.add\"," + envelope + ",\"symbol\":\"BTC/USDT\",\"source\":\"search\"},"
                + "{\"event\":\"watchlist.add\"," + envelope.Replace("\"u1\"", "\"u2\"") + ",\"symbol\":\"BTC/USDT\",\"source\":\"nowhere\"}]}";
            using var batch = await http.PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
            Console.WriteLine("batch-status=" + (int)batch.StatusCode);
            Console.WriteLine("batch-body=" + await batch.Content.ReadAsStringAsync());

            using var admin = new HttpClient { BaseAddress = new Uri(address) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ak-package-test-0123456789");
            Console.WriteLine("stats=" + await admin.GetStringAsync("/admin/stats"));
            var metrics = await new HttpClient { BaseAddress = new Uri(address) }.GetStringAsync("/metrics");
            foreach (var line in metrics.Split('\n').Where(l => l.StartsWith("telemetry_ingest_events_", StringComparison.Ordinal)))
            {
                Console.WriteLine("metric=" + line);
            }

            await app.StopAsync();

            """, new[] { "Telemetry.Ingest", "Telemetry.Ingest.Prometheus" }, sdk: "Microsoft.NET.Sdk.Web");
        consumer.WriteFile("catalog/watchlist.yaml", Catalogs.Watchlist);
        consumer.WriteFile("Directory.Build.targets", """
            <Project>
              <ItemGroup>
                <None Include="catalog/*.yaml" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>

            """);

        var build = await Log(consumer.BuildAsync());
        ProcessAssert.Succeeded(build);
        var run = await Log(consumer.RunAsync());
        ProcessAssert.Succeeded(run);

        var lines = run.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        string Value(string key) => lines.FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..]
            ?? throw new Xunit.Sdk.XunitException($"No '{key}=' line." + Environment.NewLine + run);

        Assert.True(Value("batch-status") == "202", "POST /v1/batch" + Environment.NewLine + run);
        using (var answer = JsonDocument.Parse(Value("batch-body")))
        {
            Assert.True(answer.RootElement.GetProperty("accepted").GetInt32() == 1, "accepted" + Environment.NewLine + run);
            Assert.True(answer.RootElement.GetProperty("rejected").GetArrayLength() == 1, "rejected" + Environment.NewLine + run);
        }

        using (var stats = JsonDocument.Parse(Value("stats")))
        {
            Assert.True(stats.RootElement.GetProperty("events_stored").GetInt64() == 1, "stored" + Environment.NewLine + run);
        }

        Assert.Contains(lines, l => l.StartsWith("metric=telemetry_ingest_events_incoming_total", StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("metric=telemetry_ingest_events_stored_total", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
    }
}
