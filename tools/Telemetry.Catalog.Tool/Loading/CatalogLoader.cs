using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Cli;

namespace Telemetry.Catalog.Tool.Loading;

/// <summary>
/// Finds catalog files (<c>**/*.yaml</c>, <c>**/*.yml</c> under each folder, or files named directly), reads them
/// and hands them to the shared catalog library: the tool never reads YAML itself.
/// </summary>
internal static class CatalogLoader
{
    public const string DefaultFolder = "catalog";

    public static LoadedCatalog Load(ToolContext context, IReadOnlyList<string>? paths)
    {
        if (paths is null || paths.Count == 0) paths = new[] { DefaultFolder };
        var files = new List<CatalogSource>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lockFolders = new List<string>();
        foreach (var path in paths)
        {
            var full = ToolPaths.Full(context, path);
            if (Directory.Exists(full))
            {
                var found = FindCatalogFiles(full, path);
                if (found.Count == 0)
                {
                    throw new ToolException($"no catalog files (*.yaml, *.yml) in folder '{path}'");
                }

                foreach (var f in found)
                {
                    if (seen.Add(f)) files.Add(Read(context, f));
                }

                AddOnce(lockFolders, full);
            }
            else if (File.Exists(full))
            {
                if (seen.Add(full)) files.Add(Read(context, full));
                AddOnce(lockFolders, Path.GetDirectoryName(full)!);
            }
            else
            {
                throw new ToolException($"catalog folder or file '{path}' does not exist");
            }
        }

        var set = CatalogSet.Parse(files.Select(f => new KeyValuePair<string, string>(f.DisplayPath, f.Text)));
        var locks = new List<LockState>();
        foreach (var folder in lockFolders) locks.Add(ReadLock(context, folder, files, set));
        return new LoadedCatalog(files, set, locks);
    }

    /// <summary>Reads the lock of <paramref name="folder"/> (if any) and compares the folder's events against it.</summary>
    private static LockState ReadLock(ToolContext context, string folder, IReadOnlyList<CatalogSource> files, CatalogSet set)
    {
        var lockPath = Path.Combine(folder, CatalogLock.FileName);
        var display = ToolPaths.Display(context, lockPath);
        var inScope = new HashSet<string>(files.Where(f => ToolPaths.IsUnder(f.FullPath, folder)).Select(f => f.DisplayPath), StringComparer.Ordinal);
        var scopeFiles = set.Files.Where(f => inScope.Contains(f.FilePath)).ToList();
        var events = scopeFiles.SelectMany(f => f.Events).ToList();
        if (!File.Exists(lockPath)) return new LockState(lockPath, display, null, events, Array.Empty<CatalogDiagnostic>(), Compared: false);

        var locked = CatalogLock.Read(display, ReadText(context, lockPath));
        // A file with errors yields only part of its events; comparing would report every missing one as removed.
        var broken = scopeFiles.Any(f => f.HasErrors) || set.CrossFileDiagnostics.Any(d => d.Severity == CatalogSeverity.Error && inScope.Contains(d.Location.FilePath));
        if (broken || !locked.Diagnostics.IsEmpty)
        {
            return new LockState(lockPath, display, locked, events, Array.Empty<CatalogDiagnostic>(), Compared: false);
        }

        return new LockState(lockPath, display, locked, events, CatalogLock.Compare(locked, events), Compared: true);
    }

    private static List<string> FindCatalogFiles(string folder, string shownAs)
    {
        try
        {
            return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(IsCatalogFile)
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"cannot list folder '{shownAs}': {e.Message}", e);
        }
    }

    private static bool IsCatalogFile(string path)
    {
        var ext = Path.GetExtension(path);
        return ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || ext.Equals(".yml", StringComparison.OrdinalIgnoreCase);
    }

    private static CatalogSource Read(ToolContext context, string fullPath) =>
        new(fullPath, ToolPaths.Display(context, fullPath), ReadText(context, fullPath));

    private static string ReadText(ToolContext context, string fullPath)
    {
        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"cannot read '{ToolPaths.Display(context, fullPath)}': {e.Message}", e);
        }
    }

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item, StringComparer.Ordinal)) list.Add(item);
    }
}
