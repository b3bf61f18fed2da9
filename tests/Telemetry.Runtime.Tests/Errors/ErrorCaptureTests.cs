using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Errors;

public class ErrorCaptureTests
{
    [Fact]
    public async Task A_captured_exception_reaches_the_sink_as_error_captured_with_its_chain_breadcrumbs_and_tags()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        t.Pipeline.TrackProbeStep(1);
        t.Pipeline.TrackProbeStep(2);
        var result = t.Pipeline.CaptureException(Thrown(() => Outer()), ErrorLevel.Warning, new Dictionary<string, string> { ["Screen Name"] = "watchlist", ["route"] = "/orders" });
        await t.DeliverAllAsync();

        var error = Assert.Single(sink.Accepted, e => e.Name == ErrorCaptured.EventName);
        using var doc = JsonDocument.Parse(error.Json);
        var root = doc.RootElement;
        Assert.Equal("warning", root.GetProperty("level").GetString());
        Assert.Equal("manual", root.GetProperty("mechanism").GetString());
        Assert.True(root.GetProperty("handled").GetBoolean());
        Assert.Equal("System.InvalidOperationException", root.GetProperty("error_type").GetString());
        Assert.Equal("outer failed", root.GetProperty("error_message").GetString());
        Assert.Equal(result.Fingerprint, root.GetProperty("fingerprint").GetString());
        Assert.Equal(new[] { "System.InvalidOperationException", "System.IO.IOException" }, root.GetProperty("exception_types").EnumerateArray().Select(e => e.GetString()));
        var stack = root.GetProperty("stack_trace").GetString()!;
        Assert.Contains(" ---> System.IO.IOException: inner failed", stack);
        Assert.Contains(nameof(Outer), stack);
        var crumbs = root.GetProperty("breadcrumbs").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, crumbs.Count);
        Assert.All(crumbs, c => Assert.Contains(" track probe.step seq=", c));
        Assert.Equal(new[] { "route=/orders", "screen_name=watchlist" }, root.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, root.GetProperty("suppressed").GetInt32());
        Assert.Equal(1, t.Pipeline.Errors.Captured);
    }

    [Fact]
    public async Task Aggregate_and_deep_chains_are_kept_depth_first_within_their_bounds()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => { o.Errors.MaxExceptions = 6; o.Errors.MaxDepth = 3; });
        Exception deep = new FormatException("level 0");
        for (var i = 1; i < 40; i++) deep = new InvalidOperationException("level " + i, deep);
        var aggregate = new AggregateException("several", new ArgumentException("first"), deep, new TimeoutException("third"));
        t.Pipeline.CaptureException(Thrown(() => throw aggregate));
        await t.DeliverAllAsync();

        using var doc = JsonDocument.Parse(Assert.Single(sink.Accepted).Json);
        var types = doc.RootElement.GetProperty("exception_types").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(new[] { "System.AggregateException", "System.ArgumentException", "System.InvalidOperationException", "System.InvalidOperationException", "System.TimeoutException" }, types);
        var stack = doc.RootElement.GetProperty("stack_trace").GetString()!;
        Assert.Contains("more inner exception(s) not shown", stack);
        Assert.Contains("third", stack);
    }

    [Fact]
    public async Task A_huge_exception_stays_within_the_wire_bounds()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        var message = new string('x', 100_000);
        Exception chain = new InvalidOperationException(message);
        for (var i = 0; i < 100; i++) chain = new AggregateException(message, chain, new InvalidOperationException(message));
        t.Pipeline.CaptureException(chain, tags: Enumerable.Range(0, 100).ToDictionary(i => "k" + i, i => new string('v', 1000)));
        await t.DeliverAllAsync();

        var evt = Assert.Single(sink.Accepted);
        using var doc = JsonDocument.Parse(evt.Json);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("error_message").GetString()!.Length <= ExceptionReport.MaxMessageChars);
        Assert.True(root.GetProperty("stack_trace").GetString()!.Length <= ExceptionReport.MaxStackTraceChars);
        Assert.True(root.GetProperty("exception_types").GetArrayLength() <= 16);
        Assert.Equal(32, root.GetProperty("tags").GetArrayLength());
        Assert.All(root.GetProperty("tags").EnumerateArray(), tag => Assert.True(tag.GetString()!.Length <= 64 + 1 + 200));
        Assert.True(evt.Json.Length < new TelemetryOptions().MaxEventBytes, "the error event must fit one event's byte bound");
    }

    [Fact]
    public async Task Errors_over_the_rate_limit_are_counted_and_reported_with_the_next_one_sent()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => { o.Errors.RateLimitPerWindow = 3; o.Errors.RateLimitWindow = TimeSpan.FromMinutes(1); });
        var results = new List<ErrorCaptureResult>();
        for (var i = 0; i < 10; i++) results.Add(t.Pipeline.CaptureException(Thrown(() => Outer())));
        var different = t.Pipeline.CaptureException(Thrown(() => throw new TimeoutException("other")));

        Assert.Equal(3, results.Count(r => !r.RateLimited));
        Assert.Equal(7, t.Pipeline.Errors.RateLimited);
        Assert.False(different.RateLimited);
        Assert.NotEqual(results[0].Fingerprint, different.Fingerprint);

        t.Time.Advance(TimeSpan.FromMinutes(1));
        t.Pipeline.CaptureException(Thrown(() => Outer()));
        await t.DeliverAllAsync();
        var sent = sink.Accepted.Where(e => e.Name == ErrorCaptured.EventName).Select(e => JsonDocument.Parse(e.Json).RootElement).ToList();
        Assert.Equal(5, sent.Count);
        Assert.Equal(new[] { 0, 0, 0, 0, 7 }, sent.Select(e => e.GetProperty("suppressed").GetInt32()).OrderBy(x => x));
    }

    [Fact]
    public async Task A_custom_fingerprint_overrides_the_computed_one()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.Errors.Fingerprint = ex => ex is TimeoutException ? "timeouts" : null);
        Assert.Equal("timeouts", t.Pipeline.CaptureException(Thrown(() => throw new TimeoutException("a"))).Fingerprint);
        Assert.Equal("payments", t.Pipeline.CaptureException(Thrown(() => Outer()), fingerprint: "payments").Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", t.Pipeline.CaptureException(Thrown(() => Outer())).Fingerprint);
    }

    [Fact]
    public void Breadcrumbs_keep_exactly_the_last_N_in_order_and_the_bound_is_validated()
    {
        var tracker = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 7 });
        var descriptors = Enumerable.Range(0, 30).Select(i => new EventDescriptor("probe.e" + i, 1, EventTier.B, EventStatus.Active, 1, false, Sensitivity.None, EventFrequency.Normal, false, 0, null, 0, Array.Empty<PropertyDescriptor>(), "{}")).ToArray();
        for (var i = 0; i < 30; i++) tracker.RecordTrack(descriptors[i], TestPipeline.Start.UtcTicks + i);
        var crumbs = tracker.BreadcrumbSnapshot();
        Assert.Equal(Enumerable.Range(23, 7).Select(i => "track probe.e" + i), crumbs.Select(c => c[(c.IndexOf(' ') + 1)..]));

        Assert.Throws<ArgumentException>(() => new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 101 }));
        var failures = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { Errors = new ErrorTrackingOptions { MaxBreadcrumbs = -1 } });
        Assert.Contains(failures.Failures!, f => f.Contains("MaxBreadcrumbs", StringComparison.Ordinal));
        Assert.Empty(new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 0 }).BreadcrumbSnapshot());
    }

    [Fact]
    public async Task Breadcrumbs_stay_bounded_and_consistent_under_concurrent_writers()
    {
        var tracker = new ErrorTracker(new ErrorTrackingOptions { MaxBreadcrumbs = 50 });
        var descriptor = ProbeStep.Descriptor;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            do
            {
                for (var i = 0; i < 1000; i++) tracker.RecordTrack(descriptor, DateTime.UtcNow.Ticks);
            }
            while (!stop.IsCancellationRequested);
        })).ToArray();
        while (tracker.Breadcrumbs!.Written < 1000) await Task.Yield();
        for (var i = 0; i < 200; i++)
        {
            var snapshot = tracker.BreadcrumbSnapshot();
            Assert.InRange(snapshot.Count, 1, 50);
            Assert.All(snapshot, c => Assert.EndsWith(" track probe.step", c));
        }

        stop.Cancel();
        await Task.WhenAll(writers);
        Assert.Equal(50, tracker.BreadcrumbSnapshot().Count);
    }

    [Fact]
    public async Task Logged_warnings_and_errors_become_breadcrumbs_and_lower_levels_do_not()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        using var provider = new TelemetryBreadcrumbLoggerProvider(t.Pipeline.Errors);
        var logger = provider.CreateLogger("Shop.Checkout");
        logger.LogInformation("info is not kept");
        logger.LogWarning("Payment provider slow: {Ms} ms", 950);
        logger.LogError(new TimeoutException("t"), "Payment failed for order {Order}", 42);
        t.Pipeline.TrackProbeStep(3);
        t.Pipeline.CaptureException(Thrown(() => Outer()));
        await t.DeliverAllAsync();

        using var doc = JsonDocument.Parse(sink.Accepted.Single(e => e.Name == ErrorCaptured.EventName).Json);
        var crumbs = doc.RootElement.GetProperty("breadcrumbs").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(3, crumbs.Count);
        Assert.EndsWith("log warning Shop.Checkout: Payment provider slow: 950 ms", crumbs[0]);
        Assert.EndsWith("log error Shop.Checkout: Payment failed for order 42 [System.TimeoutException]", crumbs[1]);
        Assert.Contains(" track probe.step seq=3", crumbs[2]);
    }

    [Fact]
    public async Task An_unobserved_task_exception_is_captured_by_the_installed_hook()
    {
        var client = new InMemoryTelemetryClient();
        using (UnhandledExceptionCapture.Install(client))
        {
            Marker = "unobserved" + new string(Guid.NewGuid().ToString("N").Select(c => (char)('a' + (c % 26))).ToArray());
            FaultAndForget(Marker);
            for (var i = 0; i < 50 && !Captured(client, Marker); i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(20);
            }
        }

        Assert.True(Captured(client, Marker), "the unobserved task exception was not captured");
        var json = client.Events.First(j => j.Contains(Marker, StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("unobserved_task", doc.RootElement.GetProperty("mechanism").GetString());
        Assert.False(doc.RootElement.GetProperty("handled").GetBoolean());
    }

    [Fact]
    public async Task The_unhandled_exception_hook_captures_a_fatal_error_and_persists_it_to_the_queue()
    {
        var sink = new ScriptedSink().Then(new SinkResult(SinkOutcome.RetryLater));
        await using var t = TestPipeline.Create(sink, o => o.UseDurableQueue = true);
        using var capture = UnhandledExceptionCapture.Install(t.Pipeline);
        capture.OnUnhandledException(this, new UnhandledExceptionEventArgs(Thrown(() => Outer()), isTerminating: true));

        Assert.Equal(1, t.Pipeline.Statistics.QueueDepth);
        Assert.Equal(1, t.Pipeline.Errors.Captured);
    }

    private static string Marker = string.Empty;

    private static bool Captured(InMemoryTelemetryClient client, string marker) => client.Events.Any(e => e.Contains(marker, StringComparison.Ordinal));

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FaultAndForget(string marker) => _ = Task.Run(() => throw new InvalidOperationException("unobserved " + marker));

    internal static Exception Thrown(Action action)
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

    private static void Outer()
    {
        try
        {
            Inner();
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException("outer failed", ex);
        }
    }

    private static void Inner() => throw new IOException("inner failed");
}
