using System;
using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>
/// A file's <c>defaults:</c> block: checked once (a wrong default is reported at the block, not for every event), then
/// its valid entries merged into each event that does not set them (<see cref="Vocabulary.DefaultableEventKeys"/>).
/// </summary>
internal static class Defaults
{
    /// <summary>The entries of <paramref name="mapping"/> that no diagnostic since index <paramref name="from"/> points into.</summary>
    public static YamlNode WithoutReported(YamlNode mapping, List<CatalogDiagnostic> diagnostics, int from)
    {
        var result = new YamlNode(YamlNodeKind.Mapping, mapping.Span);
        foreach (var entry in mapping.Entries)
        {
            var reported = false;
            for (var i = from; i < diagnostics.Count && !reported; i++)
            {
                var at = diagnostics[i].Location;
                reported = at.Equals(entry.Key.Span) || at.Equals(entry.Value.Span);
            }

            if (!reported) result.Entries.Add(entry);
        }

        return result;
    }

    /// <summary>The event mapping with the default entries it does not set.</summary>
    public static YamlNode Merge(YamlNode eventNode, YamlNode? defaultsNode)
    {
        if (defaultsNode is null) return eventNode;
        var merged = new YamlNode(YamlNodeKind.Mapping, eventNode.Span);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in eventNode.Entries)
        {
            merged.Entries.Add(entry);
            if (entry.Key.Value is not null) present.Add(entry.Key.Value);
        }

        foreach (var entry in defaultsNode.Entries)
        {
            var key = entry.Key.Value;
            if (key is null || present.Contains(key) || Array.IndexOf(Vocabulary.DefaultableEventKeys, key) < 0) continue;
            merged.Entries.Add(entry);
        }

        return merged;
    }
}
