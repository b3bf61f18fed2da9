using System;
using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Lock;

/// <summary>Why a lock check compared or did not.</summary>
public enum CatalogLockCheckOutcome
{
    /// <summary>The catalog files in scope were compared with the lock; <see cref="CatalogLockCheckResult.Breaking"/> holds the TEL3001 findings.</summary>
    Compared,
    /// <summary>A catalog file in scope has an error: a broken file yields only part of its events, so comparing would report every missing one as removed.</summary>
    CatalogHasErrors,
    /// <summary>The lock cannot be read (<see cref="CatalogLockFile.Diagnostics"/> says why); comparing against it would mislead.</summary>
    LockUnreadable,
}

/// <summary>The result of <see cref="CatalogLockCheck.Run"/>.</summary>
/// <param name="Outcome">Whether the comparison ran.</param>
/// <param name="Events">The events of the catalog files in scope (what a new lock would hold).</param>
/// <param name="Breaking">TEL3001 findings; empty unless <see cref="Outcome"/> is <see cref="CatalogLockCheckOutcome.Compared"/>.</param>
public sealed record CatalogLockCheckResult(CatalogLockCheckOutcome Outcome, IReadOnlyList<EventSpec> Events, IReadOnlyList<CatalogDiagnostic> Breaking)
{
    /// <summary>True when the comparison ran.</summary>
    public bool Compared => Outcome == CatalogLockCheckOutcome.Compared;
}

/// <summary>
/// The one lock check (TEL3001), used by the analyzer, the <c>TelemetryUpdateLock</c> MSBuild task and the
/// <c>telemetry-catalog</c> tool. Its scope: a lock covers the catalog files it is given with (the project's catalog
/// files in a build; the files below the lock's folder in the tool, which can load several folders at once), and
/// nothing else. The check runs in one order everywhere: errors in a catalog file in scope (its own or cross-file)
/// stop it first, then an unreadable lock, and only then are the events in scope compared with the lock.
/// </summary>
public static class CatalogLockCheck
{
    /// <summary>
    /// Checks the files of <paramref name="set"/> for which <paramref name="inScope"/> (by <see cref="CatalogFile.FilePath"/>;
    /// null: every file) holds against <paramref name="locked"/>.
    /// </summary>
    public static CatalogLockCheckResult Run(CatalogSet set, CatalogLockFile locked, Func<string, bool>? inScope = null)
    {
        var events = EventsInScope(set, inScope);
        if (HasErrorsInScope(set, inScope)) return new CatalogLockCheckResult(CatalogLockCheckOutcome.CatalogHasErrors, events, Array.Empty<CatalogDiagnostic>());
        if (locked.Diagnostics.Any(d => d.Severity == CatalogSeverity.Error)) return new CatalogLockCheckResult(CatalogLockCheckOutcome.LockUnreadable, events, Array.Empty<CatalogDiagnostic>());
        return new CatalogLockCheckResult(CatalogLockCheckOutcome.Compared, events, CatalogLock.Compare(locked, events));
    }

    /// <summary>The events of the files in scope, in file order (what <see cref="CatalogLock.Write"/> takes).</summary>
    public static IReadOnlyList<EventSpec> EventsInScope(CatalogSet set, Func<string, bool>? inScope = null) =>
        set.Files.Where(f => inScope is null || inScope(f.FilePath)).SelectMany(f => f.Events).ToList();

    /// <summary>True when a file in scope has an error, or a cross-file error points into one.</summary>
    public static bool HasErrorsInScope(CatalogSet set, Func<string, bool>? inScope = null) =>
        set.Files.Any(f => (inScope is null || inScope(f.FilePath)) && f.HasErrors) ||
        set.CrossFileDiagnostics.Any(d => d.Severity == CatalogSeverity.Error && (inScope is null || inScope(d.Location.FilePath)));
}
