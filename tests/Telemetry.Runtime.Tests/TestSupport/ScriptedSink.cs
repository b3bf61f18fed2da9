using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Telemetry.Runtime.Tests.TestSupport;

/// <summary>
/// A fake provider that answers from a script, then succeeds; records every request and every
/// event it accepted, so tests can prove "delivered exactly once" after failures.
/// </summary>
internal sealed class ScriptedSink : ITelemetrySink
{
    private readonly ConcurrentQueue<Func<IReadOnlyList<OutgoingEvent>, CancellationToken, Task<SinkResult>>> _script = new();
    private readonly object _gate = new();
    private readonly List<OutgoingEvent[]> _requests = new();
    private readonly Dictionary<Guid, int> _accepted = new();
    private readonly List<OutgoingEvent> _acceptedEvents = new();

    public ScriptedSink(string name = "scripted", int maxBatchSize = 100)
    {
        Name = name;
        MaxBatchSize = maxBatchSize;
    }

    public string Name { get; }

    public int MaxBatchSize { get; }

    /// <summary>Answers after the script is used up (default: delivered).</summary>
    public Func<IReadOnlyList<OutgoingEvent>, SinkResult> Fallback { get; set; } = _ => SinkResult.Success;

    public IReadOnlyList<OutgoingEvent[]> Requests
    {
        get
        {
            lock (_gate) return _requests.ToArray();
        }
    }

    /// <summary>Events accepted (Delivered and not listed as rejected), each once per acceptance.</summary>
    public IReadOnlyList<OutgoingEvent> Accepted
    {
        get
        {
            lock (_gate) return _acceptedEvents.ToArray();
        }
    }

    public IReadOnlyDictionary<Guid, int> AcceptCountById
    {
        get
        {
            lock (_gate) return new Dictionary<Guid, int>(_accepted);
        }
    }

    public ScriptedSink Then(SinkResult result) => Then((_, _) => Task.FromResult(result));

    public ScriptedSink Then(Func<IReadOnlyList<OutgoingEvent>, SinkResult> answer) => Then((batch, _) => Task.FromResult(answer(batch)));

    public ScriptedSink Then(Func<IReadOnlyList<OutgoingEvent>, CancellationToken, Task<SinkResult>> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    /// <summary>A request that never answers until cancelled (a stalled connection).</summary>
    public ScriptedSink ThenHang() => Then(async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        return SinkResult.Success;
    });

    public ScriptedSink ThenThrow(Exception exception) => Then((_, _) => Task.FromException<SinkResult>(exception));

    public async ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        var copy = batch.ToArray();
        lock (_gate) _requests.Add(copy);
        var result = _script.TryDequeue(out var answer) ? await answer(copy, cancellationToken) : Fallback(copy);
        if (result.Outcome == SinkOutcome.Delivered)
        {
            var rejected = result.Rejected?.Select(r => r.EventId).ToHashSet() ?? new HashSet<Guid>();
            lock (_gate)
            {
                foreach (var e in copy)
                {
                    if (rejected.Contains(e.EventId)) continue;
                    _accepted[e.EventId] = _accepted.TryGetValue(e.EventId, out var n) ? n + 1 : 1;
                    _acceptedEvents.Add(e);
                }
            }
        }

        return result;
    }

    /// <summary>The integer property <paramref name="name"/> of an accepted event.</summary>
    public static int IntProperty(OutgoingEvent e, string name)
    {
        using var document = JsonDocument.Parse(e.Json);
        return document.RootElement.GetProperty(name).GetInt32();
    }

    public static string Text(OutgoingEvent e) => Encoding.UTF8.GetString(e.Json.Span);
}
