using System;
using System.Collections.Generic;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog;

/// <summary>
/// All catalog files of a project together: cross-file checks (TEL0004 for an event defined in two
/// files) on top of each file's own diagnostics.
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

    /// <summary>Parses each (path, text) pair and runs the cross-file checks.</summary>
    public static CatalogSet Parse(IEnumerable<KeyValuePair<string, string>> files)
    {
        var parsed = new List<CatalogFile>();
        foreach (var pair in files) parsed.Add(CatalogParser.Parse(pair.Key, pair.Value));
        return From(parsed);
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
        var names = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var local = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in file.Events)
            {
                if (names.TryGetValue(e.Name, out var first) && !local.Contains(e.Name))
                {
                    result.Add(new CatalogDiagnostic(DiagnosticIds.DuplicateEvent, CatalogSeverity.Error,
                        $"Event '{e.Name}' is defined twice (first at {first}); event names are unique across all catalog files", e.Location));
                    continue;
                }

                var type = Naming.TypeName(e.Name);
                if (types.TryGetValue(type, out var other) && other != e.Name)
                {
                    result.Add(new CatalogDiagnostic(DiagnosticIds.InvalidName, CatalogSeverity.Error,
                        $"Event '{e.Name}' gives the same C# name '{type}' as '{other}'; rename one of them", e.Location));
                    continue;
                }

                names[e.Name] = e.Location;
                types[type] = e.Name;
                local.Add(e.Name);
            }

            foreach (var m in file.Metrics)
            {
                if (names.TryGetValue(m.Name, out var first) && !local.Contains(m.Name))
                {
                    result.Add(new CatalogDiagnostic(DiagnosticIds.DuplicateEvent, CatalogSeverity.Error,
                        $"Metric '{m.Name}' is defined twice (first at {first})", m.Location));
                    continue;
                }

                names[m.Name] = m.Location;
                local.Add(m.Name);
            }
        }

        return result;
    }
}
