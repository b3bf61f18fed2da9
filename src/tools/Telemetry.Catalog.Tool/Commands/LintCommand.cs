using System.CommandLine;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Diagnostics;
using Telemetry.Catalog.Tool.Loading;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary>
/// <c>lint</c>: every catalog diagnostic the build gives (each file's, the cross-file checks, and TEL3001 against
/// <c>catalog.lock.json</c> when it sits next to the files), as MSBuild lines or SARIF.
/// </summary>
internal static class LintCommand
{
    public static Command Create(ToolContext context)
    {
        var paths = CommonOptions.Paths();
        var format = CommonOptions.Format("text", "sarif");
        var output = new Option<string?>("--output")
        {
            Description = "Write the report to this file instead of stdout (e.g. lint.sarif for a code-scanning upload).",
            HelpName = "file",
        };
        var warningsAsErrors = new Option<bool>("--warnings-as-errors")
        {
            Description = "Report warnings as errors and fail on them (like <TelemetryStrict>true</TelemetryStrict>).",
        };
        var command = new Command("lint",
            "Check catalog files and print every diagnostic the build would give, at the same ids and 1-based positions: " +
            "each file's, duplicates across files (TEL0004), and breaking changes against catalog.lock.json (TEL3001) when it sits " +
            "next to the files (compared once the catalog has no errors). Exit 1 on errors; warnings alone exit 0.")
        {
            paths, format, output, warningsAsErrors,
        };
        command.SetAction(parse =>
        {
            var catalog = CatalogLoader.Load(context, parse.GetValue(paths));
            var strict = parse.GetValue(warningsAsErrors);
            var reported = catalog.Diagnostics.Select(d => ReportedDiagnostic.From(d, strict)).ToList();
            var failed = reported.Any(r => r.Severity == CatalogSeverity.Error);
            var summary = $"{Plural(catalog.Sources.Count, "file")}, {Plural(catalog.Events.Count(), "event")}, " +
                $"{Plural(catalog.Set.Files.Sum(f => f.Metrics.Count), "metric")}: {MsBuildFormat.Summary(reported)}";
            var file = parse.GetValue(output);
            var sarif = parse.GetValue(format) == "sarif";
            if (file is null)
            {
                if (sarif)
                {
                    context.Out.Write(SarifReport.Write(reported));
                }
                else
                {
                    MsBuildFormat.Write(context.Out, reported, context.Color);
                    context.Out.WriteLine(failed ? Ansi.Red(summary, context.Color) : summary);
                }
            }
            else
            {
                var text = sarif ? SarifReport.Write(reported) : string.Concat(reported.Select(r => MsBuildFormat.Line(r, color: false) + "\n"));
                var written = OutputFiles.WriteFile(context, file, text);
                context.Out.WriteLine($"{summary}; report written to {written}");
            }

            return failed ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}
