using System.Globalization;
using Telemetry.Runtime.Tests.Events;

namespace Telemetry.Runtime.Tests;

/// <summary>
/// The child process of the durability kill test: a real pipeline on the real clock with the SQLite queue and the
/// default durability (tier A write-through, B deferred), whose sink never delivers, so whatever reached the queue
/// stays there. It tracks a tier-A milestone and a tier-B step with the same sequence number, about 350 pairs a
/// second, and after each Track returns prints <c>a|b seq utc-ticks</c> (stdout is flushed per line), until it is killed.
/// </summary>
internal static class DurabilityChild
{
    public const string Verb = "durability-child";

    /// <summary>The drain interval the child runs with (the default).</summary>
    public static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(200);

    public static int Run(string[] args)
    {
        var directory = args[0];
        var pipeline = TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "durability-child";
                o.ClientVersion = "1.0.0";
                o.UserId = "kill-user";
                o.StorageDirectory = directory;
                o.DrainInterval = DrainInterval;
                o.FlushInterval = TimeSpan.FromHours(1);
            })
            .WithSink(new NeverDelivers())
            .Build();

        var output = Console.Out;
        output.WriteLine("ready");
        for (var seq = 0; ; seq++)
        {
            pipeline.TrackProbeMilestone(seq);
            output.WriteLine("a " + seq.ToString(CultureInfo.InvariantCulture) + " " + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture));
            var before = DateTime.UtcNow.Ticks;
            pipeline.TrackProbeStep(seq);
            output.WriteLine("b " + seq.ToString(CultureInfo.InvariantCulture) + " " + before.ToString(CultureInfo.InvariantCulture));
            Thread.Sleep(2);
        }
    }

    private sealed class NeverDelivers : ITelemetrySink
    {
        public string Name => "never";

        public int MaxBatchSize => 100;

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new SinkResult(SinkOutcome.RetryLater, Detail: "never delivers"));
    }
}
