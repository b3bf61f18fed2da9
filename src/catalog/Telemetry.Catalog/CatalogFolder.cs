using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Telemetry.Catalog;

/// <summary>A catalog file read from disk.</summary>
/// <param name="FullPath">Absolute path.</param>
/// <param name="Path">The path diagnostics carry (as the caller shows paths: relative, '/' separated, or absolute).</param>
/// <param name="Text">File content.</param>
public sealed record CatalogSourceFile(string FullPath, string Path, string Text);

/// <summary>
/// The one way from disk to a <see cref="CatalogSet"/>, shared by the command-line tool, the ingest server, the MSBuild
/// lock task and the benchmarks: find the catalog files of a folder (every <c>*.yaml</c>/<c>*.yml</c> below it, in
/// ordinal path order), read them, and parse them together (shared definitions first, then cross-file checks).
/// I/O errors (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>) reach the caller, which words them.
/// The compiler-side components (generator, analyzers) get their files from the build as AdditionalFiles instead
/// (<see cref="CatalogFiles"/>) and parse them with the same <see cref="CatalogSet"/>.
/// </summary>
public static class CatalogFolder
{
    /// <summary>True for a path with a catalog file's extension (.yaml or .yml, any case).</summary>
    public static bool HasCatalogExtension(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every catalog file below <paramref name="folder"/> (subfolders included), as full paths in ordinal order.</summary>
    public static IReadOnlyList<string> FindFiles(string folder) =>
        Directory.EnumerateFiles(System.IO.Path.GetFullPath(folder), "*", SearchOption.AllDirectories)
            .Where(HasCatalogExtension)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    /// <summary>Reads <paramref name="fullPath"/>; <paramref name="pathAsShown"/> gives the path diagnostics carry (default: the full path).</summary>
    public static CatalogSourceFile Read(string fullPath, Func<string, string>? pathAsShown = null) =>
        new(fullPath, pathAsShown?.Invoke(fullPath) ?? fullPath, File.ReadAllText(fullPath));

    /// <summary>Parses files already read, together.</summary>
    public static CatalogSet Parse(IEnumerable<CatalogSourceFile> files) =>
        CatalogSet.Parse(files.Select(f => new KeyValuePair<string, string>(f.Path, f.Text)));

    /// <summary>Finds, reads and parses the catalog files below <paramref name="folder"/>.</summary>
    public static CatalogSet Load(string folder, Func<string, string>? pathAsShown = null) =>
        Parse(FindFiles(folder).Select(f => Read(f, pathAsShown)));
}
