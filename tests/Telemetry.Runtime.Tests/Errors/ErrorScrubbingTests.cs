using System.Text;
using Microsoft.Extensions.Logging;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Errors;

/// <summary>
/// Canaries: personal data and secrets planted in every string an error report carries (message, inner messages,
/// stack frames' file paths, tags, logged breadcrumbs) must not appear in any byte the sink receives or the queue
/// file on disk holds.
/// </summary>
public class ErrorScrubbingTests
{
    private static readonly (string Planted, string Marker)[] Canaries =
    {
        ("/home/canaryalice/src/shop/Orders.cs", ErrorScrubbingRules.UserMarker),
        (@"C:\Users\canarybob\AppData\Local\shop\settings.json", ErrorScrubbingRules.UserMarker),
        ("/Users/canarycarol/Library/shop.db", ErrorScrubbingRules.UserMarker),
        ("Host=db;Username=canaryuser;Password=CanaryPass-81!;Database=shop", ErrorScrubbingRules.SecretMarker),
        ("Server=tcp:x.database.windows.net;User ID=canarydave;Pwd=CanaryPwd77", ErrorScrubbingRules.SecretMarker),
        ("DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Q2FuYXJ5S2V5MTIzNDU2Nzg5MGFiY2RlZg==", ErrorScrubbingRules.SecretMarker),
        ("postgres://canaryerin:CanaryUrlPass@db.internal:5432/shop", ErrorScrubbingRules.SecretMarker),
        ("Authorization: Bearer canaryTokenABCdef0123456789", ErrorScrubbingRules.SecretMarker),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5", ErrorScrubbingRules.SecretMarker),
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dcCanary", ErrorScrubbingRules.TokenMarker),
        ("https://api.shop.test/orders?email_hint=canaryfrank&session=CanarySess9", ErrorScrubbingRules.QueryMarker),
        ("frank.canary@example.com", PersonalDataScrubber.EmailMarker),
        ("4111 1111 1111 1111", PersonalDataScrubber.CardMarker),
    };

    // The parts of each canary that must never survive.
    private static readonly string[] Forbidden =
    {
        "canaryalice", "canarybob", "canarycarol", "canaryuser", "CanaryPass-81!", "canarydave", "CanaryPwd77",
        "Q2FuYXJ5S2V5MTIzNDU2Nzg5MGFiY2RlZg", "canaryerin", "CanaryUrlPass", "canaryTokenABCdef0123456789",
        "eyJzdWIiOiJjYW5hcnkifQ", "sk_live_4eC39HqLyjWDarjtT1zdp7dcCanary", "canaryfrank", "CanarySess9",
        "frank.canary", "4111 1111 1111 1111", "4111111111111111",
    };

    [Theory]
    [MemberData(nameof(EachCanary))]
    public void Each_rule_replaces_its_canary_with_its_marker(string planted, string marker)
    {
        var scrubbed = ErrorScrubbingRules.Scrub("failed at " + planted + " while saving");
        Assert.Contains(marker, scrubbed);
        foreach (var f in Forbidden) Assert.DoesNotContain(f, scrubbed);
    }

    public static TheoryData<string, string> EachCanary()
    {
        var data = new TheoryData<string, string>();
        foreach (var (planted, marker) in Canaries) data.Add(planted, marker);
        return data;
    }

    [Fact]
    public void Ordinary_diagnostics_survive_scrubbing()
    {
        const string text = "System.InvalidOperationException: Order 42 is invalid (state Pending) in ShopApp.Orders.Repository.Validate, request 0193a4b2-7c1d-7e5f-9a0b-123456789abc";
        Assert.Equal(text, ErrorScrubbingRules.Scrub(text));
        Assert.Equal("   at ShopApp.Program.Main() in /src/shop/Program.cs:line 12", ErrorScrubbingRules.Scrub("   at ShopApp.Program.Main() in /src/shop/Program.cs:line 12"));
        const string longPath = "   at QuoteFeed.Reconnect(String symbol) in /work/build-2024/agent07/samples/ChartApp/Program.cs:line 279";
        Assert.Equal(longPath, ErrorScrubbingRules.Scrub(longPath));
    }

    [Fact]
    public void Random_user_names_in_home_paths_are_always_replaced()
    {
        var random = new Random(20);
        var redacted = 0;
        for (var i = 0; i < 500; i++)
        {
            var name = RandomName(random);
            foreach (var path in new[] { $"/home/{name}/app/x.cs", $@"C:\Users\{name}\source\x.cs", $"/Users/{name}/x.cs" })
            {
                var scrubbed = ErrorScrubbingRules.Scrub("   at App.Run() in " + path + ":line 3");
                Assert.DoesNotContain(name, scrubbed);

                // A scan that times out (a thread descheduled past the regex timeout on a starved machine) fails closed: the
                // whole text is redacted. That keeps the promise; anything else must carry the marker where the name was.
                if (scrubbed == PersonalData.RedactedMarker) redacted++;
                else Assert.Contains(ErrorScrubbingRules.UserMarker, scrubbed);
            }
        }

        Assert.True(redacted <= 15, $"{redacted} of 1,500 paths were redacted whole (scan timeouts), not scrubbed");
    }

    [Fact]
    public async Task Canaries_in_message_inner_exceptions_tags_and_breadcrumbs_reach_neither_the_sink_nor_the_disk()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink().Then(new SinkResult(SinkOutcome.RetryLater));
        var all = string.Join(" | ", Canaries.Select(c => c.Planted));
        await using (var t = TestPipeline.Create(sink, o => o.UseDurableQueue = true, directory: directory.Path))
        {
            using var provider = new TelemetryBreadcrumbLoggerProvider(t.Pipeline.Errors);
            provider.CreateLogger("Shop").LogWarning("Retrying with {Connection}", all);
            var inner = new IOException("inner: " + all);
            var outer = new InvalidOperationException("outer: " + all, new AggregateException("agg: " + all, inner));
            t.Pipeline.CaptureException(ErrorCaptureTests.Thrown(() => throw outer), tags: new Dictionary<string, string> { ["connection"] = all, ["path"] = Canaries[0].Planted });
            t.Ingest();

            // Held on disk while the sink asks to retry: the queue file must be clean too.
            await t.Pipeline.DeliverAsync(CancellationToken.None);
            var onDisk = ReadQueueFiles(directory.Path);
            Assert.Contains("error.captured", onDisk);
            foreach (var f in Forbidden) Assert.DoesNotContain(f, onDisk);

            await t.DeliverAllAsync();
        }

        var sent = Encoding.UTF8.GetString(Assert.Single(sink.Accepted).Json.Span);
        foreach (var f in Forbidden) Assert.DoesNotContain(f, sent);
        foreach (var marker in Canaries.Select(c => c.Marker).Distinct()) Assert.Contains(marker, sent);
    }

    private static string ReadQueueFiles(string directory) => QueueFiles.Read(directory);

    private static string RandomName(Random random)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        var length = random.Next(3, 20);
        var sb = new StringBuilder("u");
        for (var i = 0; i < length; i++) sb.Append(chars[random.Next(chars.Length)]);
        return sb.ToString();
    }
}
