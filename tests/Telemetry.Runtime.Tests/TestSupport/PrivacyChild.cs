using Telemetry.Runtime.Tests.Events;

namespace Telemetry.Runtime.Tests;

/// <summary>
/// The child process of the privacy tests, on the real clock with the real per-user folder.
/// <c>hash DIR VALUE</c> prints the e-mail-class hash of VALUE under the folder's default key and exits;
/// <c>forget DIR USER CANARY</c> tracks events carrying CANARY with the SQLite queue and a sink that is
/// down, prints <c>queued</c>, waits for <c>forget</c> on stdin, runs ForgetMeAsync, prints <c>purged</c>,
/// waits for <c>exit</c> and exits after an orderly stop.
/// </summary>
internal static class PrivacyChild
{
    public const string Verb = "privacy-child";

    public static async Task<int> Run(string[] args)
    {
        var mode = args[0];
        var directory = args[1];
        var sink = new TestSupport.ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater, RetryAfter: TimeSpan.FromMinutes(5)) };
        var pipeline = TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "privacy-child";
                o.ClientVersion = "1.0.0";
                o.UserId = mode == "forget" ? args[2] : null;
                o.StorageDirectory = directory;
                o.DrainInterval = TimeSpan.FromMilliseconds(20);
                o.FlushInterval = TimeSpan.FromMilliseconds(50);
                o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            })
            .WithSink(sink)
            .Build();

        if (mode == "hash")
        {
            Console.WriteLine(PersonalData.Hash(pipeline.Privacy, args[2], PiiClass.Email));
            await pipeline.StopAsync();
            return 0;
        }

        var canary = args[3];
        for (var i = 0; i < 20; i++)
        {
            pipeline.TrackProbeNoteSaved(title: canary + "-" + i, query: "q", wordCount: i, summary: canary);
        }

        while (pipeline.Statistics.Queued < 20) await Task.Delay(10);
        Console.WriteLine("queued");
        await WaitFor("forget");
        await pipeline.ForgetMeAsync();
        Console.WriteLine("purged");
        await WaitFor("exit");
        await pipeline.StopAsync();
        return 0;
    }

    private static async Task WaitFor(string line)
    {
        while (await Console.In.ReadLineAsync() is { } read)
        {
            if (read.Trim() == line) return;
        }

        throw new InvalidOperationException("stdin closed before '" + line + "'");
    }
}
