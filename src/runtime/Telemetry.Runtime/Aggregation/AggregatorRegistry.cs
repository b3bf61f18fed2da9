using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The aggregators of one pipeline and their windows. Lookup is an array index per aggregator type
/// (the generated Track methods ask for it on every interaction); flushing happens on the
/// background thread at window end, at shutdown, and when the server overrides the window.
/// </summary>
internal sealed class AggregatorRegistry
{
    /// <summary>Shortest window a server override may set (the generated aggregators' own bound).</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(1);

    /// <summary>Longest window a server override may set.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly List<Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly PipelineCounters _counters;
    private readonly ILogger _logger;
    private readonly Func<bool> _isRecording;
    private ITelemetryAggregator?[] _bySlot = Array.Empty<ITelemetryAggregator?>();
    private TimeSpan? _windowOverride;

    public AggregatorRegistry(TimeProvider time, PipelineCounters counters, ILogger logger, Func<bool> isRecording)
    {
        _isRecording = isRecording;
        _time = time;
        _counters = counters;
        _logger = logger;
    }

    /// <summary>The server's window, once one was received.</summary>
    public TimeSpan? WindowOverride
    {
        get
        {
            lock (_gate) return _windowOverride;
        }
    }

    public TAggregator GetOrAdd<TAggregator>()
        where TAggregator : class, ITelemetryAggregator, new()
    {
        var slot = AggregatorSlot.Of<TAggregator>();
        var current = Volatile.Read(ref _bySlot);
        if ((uint)slot < (uint)current.Length && current[slot] is TAggregator found) return found;
        lock (_gate)
        {
            if (slot >= _bySlot.Length)
            {
                var grown = new ITelemetryAggregator?[Math.Max(slot + 1, AggregatorSlot.Count)];
                Array.Copy(_bySlot, grown, _bySlot.Length);
                Volatile.Write(ref _bySlot, grown);
            }

            if (_bySlot[slot] is TAggregator existing) return existing;
            var created = new TAggregator();
            if (_windowOverride is { } window) created.Window = window;
            _entries.Add(new Entry(created, _time.GetUtcNow()));
            _bySlot[slot] = created;
            return created;
        }
    }

    /// <summary>Flushes the aggregators whose window has ended into <paramref name="client"/>.</summary>
    public int FlushDue(ITelemetryClient client) => Flush(client, all: false);

    /// <summary>Flushes every aggregator now (shutdown, consent change).</summary>
    public int FlushAll(ITelemetryClient client) => Flush(client, all: true);

    /// <summary>Applies a server-sent window (X-AGG-WINDOW-OVERRIDE) to every aggregator, now and later; clamped to 1..60 s.</summary>
    public void OverrideWindow(TimeSpan requested)
    {
        var window = requested < MinWindow ? MinWindow : requested > MaxWindow ? MaxWindow : requested;
        if (window != requested) Log.AggregationWindowClamped(_logger, requested, window);
        List<ITelemetryAggregator> all;
        lock (_gate)
        {
            if (_windowOverride == window) return;
            _windowOverride = window;
            all = new List<ITelemetryAggregator>(_entries.Count);
            foreach (var entry in _entries) all.Add(entry.Aggregator);
        }

        foreach (var aggregator in all) aggregator.Window = window;
        Log.AggregationWindowOverridden(_logger, window);
    }

    private int Flush(ITelemetryClient client, bool all)
    {
        var now = _time.GetUtcNow();
        List<ITelemetryAggregator>? due = null;
        lock (_gate)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                if (all || now - entry.WindowStart >= entry.Aggregator.Window)
                {
                    (due ??= new List<ITelemetryAggregator>()).Add(entry.Aggregator);
                    _entries[i] = entry with { WindowStart = now };
                }
            }
        }

        if (due is null) return 0;
        var emitted = 0;
        foreach (var aggregator in due)
        {
            try
            {
                emitted += aggregator.Flush(client, out var folded);
                if (folded > 0 && _isRecording()) _counters.AddAggregated(folded);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or ArithmeticException)
            {
                Log.AggregatorFailed(_logger, ex, aggregator.Descriptor.Name);
            }
        }

        return emitted;
    }

    private readonly record struct Entry(ITelemetryAggregator Aggregator, DateTimeOffset WindowStart);
}
