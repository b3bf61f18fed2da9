using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog;

/// <summary>
/// All catalog files of a project together: cross-file checks (TEL0004 for an event defined in two
/// files) on top of each file's own diagnostics, and who owns a name across files. Both ask the one rule of
/// <see cref="CrossFileNames"/>: files are taken in ordinal path order and the first one that defines an event (or would
/// generate its C# type) owns it; a later one is reported (<see cref="CrossFileChecks"/>) and not generated
/// (<see cref="DecideOwnership"/>).
/// </summary>
public sealed class CatalogSet
{
    private CatalogSet(IReadOnlyList<CatalogFile> files, IReadOnlyList<CatalogDiagnostic> crossFile)
    {
        Files = files;
        CrossFileDiagnostics = crossFile;
    }

    /// <summary>The files, ordered by path (ordinal) so results are deterministic.</summary>
    public IReadOnlyList<CatalogFile> Files { get; }

    /// <summary>Diagnostics that involve more than one file.</summary>
    public IReadOnlyList<CatalogDiagnostic> CrossFileDiagnostics { get; }

    /// <summary>Every diagnostic: each file's, then cross-file ones.</summary>
    public IEnumerable<CatalogDiagnostic> AllDiagnostics
    {
        get
        {
            foreach (var f in Files)
            {
                foreach (var d in f.Diagnostics) yield return d;
            }

            foreach (var d in CrossFileDiagnostics) yield return d;
        }
    }

    /// <summary>Every event of every file, in file order.</summary>
    public IEnumerable<EventSpec> Events
    {
        get
        {
            foreach (var f in Files)
            {
                foreach (var e in f.Events) yield return e;
            }
        }
    }

    /// <summary>
    /// Parses each (path, text) pair and runs the cross-file checks. Two passes: the shared definitions of every
    /// file first, so that a <c>ref:</c> in any file resolves to a definition in any other.
    /// </summary>
    public static CatalogSet Parse(IEnumerable<KeyValuePair<string, string>> files)
    {
        var list = new List<KeyValuePair<string, string>>(files);
        var definitions = Definitions(list);
        var parsed = new List<CatalogFile>();
        foreach (var pair in list) parsed.Add(CatalogParser.Parse(pair.Key, pair.Value, definitions));
        return From(parsed);
    }

    /// <summary>The shared definitions of all (path, text) pairs (first pass of <see cref="Parse"/>).</summary>
    public static DefinitionTable Definitions(IEnumerable<KeyValuePair<string, string>> files)
    {
        var perFile = new List<KeyValuePair<string, EquatableArray<PropertySpec>>>();
        foreach (var pair in files)
        {
            var defs = CatalogParser.ReadDefinitions(pair.Key, pair.Value);
            if (!defs.IsEmpty) perFile.Add(new KeyValuePair<string, EquatableArray<PropertySpec>>(pair.Key, defs));
        }

        return DefinitionTable.From(perFile);
    }

    /// <summary>Every shared definition of every file, in file order.</summary>
    public IEnumerable<PropertySpec> Definitions()
    {
        foreach (var f in Files)
        {
            foreach (var d in f.Definitions) yield return d;
        }
    }

    /// <summary>The events (by name) with a property that uses definition <paramref name="name"/> (directly or for its items).</summary>
    public IReadOnlyList<string> UsersOf(string name)
    {
        var result = new List<string>();
        foreach (var e in Events)
        {
            foreach (var p in e.Properties)
            {
                if (p.Ref == name && !e.IsAggregate)
                {
                    result.Add(e.Name);
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Runs the cross-file checks over already parsed files.</summary>
    public static CatalogSet From(IEnumerable<CatalogFile> files)
    {
        var list = new List<CatalogFile>(files);
        list.Sort((a, b) => string.CompareOrdinal(a.FilePath, b.FilePath));
        return new CatalogSet(list, CrossFileChecks(list));
    }

    /// <summary>
    /// TEL0004 for events or metrics defined in more than one file, and for C# type names two files would both generate.
    /// Each duplicate is reported at its later definition (by file path order).
    /// </summary>
    public static IReadOnlyList<CatalogDiagnostic> CrossFileChecks(IReadOnlyList<CatalogFile> files)
    {
        var result = new List<CatalogDiagnostic>();
        var names = new CrossFileNames();
        foreach (var file in files)
        {
            foreach (var d in file.Definitions)
            {
                var verdict = names.Definition(file.FilePath, d.Name, d.Type == PropertyType.Enum || d.ItemType == PropertyType.Enum, d.Location);
                if (verdict.Outcome == CrossFileNames.Outcome.Duplicate)
                {
                    result.Add(new CatalogDiagnostic(DiagnosticIds.DuplicateEvent,
                        $"Definition '{d.Name}' is defined twice (first at {verdict.First.Location}); definition names are unique across all catalog files", d.Location));
                }
            }
        }

        foreach (var file in files)
        {
            foreach (var e in file.Events)
            {
                var verdict = names.Event(file.FilePath, e.Name, e.Location);
                if (verdict.Outcome == CrossFileNames.Outcome.Duplicate)
                {
                    result.Add(new CatalogDiagnostic(DiagnosticIds.DuplicateEvent,
                        $"Event '{e.Name}' is defined twice (first at {verdict.First.Location}); event names are unique across all catalog files", e.Location));
                }
                else if (verdict.Outcome == CrossFileNames.Outcome.SameCSharpName)
                {
                    result.Add(new CatalogDiagnostic(DiagnosticIds.InvalidName,
                        $"Event '{e.Name}' gives the same C# name '{verdict.TypeName}' as '{verdict.First.What}'; rename one of them", e.Location));
                }
            }

            foreach (var m in file.Metrics)
            {
                var verdict = names.Metric(file.FilePath, m.Name, m.Location);
                if (verdict.Outcome == CrossFileNames.Outcome.Duplicate)
                {
                    result.Add(new CatalogDiagnostic(DiagnosticIds.DuplicateEvent,
                        $"Metric '{m.Name}' is defined twice (first at {verdict.First.Location})", m.Location));
                }
            }
        }

        return result;
    }

    /// <summary>A file's names, as the generator's index sees them.</summary>
    /// <param name="Path">The file's path.</param>
    /// <param name="Feature">Its feature, if valid.</param>
    /// <param name="HasErrors">True when the file is not generated (it then owns nothing).</param>
    /// <param name="Events">Its event names, in catalog order.</param>
    /// <param name="HasMetrics">True when it declares metrics.</param>
    public sealed record NamedFile(string Path, string? Feature, bool HasErrors, IReadOnlyList<string> Events, bool HasMetrics);

    /// <summary>
    /// Event <paramref name="Index"/> of the <see cref="NamedFile"/> at <paramref name="File"/> in the sequence given to
    /// <see cref="DecideOwnership"/> (path <paramref name="Path"/>), and its C# type.
    /// </summary>
    public sealed record OwnedEvent(int File, string Path, int Index, string Event, string TypeName);

    /// <summary>Who owns what across the files that are generated.</summary>
    /// <param name="Owned">Events whose C# type this file generates, in path then catalog order.</param>
    /// <param name="Skipped">Events not generated because an earlier file owns their C# type (reported as TEL0004 or TEL0003).</param>
    /// <param name="ClassOwners">
    /// For each shared per-feature class (<c>&lt;Feature&gt;Telemetry</c>, <c>&lt;Feature&gt;Metrics</c>), the one file that
    /// declares its class-level members: the kind (<c>Telemetry</c> or <c>Metrics</c>) and the file's path.
    /// </param>
    public sealed record Ownership(IReadOnlyList<OwnedEvent> Owned, IReadOnlyList<OwnedEvent> Skipped, IReadOnlyList<KeyValuePair<string, string>> ClassOwners);

    /// <summary>
    /// Decides, over the files without errors in ordinal path order, which file generates each event's C# type (the first
    /// to define it) and which file declares the class-level members of each feature's shared Track and Metrics classes
    /// (the first that generates one).
    /// </summary>
    public static Ownership DecideOwnership(IEnumerable<NamedFile> files)
    {
        var ordered = files.Select((f, i) => (File: f, Position: i)).OrderBy(x => x.File.Path, StringComparer.Ordinal).ToList();
        var names = new CrossFileNames();
        var owned = new List<OwnedEvent>();
        var skipped = new List<OwnedEvent>();
        var owners = new List<KeyValuePair<string, string>>();
        var ownedClasses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (f, position) in ordered.Where(x => !x.File.HasErrors))
        {
            // Files of one feature share its partial Track and Metrics classes: the first file that generates one owns
            // its class-level members (attributes, meter), so they are declared once.
            var prefix = GeneratedNames.FeaturePrefix(f.Feature, f.Path);
            if (f.HasMetrics && ownedClasses.Add(GeneratedNames.MetricsClass(prefix))) owners.Add(new KeyValuePair<string, string>("Metrics", f.Path));
            var keptEvent = false;
            for (var i = 0; i < f.Events.Count; i++)
            {
                // The same decision as the cross-file diagnostics: an event they report is the one not generated.
                var name = f.Events[i];
                var verdict = names.Event(f.Path, name, null);
                if (verdict.Outcome != CrossFileNames.Outcome.Owner)
                {
                    skipped.Add(new OwnedEvent(position, f.Path, i, name, verdict.TypeName));
                    continue;
                }

                owned.Add(new OwnedEvent(position, f.Path, i, name, verdict.TypeName));
                keptEvent = true;
            }

            if (keptEvent && ownedClasses.Add(GeneratedNames.TelemetryClass(prefix))) owners.Add(new KeyValuePair<string, string>("Telemetry", f.Path));
        }

        return new Ownership(owned, skipped, owners);
    }
}
