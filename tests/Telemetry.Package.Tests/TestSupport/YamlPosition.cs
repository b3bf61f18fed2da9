namespace Telemetry.Package.Tests.TestSupport;

/// <summary>Where a key sits in YAML text, as MSBuild prints diagnostic positions: 1-based line and column.</summary>
internal static class YamlPosition
{
    /// <summary>The position of the first line that, trimmed of leading spaces, starts with <paramref name="keyLine"/> (e.g. <c>email:</c>).</summary>
    public static (int Line, int Column) Of(string yaml, string keyLine)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var matches = lines
            .Select((text, index) => (text, index))
            .Where(l => l.text.TrimStart(' ').StartsWith(keyLine, StringComparison.Ordinal))
            .ToList();
        Assert.True(matches.Count == 1, $"Expected exactly one line starting with '{keyLine}' in:{Environment.NewLine}{yaml}");
        var (line, i) = matches[0];
        return (i + 1, line.Length - line.TrimStart(' ').Length + 1);
    }
}
