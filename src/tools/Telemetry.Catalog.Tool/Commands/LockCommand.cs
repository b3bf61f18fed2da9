using System.CommandLine;
using System.IO;
using System.Linq;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Diagnostics;
using Telemetry.Catalog.Tool.Loading;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary>
/// <c>lock</c>: write <c>catalog.lock.json</c> (the wire contract the build checks breaking changes against), or with
/// <c>--check</c> verify that it is current. Writing refuses a breaking change without a version bump unless <c>--force</c>.
/// </summary>
internal static class LockCommand
{
    public static Command Create(ToolContext context)
    {
        var folder = new Argument<string>("folder")
        {
            Description = $"Catalog folder; the lock is {CatalogLock.FileName} in it. Default: ./{CatalogLoader.DefaultFolder}",
            DefaultValueFactory = _ => CatalogLoader.DefaultFolder,
        };
        folder.RejectOptionLikeValues();
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; exit 1 with the TEL3001 breaking changes, or when the lock is missing or out of date (for CI).",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Write the lock even over breaking changes without a version bump (accepts the break deliberately).",
        };
        var command = new Command("lock",
            $"Write {CatalogLock.FileName} next to the catalog files: every event's version, status, properties, types and PII treatments. " +
            "The build (and 'lint') report a breaking change against it without a version bump as TEL3001.")
        {
            folder, check, force,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(folder)!;
            if (File.Exists(ToolPaths.Full(context, path)))
            {
                throw new ToolException($"'{path}' is a file; lock takes the catalog folder (the lock is written next to its files)");
            }

            var catalog = CatalogLoader.Load(context, new[] { path });
            var state = catalog.Locks.Single();
            var lockDiagnostics = state.Locked?.Diagnostics.ToList() ?? new();
            if (catalog.Set.AllDiagnostics.Any(d => d.Severity == Model.CatalogSeverity.Error))
            {
                MsBuildFormat.WriteAndCheck(context.Out, catalog.Diagnostics, context.Color);
                context.Out.WriteLine($"{state.DisplayPath} not {(parse.GetValue(check) ? "checked" : "written")}: the catalog has errors.");
                return ExitCodes.Failed;
            }

            var text = CatalogLock.Write(state.Events);
            if (parse.GetValue(check)) return Check(context, state, text);

            if (state.CompareDiagnostics.Count > 0 && !parse.GetValue(force))
            {
                MsBuildFormat.WriteAndCheck(context.Out, state.CompareDiagnostics, context.Color);
                context.Out.WriteLine($"{state.DisplayPath} not written: {state.CompareDiagnostics.Count} breaking change(s) without a version bump. " +
                    "Bump the events' 'version:', or pass --force to accept the break.");
                return ExitCodes.Failed;
            }

            if (lockDiagnostics.Count > 0)
            {
                context.Error.WriteLine($"{CatalogTool.Name}: {state.DisplayPath} could not be read ({lockDiagnostics[0].Message}); replacing it.");
            }

            if (state.Locked is not null && File.Exists(state.FullPath) && GeneratedFolder.Normalize(File.ReadAllText(state.FullPath)) == text)
            {
                context.Out.WriteLine($"{state.DisplayPath}: up to date ({state.Events.Count} events)");
                return ExitCodes.Ok;
            }

            OutputFiles.WriteFile(context, state.FullPath, text);
            context.Out.WriteLine($"{state.DisplayPath}: written ({state.Events.Count} events)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Check(ToolContext context, LockState state, string text)
    {
        if (state.Locked is null)
        {
            context.Out.WriteLine($"{state.DisplayPath} is missing; run '{CatalogTool.Name} lock' and commit it.");
            return ExitCodes.Failed;
        }

        if (!state.Locked.Diagnostics.IsEmpty)
        {
            MsBuildFormat.WriteAndCheck(context.Out, state.Locked.Diagnostics, context.Color);
            context.Out.WriteLine($"{state.DisplayPath} cannot be read; run '{CatalogTool.Name} lock' to rewrite it.");
            return ExitCodes.Failed;
        }

        if (state.CompareDiagnostics.Count > 0)
        {
            MsBuildFormat.WriteAndCheck(context.Out, state.CompareDiagnostics, context.Color);
            context.Out.WriteLine($"{state.DisplayPath}: {state.CompareDiagnostics.Count} breaking change(s) without a version bump.");
            return ExitCodes.Failed;
        }

        if (GeneratedFolder.Normalize(File.ReadAllText(state.FullPath)) != text)
        {
            context.Out.WriteLine($"{state.DisplayPath}: lock is out of date; run '{CatalogTool.Name} lock' and commit it.");
            return ExitCodes.Failed;
        }

        context.Out.WriteLine($"{state.DisplayPath}: up to date ({state.Events.Count} events)");
        return ExitCodes.Ok;
    }
}
