using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Lock;

/// <summary>A property as recorded in <c>catalog.lock.json</c>: the facts a consumer of the wire format relies on.</summary>
/// <param name="Name">Catalog name.</param>
/// <param name="Type">Catalog type word.</param>
/// <param name="ItemType">Item type word for arrays.</param>
/// <param name="Required">Whether producers must send it.</param>
/// <param name="Values">Enum members.</param>
/// <param name="Pii">PII class word, if any.</param>
/// <param name="Treatment">Treatment word (<c>none</c> for non-PII).</param>
/// <param name="Location">Where it stands in the lock file.</param>
public sealed record LockedProperty(string Name, string Type, string? ItemType, bool Required, EquatableArray<string> Values, string? Pii, string Treatment, SourceSpan Location);

/// <summary>An event as recorded in <c>catalog.lock.json</c>.</summary>
public sealed record LockedEvent(string Name, int Version, string Status, EquatableArray<LockedProperty> Properties, SourceSpan Location);

/// <summary>A parsed lock file, with TEL0001/TEL0002 diagnostics when it cannot be read.</summary>
public sealed record CatalogLockFile(string FilePath, EquatableArray<LockedEvent> Events, EquatableArray<CatalogDiagnostic> Diagnostics);
