using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;
using Telemetry.Catalog.Tool.Commands;

namespace Telemetry.Catalog.Tool.Cli;

/// <summary>
/// The tool's entry point, callable in-process (tests pass string writers and a working folder).
/// Every failure ends here as one line on stderr and an exit code; no stack trace reaches the user.
/// </summary>
internal static class CatalogTool
{
    public const string Name = "telemetry-catalog";

    public static int Run(string[] args, ToolContext context)
    {
        try
        {
            var root = CreateRoot(context);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
            {
                foreach (var error in parse.Errors) context.Error.WriteLine($"{Name}: {error.Message}");
                context.Error.WriteLine($"Run '{Name} --help' for usage.");
                return ExitCodes.UsageOrIo;
            }

            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (ToolException e)
        {
            return Fail(context, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return Fail(context, e.Message);
        }
        catch (Exception e)
        {
            // A bug in the tool: still one line, with the exception type so it can be reported.
            return Fail(context, $"internal error ({e.GetType().Name}): {e.Message}");
        }
    }

    /// <summary>The command tree; <paramref name="context"/> flows into every command's action.</summary>
    public static Command CreateRoot(ToolContext context)
    {
        var root = new Command(Name,
            "Lint, document, price and lock a Telemetry.Generators event catalog (YAML files under ./catalog by default).\n" +
            "Exit codes: 0 ok, 1 catalog errors or a failed check, 2 bad usage or a file that cannot be read or written.");
        var help = new HelpOption();
        if (help.Action is HelpAction action) action.MaxWidth = 110;
        root.Options.Add(help);
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(LintCommand.Create(context));
        root.Subcommands.Add(DocsCommand.Create(context));
        root.Subcommands.Add(SchemaCommand.Create(context));
        root.Subcommands.Add(CostCommand.Create(context));
        root.Subcommands.Add(LockCommand.Create(context));
        root.Subcommands.Add(DashboardsCommand.Create(context));
        return root;
    }

    private static int Fail(ToolContext context, string message)
    {
        context.Error.WriteLine($"{Name}: {OneLine(message)}");
        return ExitCodes.UsageOrIo;
    }

    private static string OneLine(string message) => message.Replace("\r", string.Empty).Replace('\n', ' ').Trim();
}
