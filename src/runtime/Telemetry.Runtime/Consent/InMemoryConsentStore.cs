using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>Consent kept for the life of the process only: for tests and for apps that persist the choice themselves.</summary>
public sealed class InMemoryConsentStore : IConsentStore
{
    private readonly Dictionary<string, ConsentState> _states = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ConsentState Get(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        lock (_states) return _states.TryGetValue(subject, out var state) ? state : ConsentState.Unknown;
    }

    /// <inheritdoc/>
    public void Set(string subject, ConsentState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        lock (_states) _states[subject] = state;
    }
}
