using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Loading;

namespace Telemetry.Catalog.Tool.Output;

/// <summary>A file a command generates: its name inside the output folder and its text ('\n' line ends).</summary>
internal sealed record GeneratedFile(string Name, string Text);

/// <summary>
/// How to recognise files an earlier run generated in an output folder (so they can be removed when this run no longer
/// generates them): a file name pattern and a test on the text.
/// </summary>
internal sealed record StaleFiles(string Pattern, Func<string, bool> IsGenerated);

/// <summary>What writing a set of generated files did.</summary>
internal sealed record WriteResult(string Folder, int Written, int Unchanged, int Removed)
{
    public override string ToString() =>
        $"{Folder}: {Written} written, {Unchanged} unchanged" + (Removed > 0 ? $", {Removed} stale removed" : string.Empty);
}

/// <summary>
/// Writes generated files as UTF-8 without BOM, only when their text changed, and turns every I/O failure into a
/// one-line <see cref="ToolException"/>.
/// </summary>
internal static class OutputFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes one file; returns its display path.</summary>
    public static string WriteFile(ToolContext context, string path, string text)
    {
        var full = ToolPaths.Full(context, path);
        var folder = Path.GetDirectoryName(full);
        if (folder is not null) EnsureFolder(context, folder);
        Write(context, full, text);
        return ToolPaths.Display(context, full);
    }

    /// <summary>
    /// Writes <paramref name="files"/> into <paramref name="folder"/>, and removes files there that an earlier run
    /// generated (<paramref name="stale"/>) but this run did not: renamed features or removed events leave nothing behind.
    /// </summary>
    public static WriteResult WriteFolder(ToolContext context, string folder, IReadOnlyList<GeneratedFile> files, StaleFiles? stale)
    {
        var full = ToolPaths.Full(context, folder);
        EnsureFolder(context, full);
        int written = 0, unchanged = 0, removed = 0;
        var names = new HashSet<string>(files.Select(f => f.Name), StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Path.Combine(full, file.Name);
            if (File.Exists(path) && ReadOrNull(path) == file.Text)
            {
                unchanged++;
                continue;
            }

            Write(context, path, file.Text);
            written++;
        }

        foreach (var existing in StaleCandidates(full, names, stale))
        {
            var text = ReadOrNull(existing);
            if (text is null || !stale!.IsGenerated(text)) continue;
            try
            {
                File.Delete(existing);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolException($"cannot remove stale file '{ToolPaths.Display(context, existing)}': {e.Message}", e);
            }
        }

        return new WriteResult(ToolPaths.Display(context, full), written, unchanged, removed);
    }

    /// <summary>Files in <paramref name="fullFolder"/> that match <paramref name="stale"/>'s pattern and are not in <paramref name="names"/>.</summary>
    public static IEnumerable<string> StaleCandidates(string fullFolder, ISet<string> names, StaleFiles? stale)
    {
        if (stale is null || !Directory.Exists(fullFolder)) return Array.Empty<string>();
        return Directory.EnumerateFiles(fullFolder, stale.Pattern)
            .Where(p => !names.Contains(Path.GetFileName(p)))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
    }

    private static void EnsureFolder(ToolContext context, string fullFolder)
    {
        if (File.Exists(fullFolder))
        {
            throw new ToolException($"cannot write to '{ToolPaths.Display(context, fullFolder)}': it is a file, not a folder");
        }

        try
        {
            Directory.CreateDirectory(fullFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ToolException($"cannot create folder '{ToolPaths.Display(context, fullFolder)}': {e.Message}", e);
        }
    }

    private static void Write(ToolContext context, string fullPath, string text)
    {
        try
        {
            File.WriteAllText(fullPath, text, Utf8NoBom);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ToolException($"cannot write '{ToolPaths.Display(context, fullPath)}': {e.Message}", e);
        }
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
