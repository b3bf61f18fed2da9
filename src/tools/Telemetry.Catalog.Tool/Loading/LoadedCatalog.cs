using System;
using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tool.Loading;

/// <summary>The lock next to one catalog folder and the result of comparing the folder's events against it.</summary>
/// <param name="FullPath">Where the lock is (or would be written).</param>
/// <param name="DisplayPath">The same, relative to the working folder.</param>
/// <param name="Locked">The parsed lock; null when there is no lock file.</param>
/// <param name="Events">The events of the catalog files in the folder.</param>
/// <param name="CompareDiagnostics">TEL3001 findings.</param>
/// <param name="Compared">False when there is no lock, the lock cannot be read, or the catalog has errors (<see cref="CatalogLockCheck"/>).</param>
internal sealed record LockState(string FullPath, string DisplayPath, CatalogLockFile? Locked, IReadOnlyList<EventSpec> Events,
    IReadOnlyList<CatalogDiagnostic> CompareDiagnostics, bool Compared);

/// <summary>Parsed catalog files, cross-file checks and lock comparisons: every diagnostic the build would give.</summary>
internal sealed class LoadedCatalog
{
    public LoadedCatalog(IReadOnlyList<CatalogSourceFile> sources, CatalogSet set, IReadOnlyList<LockState> locks)
    {
        Sources = sources;
        Set = set;
        Locks = locks;
        var all = set.AllDiagnostics
            .Concat(locks.Where(l => l.Locked is not null).SelectMany(l => l.Locked!.Diagnostics))
            .Concat(locks.SelectMany(l => l.CompareDiagnostics));
        // Grouped by file, then by position: the order a reader walks the files in.
        Diagnostics = all
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Location.FilePath, StringComparer.Ordinal)
            .ThenBy(x => x.d.Location.Line)
            .ThenBy(x => x.d.Location.Column)
            .ThenBy(x => x.i)
            .Select(x => x.d)
            .ToList();
    }

    public IReadOnlyList<CatalogSourceFile> Sources { get; }

    public CatalogSet Set { get; }

    public IReadOnlyList<LockState> Locks { get; }

    public IReadOnlyList<CatalogDiagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == CatalogSeverity.Error);

    /// <summary>Every event of every file, in file order (derived aggregate events follow their source).</summary>
    public IEnumerable<EventSpec> Events => Set.Events;
}
