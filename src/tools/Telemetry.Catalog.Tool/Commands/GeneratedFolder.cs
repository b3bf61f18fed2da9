using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Loading;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary>Writes a generated folder, or with <c>--check</c> reports how the folder on disk differs from it.</summary>
internal static class GeneratedFolder
{
    /// <summary>
    /// A command that writes files made from the catalog (<c>docs</c>, <c>schema</c>) into a folder, or with <c>--check</c>
    /// reports how the folder differs: catalog paths, <c>--out</c> (default <paramref name="defaultOut"/>) and <c>--check</c>;
    /// nothing is written while the catalog has errors.
    /// </summary>
    public static Command FromCatalog(
        ToolContext context, string name, string description, string defaultOut, string what, Func<LoadedCatalog, IReadOnlyList<GeneratedFile>> build, StaleFiles stale)
    {
        var paths = CommonOptions.Paths();
        var output = CommonOptions.Out(defaultOut, what);
        var check = CommonOptions.Check(what);
        var command = new Command(name, description)
        {
            paths, output, check,
        };
        command.SetAction(parse =>
        {
            var catalog = CatalogLoader.Load(context, parse.GetValue(paths));
            if (!CatalogGate.Passes(context, catalog, name)) return ExitCodes.Failed;
            return WriteOrCheck(context, parse.GetValue(output)!, build(catalog), stale, parse.GetValue(check), name);
        });
        return command;
    }

    public static int WriteOrCheck(ToolContext context, string folder, IReadOnlyList<GeneratedFile> files, StaleFiles? stale, bool check, string command)
    {
        if (!check)
        {
            context.Out.WriteLine(OutputFiles.WriteFolder(context, folder, files, stale).ToString());
            return ExitCodes.Ok;
        }

        var full = ToolPaths.Full(context, folder);
        var shown = ToolPaths.Display(context, full);
        var problems = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(full, file.Name);
            if (!File.Exists(path)) problems.Add($"{shown}/{file.Name}: missing");
            else if (Normalize(File.ReadAllText(path)) != file.Text) problems.Add($"{shown}/{file.Name}: out of date");
        }

        var names = new HashSet<string>(files.Select(f => f.Name), StringComparer.Ordinal);
        foreach (var existing in OutputFiles.StaleCandidates(full, names, stale))
        {
            if (stale!.IsGenerated(File.ReadAllText(existing))) problems.Add($"{shown}/{Path.GetFileName(existing)}: stale (no longer generated)");
        }

        foreach (var p in problems) context.Out.WriteLine(p);
        if (problems.Count == 0)
        {
            context.Out.WriteLine($"{shown}: up to date ({files.Count} files)");
            return ExitCodes.Ok;
        }

        context.Out.WriteLine($"{shown} is out of date; run '{CatalogTool.Name} {command}' and commit the result.");
        return ExitCodes.Failed;
    }

    /// <summary>Git may check text files out with CRLF; generated text is LF.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n");
}
