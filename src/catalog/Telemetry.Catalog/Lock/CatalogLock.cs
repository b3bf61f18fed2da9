using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Catalog.Schema;

namespace Telemetry.Catalog.Lock;

/// <summary>
/// The catalog lock: a snapshot of the wire contract (events, versions, properties, types, PII
/// treatments) checked on every build. A change that would break consumers of the data without a
/// version bump is TEL3001. Shared by the analyzer, the MSBuild lock target and the catalog tool.
/// </summary>
public static class CatalogLock
{
    /// <summary>Conventional file name, next to the catalog files.</summary>
    public const string FileName = "catalog.lock.json";

    /// <summary>Writes the lock of <paramref name="events"/> as deterministic, indented JSON (sorted by name).</summary>
    public static string Write(IEnumerable<EventSpec> events)
    {
        var j = new JsonText(indented: true);
        j.StartObject().Number("format", 1).StartObject("events");
        foreach (var e in events.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            j.StartObject(e.Name).Number("version", e.Version).String("status", Vocabulary.Name(Vocabulary.Statuses, e.Status));
            j.StartObject("properties");
            foreach (var p in e.Properties.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                j.StartObject(p.Name).String("type", Vocabulary.Name(p.Type));
                if (p.ItemType is { } item) j.String("items", Vocabulary.Name(item));
                j.Bool("required", p.Required);
                if (!p.EnumValues.IsEmpty)
                {
                    j.StartArray("values");
                    foreach (var v in p.EnumValues) j.String(null, v);
                    j.EndArray();
                }

                if (p.Pii is { } pii) j.String("pii", Vocabulary.Name(Vocabulary.PiiClasses, pii));
                j.String("treatment", Vocabulary.Name(Vocabulary.Treatments, p.Treatment));
                j.EndObject();
            }

            j.EndObject().EndObject();
        }

        j.EndObject().EndObject();
        return j + "\n";
    }

    /// <summary>Reads a lock file (JSON is read with the catalog's YAML reader: JSON is a subset of YAML 1.2).</summary>
    public static CatalogLockFile Read(string filePath, string text)
    {
        var diagnostics = new List<CatalogDiagnostic>();
        var events = new List<LockedEvent>();
        var root = YamlTreeReader.Read(filePath, text ?? string.Empty, diagnostics);
        if (root is null || root.Kind != YamlNodeKind.Mapping)
        {
            if (diagnostics.Count == 0)
            {
                diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidStructure,
                    "The catalog lock is not a JSON object; regenerate it with the TelemetryUpdateLock target or 'telemetry-catalog lock'",
                    root?.Span ?? SourceSpan.StartOf(filePath)));
            }

            return new CatalogLockFile(filePath, EquatableArray<LockedEvent>.Empty, diagnostics.ToEquatableArray());
        }

        var file = new MappingReader(root, "catalog lock", diagnostics);
        var format = file.Integer("format");
        if (format is not null && format != 1)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidStructure,
                $"catalog lock: format {format} is not supported by this version (expected 1)", file.Node("format")!.Span));
        }

        var eventsNode = file.Mapping("events", required: true);
        file.ReportUnknownKeys();
        if (eventsNode is not null)
        {
            foreach (var entry in new MappingReader(eventsNode, "catalog lock events", diagnostics).Entries)
            {
                if (entry.Value.Kind != YamlNodeKind.Mapping) continue;
                var name = entry.Key.Value!;
                var ev = new MappingReader(entry.Value, $"catalog lock event '{name}'", diagnostics);
                var version = ev.Integer("version") ?? 1;
                var status = ev.String("status") ?? "active";
                var props = new List<LockedProperty>();
                var propsNode = ev.Mapping("properties");
                if (propsNode is not null)
                {
                    foreach (var p in new MappingReader(propsNode, $"catalog lock event '{name}' properties", diagnostics).Entries)
                    {
                        if (p.Value.Kind != YamlNodeKind.Mapping) continue;
                        var pr = new MappingReader(p.Value, $"catalog lock property '{p.Key.Value}'", diagnostics);
                        var values = (pr.List("values") ?? new List<YamlNode>()).Where(v => v.Kind == YamlNodeKind.Scalar && v.Value is not null).Select(v => v.Value!).ToEquatableArray();
                        props.Add(new LockedProperty(p.Key.Value!, pr.String("type") ?? "string", pr.String("items"), pr.Bool("required") ?? true, values,
                            pr.String("pii"), pr.String("treatment") ?? "none", p.Key.Span));
                        pr.ReportUnknownKeys();
                    }
                }

                ev.ReportUnknownKeys();
                events.Add(new LockedEvent(name, version, status, props.ToEquatableArray(), entry.Key.Span));
            }
        }

        return new CatalogLockFile(filePath, events.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// TEL3001 for every breaking change of <paramref name="current"/> against <paramref name="locked"/> whose
    /// event version was not bumped: event or property removed, type changed, property made required (or a new
    /// required property), enum member removed, PII treatment weakened. A removed event is reported at the lock
    /// file; everything else at the event or property in the catalog.
    /// </summary>
    public static IReadOnlyList<CatalogDiagnostic> Compare(CatalogLockFile locked, IEnumerable<EventSpec> current)
    {
        var result = new List<CatalogDiagnostic>();
        var byName = new Dictionary<string, EventSpec>(StringComparer.Ordinal);
        foreach (var e in current) byName[e.Name] = e;
        foreach (var old in locked.Events)
        {
            if (!byName.TryGetValue(old.Name, out var now))
            {
                if (old.Status != "deprecated")
                {
                    result.Add(Breaking(old.Location, $"Event '{old.Name}' was removed from the catalog; deprecate it first (status: deprecated), then remove it and update the lock"));
                }

                continue;
            }

            if (now.Version > old.Version) continue;
            var reasons = new List<(SourceSpan At, string Why)>();
            var props = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
            foreach (var p in now.Properties) props[p.Name] = p;
            var oldNames = new HashSet<string>(old.Properties.Select(p => p.Name), StringComparer.Ordinal);
            foreach (var op in old.Properties)
            {
                if (!props.TryGetValue(op.Name, out var np))
                {
                    reasons.Add((now.Location, $"property '{op.Name}' was removed"));
                    continue;
                }

                // Type, enum members and PII treatment of a property that uses a shared definition come from the definition:
                // a change there is reported at the definition, once for every event that uses it.
                var defAt = np.RefLocation ?? np.Location;
                var through = np.Ref is null ? string.Empty : $" (through definition '{np.Ref}')";
                var newType = Vocabulary.Name(np.Type);
                var newItems = np.ItemType is { } it ? Vocabulary.Name(it) : null;
                if (newType != op.Type || !string.Equals(newItems, op.ItemType, StringComparison.Ordinal))
                {
                    reasons.Add((defAt, $"property '{op.Name}' changed type from {Describe(op.Type, op.ItemType)} to {Describe(newType, newItems)}{through}"));
                }

                if (np.Required && !op.Required)
                {
                    reasons.Add((np.Location, $"property '{op.Name}' was made required"));
                }

                var removed = op.Values.Where(v => !np.EnumValues.Contains(v)).ToList();
                if (removed.Count > 0 && !np.EnumValues.IsEmpty)
                {
                    reasons.Add((defAt, $"enum '{op.Name}' lost member(s) {string.Join(", ", removed)}{through}"));
                }

                var oldStrength = Strength(op.Pii is not null, op.Treatment);
                var newStrength = Strength(np.Pii is not null, Vocabulary.Name(Vocabulary.Treatments, np.Treatment));
                if (newStrength < oldStrength)
                {
                    reasons.Add((defAt, $"property '{op.Name}'{through} has a weaker PII treatment ({Treatment(op.Pii, op.Treatment)} -> {Treatment(np.Pii is null ? null : "pii", Vocabulary.Name(Vocabulary.Treatments, np.Treatment))})"));
                }
            }

            foreach (var np in now.Properties)
            {
                if (!oldNames.Contains(np.Name) && np.Required)
                {
                    reasons.Add((np.Location, $"new property '{np.Name}' is required"));
                }
            }

            foreach (var (at, why) in reasons)
            {
                result.Add(Breaking(at, $"Breaking change to '{now.Name}' v{old.Version} against {FileName}: {why}; bump 'version:' to {old.Version + 1} (or revert) and update the lock"));
            }
        }

        return result;
    }

    private static string Describe(string type, string? items) => items is null ? type : $"array of {items}";

    private static string Treatment(string? pii, string treatment) => pii is null ? "not personal data" : "treatment " + treatment;

    // Higher is more protective. Declassifying a property (pii removed) sends it raw: as weak as 'none'.
    private static int Strength(bool isPii, string treatment)
    {
        if (!isPii) return 0;
        return treatment switch
        {
            "drop" => 5,
            "redact" => 4,
            "length" => 3,
            "hash" => 2,
            _ => 0,
        };
    }

    private static CatalogDiagnostic Breaking(SourceSpan at, string message) =>
        new(DiagnosticIds.BreakingChange, message, at);

    internal static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
