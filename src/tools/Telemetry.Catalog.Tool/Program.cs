using System;
using Telemetry.Catalog.Tool.Cli;

namespace Telemetry.Catalog.Tool;

internal static class Program
{
    private static int Main(string[] args)
    {
        var color = !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return CatalogTool.Run(args, new ToolContext(Console.Out, Console.Error, Environment.CurrentDirectory, color));
    }
}
