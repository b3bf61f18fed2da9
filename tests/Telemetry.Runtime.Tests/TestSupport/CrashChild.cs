using System.Globalization;
using Telemetry.Runtime.Tests.Events;

namespace Telemetry.Runtime.Tests;

/// <summary>
/// The child process of the crash test: a real pipeline on the real clock with the SQLite queue,
/// sending to a loopback receiver. <c>produce</c> tracks N numbered events, prints <c>queued</c>
/// once all are on disk and keeps delivering until it is killed; <c>resume</c> tracks nothing,
/// delivers what the queue holds, prints its resend counts and <c>drained</c>, and exits.
/// </summary>
internal static class CrashChild
{
    public const string Verb = "crash-child";

    public static async Task<int> Run(string[] args)
    {
        var mode = args[0];
        var directory = args[1];
        var endpoint = new Uri(args[2]);
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        var pipeline = TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "crash-child";
                o.ClientVersion = "1.0.0";
                o.UserId = "crash-user";
                o.StorageDirectory = directory;
                o.MaxBatchSize = 50;
                o.DrainInterval = TimeSpan.FromMilliseconds(20);
                o.FlushInterval = TimeSpan.FromMilliseconds(50);
                o.InitialRetryDelay = TimeSpan.FromMilliseconds(50);
                o.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
                o.SendTimeout = TimeSpan.FromSeconds(5);
            })
            .WithSink(new TestSupport.LoopbackHttpSink(http, endpoint, maxBatchSize: 50))
            .Build();

        if (mode == "produce")
        {
            for (var i = 0; i < count; i++) pipeline.TrackProbeStep(i);
            while (pipeline.Statistics.Queued < count) await Task.Delay(10);
            Console.WriteLine("queued");
            await Task.Delay(Timeout.Infinite);
        }

        while (pipeline.Statistics.QueueDepth > 0) await Task.Delay(20);
        Console.WriteLine("resent " + pipeline.Statistics.Resent.ToString(CultureInfo.InvariantCulture) + " crash_replay " +
            pipeline.Statistics.ResentByReason.GetValueOrDefault(ResendReason.CrashReplay).ToString(CultureInfo.InvariantCulture));
        await pipeline.StopAsync();
        Console.WriteLine("drained");
        return 0;
    }
}
