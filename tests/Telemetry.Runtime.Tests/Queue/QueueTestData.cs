using System.Text;

namespace Telemetry.Runtime.Tests.Queue;

internal static class QueueTestData
{
    private static long s_counter;

    public static QueuedEvent Event(EventTier tier, int bytes = 100, string subject = "user-1", DateTimeOffset? at = null, int seq = 0)
    {
        var id = Guid.CreateVersion7();
        var prefix = $"{{\"event\":\"probe.x\",\"seq\":{seq},\"n\":{Interlocked.Increment(ref s_counter)},\"pad\":\"";
        var padding = Math.Max(0, bytes - prefix.Length - 2);
        var json = Encoding.UTF8.GetBytes(prefix + new string('x', padding) + "\"}");
        var outgoing = new OutgoingEvent(id, "probe.x", tier, at ?? DateTimeOffset.UtcNow, subject, "anon", json);
        return new QueuedEvent(outgoing, subject);
    }

    public static int Seq(QueuedEvent e) => System.Text.Json.JsonDocument.Parse(e.Event.Json).RootElement.GetProperty("seq").GetInt32();
}
