using System.Collections.Concurrent;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>A sink that records what it is sent and answers from a script (then Delivered).</summary>
internal sealed class RecordingSink : ITelemetrySink
{
    private readonly ConcurrentQueue<SinkResult> _script = new();

    public RecordingSink(params SinkResult[] script)
    {
        foreach (var r in script) _script.Enqueue(r);
    }

    public ConcurrentQueue<OutgoingEvent> Delivered { get; } = new();

    public int Calls;

    public string Name => "recording";

    public int MaxBatchSize => 100;

    public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        var result = _script.TryDequeue(out var next) ? next : SinkResult.Success;
        if (result.Outcome == SinkOutcome.Delivered)
        {
            foreach (var e in batch) Delivered.Enqueue(e);
        }

        return ValueTask.FromResult(result);
    }
}
