using System.Text.RegularExpressions;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>The package sources this machine normally restores from, as <c>dotnet nuget list source</c> reports them.</summary>
internal static partial class NuGetSources
{
    public const string NuGetOrg = "https://api.nuget.org/v3/index.json";

    /// <summary>Enabled sources (name, url) configured for <paramref name="directory"/>; nuget.org when none are.</summary>
    public static async Task<IReadOnlyList<(string Name, string Url)>> EnabledAsync(string directory)
    {
        var result = await DotnetCli.RunAsync(directory, new[] { "nuget", "list", "source", "--format", "detailed" }).ConfigureAwait(false);
        if (!result.Succeeded) throw new InvalidOperationException("Could not list the NuGet sources." + Environment.NewLine + result);

        // "  1.  nuget.org [Enabled]" followed by the URL on the next line.
        var sources = new List<(string, string)>();
        var lines = result.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        for (var i = 0; i + 1 < lines.Count; i++)
        {
            var match = SourceHeader().Match(lines[i]);
            if (match.Success && match.Groups["state"].Value == "Enabled")
            {
                sources.Add((match.Groups["name"].Value, lines[i + 1].Trim()));
            }
        }

        return sources.Count > 0 ? sources : new[] { ("nuget.org", NuGetOrg) };
    }

    [GeneratedRegex(@"^\s*\d+\.\s+(?<name>.+?)\s+\[(?<state>Enabled|Disabled)\]\s*$")]
    private static partial Regex SourceHeader();
}
