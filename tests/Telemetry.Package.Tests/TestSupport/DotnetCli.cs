using System.Collections;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>
/// Runs the <c>dotnet</c> CLI the way a user's shell would: without the MSBuild variables the test host
/// inherits from <c>dotnet test</c>, in English, and without build servers or reused nodes (a server that
/// outlives the command keeps the captured output pipes open).
/// </summary>
internal static class DotnetCli
{
    /// <summary>Switches for <c>build</c> and <c>pack</c>: no reused MSBuild nodes, no shared compiler server.</summary>
    public static readonly IReadOnlyList<string> NoBuildServers = new[] { "-nodeReuse:false", "-p:UseSharedCompilation=false" };

    /// <summary>The dotnet executable running the tests, else the one on the PATH.</summary>
    public static string Executable { get; } = FindExecutable();

    public static Task<ProcessResult> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var variables = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("_MSBuild", StringComparison.OrdinalIgnoreCase))
            {
                variables[name] = null;
            }
        }

        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        variables["DOTNET_NOLOGO"] = "1";
        variables["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        variables["DOTNET_CLI_UI_LANGUAGE"] = "en";
        variables["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        variables["MSBUILDDISABLENODEREUSE"] = "1";
        variables["MSBUILDTERMINALLOGGER"] = "off";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) variables[name] = value;

        return ProcessRunner.RunAsync(Executable, arguments, workingDirectory, variables, timeout);
    }

    private static string FindExecutable()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return process;
        return "dotnet";
    }
}
