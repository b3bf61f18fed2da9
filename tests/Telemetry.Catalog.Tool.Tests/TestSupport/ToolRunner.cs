using Telemetry.Catalog.Tool.Cli;

namespace Telemetry.Catalog.Tool.Tests.TestSupport;

/// <summary>What one in-process run of the tool printed and returned.</summary>
internal sealed record ToolRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>Runs the tool through its entry point with captured stdout/stderr and a chosen working folder.</summary>
internal static class ToolRunner
{
    /// <summary>Runs in this test project's source folder, so fixture paths print as <c>Fixtures/…</c>.</summary>
    public static ToolRun Run(params string[] args) => RunIn(RepoPaths.Project, args);

    public static ToolRun RunIn(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = CatalogTool.Run(args, new ToolContext(output, error, workingDirectory, Color: false));
        return new ToolRun(code, output.ToString(), error.ToString());
    }
}
