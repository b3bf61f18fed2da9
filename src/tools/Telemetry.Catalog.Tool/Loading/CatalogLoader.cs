using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Cli;

namespace Telemetry.Catalog.Tool.Loading;

/// <summary>
/// The tool's arguments to the catalog library's one loader (<see cref="CatalogFolder"/>): each folder's catalog files
/// (<c>**/*.yaml</c>, <c>**/*.yml</c>) or files named directly, with paths shown relative to the working folder and I/O
/// errors worded for the command line; then the lock next to each folder, checked by <see cref="CatalogLockCheck"/>.
/// </summary>
internal static class CatalogLoader
{
    public const string DefaultFolder = "catalog";

    public static LoadedCatalog Load(ToolContext context, IReadOnlyList<string>? paths)
    {
        if (paths is null || paths.Count == 0) paths = new[] { DefaultFolder };
        var files = new List<CatalogSourceFile>();
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

        var set = CatalogFolder.Parse(files);
        var locks = new List<LockState>();
        foreach (var folder in lockFolders) locks.Add(ReadLock(context, folder, files, set));
        return new LoadedCatalog(files, set, locks);
    }

    /// <summary>Reads the lock of <paramref name="folder"/> (if any) and checks the catalog files below the folder against it.</summary>
    private static LockState ReadLock(ToolContext context, string folder, IReadOnlyList<CatalogSourceFile> files, CatalogSet set)
    {
        var lockPath = Path.Combine(folder, CatalogLock.FileName);
        var display = ToolPaths.Display(context, lockPath);
        var inScope = new HashSet<string>(files.Where(f => ToolPaths.IsUnder(f.FullPath, folder)).Select(f => f.Path), StringComparer.Ordinal);
        if (!File.Exists(lockPath))
        {
            return new LockState(lockPath, display, null, CatalogLockCheck.EventsInScope(set, inScope.Contains), Array.Empty<CatalogDiagnostic>(), Compared: false);
        }

        var locked = CatalogLock.Read(display, ReadText(context, lockPath));
        var check = CatalogLockCheck.Run(set, locked, inScope.Contains);
        return new LockState(lockPath, display, locked, check.Events, check.Breaking, check.Compared);
    }

    private static IReadOnlyList<string> FindCatalogFiles(string folder, string shownAs)
    {
        try
        {
            return CatalogFolder.FindFiles(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"cannot list folder '{shownAs}': {e.Message}", e);
        }
    }

    private static CatalogSourceFile Read(ToolContext context, string fullPath)
    {
        try
        {
            return CatalogFolder.Read(fullPath, p => ToolPaths.Display(context, p));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"cannot read '{ToolPaths.Display(context, fullPath)}': {e.Message}", e);
        }
    }

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
