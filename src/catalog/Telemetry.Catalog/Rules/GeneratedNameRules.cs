using System;
using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog.Rules;

/// <summary>
/// The C# name rules of one file (TEL0003 and TEL0004): a property that would clash with a member of the generated
/// event type, the Track method or the envelope; two events or metrics with the same name or C# type; and every C# type
/// the generator writes for the file (event structs, enums, aggregators, classes) unique. Kept as one block: these
/// rules follow the names the generator gives, so they move with the owner of those names.
/// </summary>
internal sealed class GeneratedNameRules
{
    private readonly FileDiagnostics _file;

    public GeneratedNameRules(FileDiagnostics file) => _file = file;

    public void CheckPropertyNames(string owner, List<PropertySpec> properties)
    {
        var wire = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        var members = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        for (var i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            if (Naming.IsReservedMember(p.WireName) || Naming.Pascal(p.WireName) == Naming.TypeName(owner))
            {
                Report(DiagnosticIds.InvalidName, p.Location,
                    $"Property '{p.Name}' of '{owner}' would generate the C# member '{Naming.Pascal(p.WireName)}', which the generated event type already uses; rename it");
                properties.RemoveAt(i--);
                continue;
            }

            if (p.Name is "telemetry" or "privacy")
            {
                Report(DiagnosticIds.InvalidName, p.Location,
                    $"Property '{p.Name}' of '{owner}' uses a name the generated Track method reserves for its own parameter; rename it");
                properties.RemoveAt(i--);
                continue;
            }

            if (Envelope.IsReserved(p.WireName))
            {
                Report(DiagnosticIds.InvalidName, p.Location,
                    $"Property '{p.Name}' of '{owner}' clashes with the envelope field '{p.WireName}'; rename it");
                properties.RemoveAt(i--);
                continue;
            }

            if ((p.IsSent && wire.ContainsKey(p.WireName)) || members.ContainsKey(Naming.Pascal(p.WireName)))
            {
                Report(DiagnosticIds.InvalidName, p.Location,
                    $"Property '{p.Name}' of '{owner}' clashes with another property (wire name '{p.WireName}')");
                properties.RemoveAt(i--);
                continue;
            }

            wire[p.WireName] = p;
            members[Naming.Pascal(p.WireName)] = p;
        }
    }

    public void CheckDuplicateNames(List<EventSpec> events, List<MetricSpec> metrics)
    {
        var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (seen.TryGetValue(e.Name, out var first))
            {
                Report(DiagnosticIds.DuplicateEvent, e.Location,
                    $"Event '{e.Name}' is defined twice (first at {first}); event names are unique across all catalog files");
                events.RemoveAt(i--);
                continue;
            }

            var type = Naming.TypeName(e.Name);
            if (members.TryGetValue(type, out var other))
            {
                Report(DiagnosticIds.InvalidName, e.Location,
                    $"Event '{e.Name}' gives the same C# name '{type}' as '{other}'; rename one of them");
                events.RemoveAt(i--);
                continue;
            }

            seen[e.Name] = e.Location;
            members[type] = e.Name;
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            if (seen.TryGetValue(m.Name, out var first))
            {
                Report(DiagnosticIds.DuplicateEvent, m.Location,
                    $"Metric '{m.Name}' is defined twice (first at {first})");
                metrics.RemoveAt(i--);
                continue;
            }

            seen[m.Name] = m.Location;
        }
    }

    /// <summary>Every C# type the generator writes for this file must be unique (event structs, enums, aggregators, classes).</summary>
    public void CheckGeneratedTypeNames(string? feature, List<EventSpec> events, List<MetricSpec> metrics, EquatableArray<PropertySpec> definitions)
    {
        // The names are the generator's own (GeneratedNames), so this rule and the generated code cannot disagree.
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var removed = new SortedSet<int>();
        foreach (var (name, what, ev, metric) in GeneratedNames.TypesOf(feature, events.ToArray(), metrics, definitions))
        {
            if (ev >= 0 && removed.Contains(ev)) continue;
            if (owners.TryGetValue(name, out var other) && (ev >= 0 ? other != what : metric >= 0))
            {
                if (ev >= 0)
                {
                    Report(DiagnosticIds.InvalidName, events[ev].Location,
                        $"Event '{events[ev].Name}' would generate the C# type '{name}' ({what}), which {other} already uses; rename one of them");
                    removed.Add(ev);
                    continue;
                }

                Report(DiagnosticIds.InvalidName, metrics[metric].Location,
                    $"Metric '{metrics[metric].Name}' would generate the C# type '{name}', which {other} already uses; rename one of them");
            }

            owners[name] = what;
        }

        foreach (var i in removed.Reverse()) events.RemoveAt(i);
    }

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);
}
