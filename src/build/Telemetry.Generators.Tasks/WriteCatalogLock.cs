using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Telemetry.Catalog;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Model;

namespace Telemetry.Generators.Tasks;

/// <summary>
/// Writes <c>catalog.lock.json</c> from the catalog files: the snapshot the TEL3001 analyzer compares every build
/// against. Run on purpose, by <c>dotnet build -t:TelemetryUpdateLock</c>, after a reviewed catalog change. Like
/// <c>telemetry-catalog lock</c>, it refuses while a catalog file has errors (a broken catalog never becomes the
/// reference) and while the catalog has breaking changes against the current lock without a version bump, unless
/// <see cref="Force"/> (<c>-p:TelemetryLockForce=true</c>) accepts the break. Leaves the file untouched when its
/// content would not change.
/// </summary>
public sealed class WriteCatalogLock : Task
{
    /// <summary>The catalog files (AdditionalFiles with TelemetryCatalog=true).</summary>
    [Required]
    public ITaskItem[] CatalogFiles { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Path of the lock file to write.</summary>
    [Required]
    public string LockFile { get; set; } = string.Empty;

    /// <summary>Write even over breaking changes without a version bump (accepts the break deliberately).</summary>
    public bool Force { get; set; }

    /// <summary>Number of events written (for callers and tests).</summary>
    [Output]
    public int EventCount { get; set; }

    /// <inheritdoc/>
    public override bool Execute()
    {
        if (CatalogFiles.Length == 0)
        {
            Log.LogError(null, "TEL3001", null, null, 0, 0, 0, 0, "No catalog files: set TelemetryCatalogPath or add AdditionalFiles with TelemetryCatalog=\"true\" before writing the catalog lock.");
            return false;
        }

        var set = CatalogFolder.Parse(CatalogFiles.Select(item => CatalogFolder.Read(item.GetMetadata("FullPath"))));
        var errors = set.AllDiagnostics.Where(d => d.Severity == CatalogSeverity.Error).ToList();
        foreach (var d in errors)
        {
            Log.LogError(null, d.Id, null, d.Location.FilePath, d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn, d.Message);
        }

        if (errors.Count > 0)
        {
            Log.LogError("The catalog has errors; fix them before writing {0}.", CatalogLock.FileName);
            return false;
        }

        // The one lock check (CatalogLockCheck); its scope here: the project's catalog files.
        var events = CatalogLockCheck.EventsInScope(set);
        var text = CatalogLock.Write(events);
        var full = Path.GetFullPath(LockFile);
        EventCount = events.Count;
        if (File.Exists(full))
        {
            var locked = CatalogLock.Read(full, File.ReadAllText(full));
            var check = CatalogLockCheck.Run(set, locked);
            if (check.Outcome == CatalogLockCheckOutcome.LockUnreadable)
            {
                Log.LogWarning(null, locked.Diagnostics[0].Id, null, full, 0, 0, 0, 0, "{0} could not be read ({1}); replacing it.", full, locked.Diagnostics[0].Message);
            }
            else if (check.Breaking is { Count: > 0 } breaking)
            {
                foreach (var d in breaking)
                {
                    if (Force) Log.LogWarning(null, d.Id, null, d.Location.FilePath, d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn, d.Message);
                    else Log.LogError(null, d.Id, null, d.Location.FilePath, d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn, d.Message);
                }

                if (!Force)
                {
                    Log.LogError("{0} not written: {1} breaking change(s) without a version bump. Bump the events' 'version:', or pass -p:TelemetryLockForce=true to accept the break.", full, breaking.Count);
                    return false;
                }
            }
        }

        if (File.Exists(full) && string.Equals(File.ReadAllText(full), text, StringComparison.Ordinal))
        {
            Log.LogMessage(MessageImportance.High, "{0} is up to date ({1} events).", full, events.Count);
            return true;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Log.LogMessage(MessageImportance.High, "Wrote {0} ({1} events). Commit it: every build now checks catalog changes against it (TEL3001).", full, events.Count);
        return !Log.HasLoggedErrors;
    }
}
