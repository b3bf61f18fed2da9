using System;
using System.Collections.Generic;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>Keeps every event's JSON in memory: for tests and for inspecting what a sink would receive.</summary>
public sealed class InMemoryTelemetryClient : JsonTelemetryClient
{
    private readonly List<string> _events = new();

    /// <summary>Creates the client.</summary>
    public InMemoryTelemetryClient(TelemetryClientOptions? options = null)
        : base(options)
    {
    }

    /// <summary>A snapshot of the JSON objects written so far.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events) return _events.ToArray();
        }
    }

    /// <inheritdoc/>
    protected override void Write(EventDescriptor descriptor, ReadOnlySpan<byte> json)
    {
        var text = Encoding.UTF8.GetString(json);
        lock (_events) _events.Add(text);
    }
}
