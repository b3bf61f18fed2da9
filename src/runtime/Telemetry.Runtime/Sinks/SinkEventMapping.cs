using System;
using System.Collections.Frozen;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>An immutable snapshot of <see cref="TelemetrySinkOptions"/>' mapping, taken when a sink is built.</summary>
internal sealed class SinkEventMapping
{
    private readonly Func<string, string?>? _eventName;
    private readonly FrozenDictionary<string, string?> _properties;

    public SinkEventMapping(TelemetrySinkOptions options)
    {
        _eventName = options.EventName;
        _properties = options.PropertyNames.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>True when names pass through unchanged (the wire object can be sent verbatim).</summary>
    public bool IsIdentity => _eventName is null && _properties.Count == 0;

    /// <summary>The name this sink sends, or null to drop the event for this sink.</summary>
    public string? EventName(string catalogName) => _eventName is null ? catalogName : _eventName(catalogName);

    /// <summary>True when some property is renamed or dropped (otherwise every name passes through unchanged).</summary>
    public bool RenamesProperties => _properties.Count > 0;

    /// <summary>The name a property is sent under, or null when it is dropped.</summary>
    public string? PropertyName(string name) => _properties.TryGetValue(name, out var mapped) ? mapped : name;
}
