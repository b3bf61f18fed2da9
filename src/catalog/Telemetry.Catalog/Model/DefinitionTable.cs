using System;
using System.Collections.Generic;

namespace Telemetry.Catalog.Model;

/// <summary>
/// The shared property definitions of all catalog files of a project (top-level <c>definitions:</c>), by name.
/// Value-equatable, so an incremental generator re-parses the files only when a definition changes.
/// A name defined in two files resolves to the first by file path (the second is reported, TEL0004).
/// </summary>
public sealed class DefinitionTable : IEquatable<DefinitionTable>
{
    private readonly Dictionary<string, PropertySpec> _byName;

    private DefinitionTable(EquatableArray<PropertySpec> definitions)
    {
        Definitions = definitions;
        _byName = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        foreach (var d in definitions) _byName[d.Name] = d;
    }

    /// <summary>No definitions.</summary>
    public static DefinitionTable Empty { get; } = new(EquatableArray<PropertySpec>.Empty);

    /// <summary>The definitions, ordered by name.</summary>
    public EquatableArray<PropertySpec> Definitions { get; }

    /// <summary>Names of all definitions, ordered.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>The definition called <paramref name="name"/>.</summary>
    public bool TryGet(string name, out PropertySpec definition) => _byName.TryGetValue(name, out definition!);

    /// <summary>Merges the definitions of each file (given as (path, definitions) pairs); the first path (ordinal) wins a name.</summary>
    public static DefinitionTable From(IEnumerable<KeyValuePair<string, EquatableArray<PropertySpec>>> files)
    {
        var list = new List<KeyValuePair<string, EquatableArray<PropertySpec>>>(files);
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var byName = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        foreach (var file in list)
        {
            foreach (var d in file.Value)
            {
                if (!byName.ContainsKey(d.Name)) byName[d.Name] = d;
            }
        }

        if (byName.Count == 0) return Empty;
        var names = new List<string>(byName.Keys);
        names.Sort(StringComparer.Ordinal);
        var ordered = new PropertySpec[names.Count];
        for (var i = 0; i < names.Count; i++) ordered[i] = byName[names[i]];
        return new DefinitionTable(EquatableArray<PropertySpec>.FromOwned(ordered));
    }

    /// <inheritdoc/>
    public bool Equals(DefinitionTable? other) => other is not null && Definitions.Equals(other.Definitions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DefinitionTable);

    /// <inheritdoc/>
    public override int GetHashCode() => Definitions.GetHashCode();
}
