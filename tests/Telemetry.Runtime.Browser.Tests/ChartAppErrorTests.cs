using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Telemetry.Runtime.Browser.Tests.TestSupport;
using Xunit.Abstractions;

namespace Telemetry.Runtime.Browser.Tests;

/// <summary>
/// samples/ChartApp (the console chart) in a real process against the ingest server: half way through its run the quote
/// feed fails once, and that one captured error is on the server with the fingerprint the app printed, scrubbed, and
/// with the Track calls before it as breadcrumbs.
/// </summary>
[Collection("Chromium")] // not a browser test: in the collection only so it does not compete for the CPU with them
public sealed partial class ChartAppErrorTests
{
    private readonly ITestOutputHelper _output;

    public ChartAppErrorTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task The_ChartApp_sample_captures_one_error_that_the_ingest_server_stores()
    {
        await using var ingest = new IngestServer("http://127.0.0.1");
        await ingest.StartAsync();
        var user = "user-error-" + Guid.NewGuid().ToString("N")[..8]; // a queue left in ChartApp's folder by an earlier run is another user's
        var start = new ProcessStartInfo("dotnet", ["run", "--project", Path.Combine(Repo.Root, "samples", "ChartApp", "ChartApp.csproj"), "--",
            "--seconds", "4", "--quiet", "--user", user, "--ingest", ingest.Address.ToString().TrimEnd('/'), "--write-key", IngestServer.WriteKey])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        var report = await stderr;
        _output.WriteLine(await stdout);
        _output.WriteLine(report);
        Assert.Equal(0, process.ExitCode);
        var printed = FingerprintLine().Match(report);
        Assert.True(printed.Success, "ChartApp reported no captured error");

        var error = Assert.Single(ingest.Payloads("error.captured").Select(p => JsonNode.Parse(p)!), e => (string?)e["user_id"] == user);
        var properties = error["properties"] ?? error;
        Assert.Equal(printed.Groups[1].Value, (string?)properties["fingerprint"]);
        Assert.Equal("manual", (string?)properties["mechanism"]);
        Assert.Contains("feature=chart", properties["tags"]!.AsArray().Select(t => (string?)t));
        var breadcrumbs = properties["breadcrumbs"]!.AsArray().Select(b => (string)b!).ToList();
        Assert.NotEmpty(breadcrumbs);
        Assert.All(breadcrumbs, b => Assert.Contains(" track ", b));
        Assert.Contains(breadcrumbs, b => b.Contains('=', StringComparison.Ordinal)); // with their properties
    }

    [GeneratedRegex(@"errors captured\s*: 1 \(error\.captured, fingerprint ([0-9a-f]+)")]
    private static partial Regex FingerprintLine();
}
