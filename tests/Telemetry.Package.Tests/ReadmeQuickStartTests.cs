using System.Text.RegularExpressions;

namespace Telemetry.Package.Tests;

/// <summary>
/// The README's "Quick start in your app", followed letter by letter against the local feed: <c>dotnet new console</c>,
/// its <c>dotnet add package</c> lines, its catalog file and its C# block as Program.cs; the build must pass and the
/// run must print the event the README shows.
/// </summary>
public sealed partial class ReadmeQuickStartTests(PackedPackages packages, ITestOutputHelper output) : PackedPackagesTest(packages, output)
{
    [Fact]
    public async Task QuickStart_AsWritten_BuildsAndPrintsTheTrackedEvent()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("## Quick start in your app", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no 'Quick start in your app' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var blocks = CodeBlock().Matches(section).Select(m => (Language: m.Groups["lang"].Value, Code: Unindent(m.Groups["code"].Value, m.Groups["indent"].Value))).ToList();
        var bash = blocks.Single(b => b.Language == "bash").Code;
        var yaml = blocks.Single(b => b.Language == "yaml").Code;
        var csharp = blocks.Single(b => b.Language == "csharp").Code;
        var catalogFile = CatalogFileName().Match(section);
        Assert.True(catalogFile.Success, "The quick start names no catalog/<file>.yaml");

        var root = Path.Combine(Packages.Root, "quickstart");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "nuget.config"), ConsumerProject.NuGetConfigFor(Packages));
        foreach (var empty in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" }) File.WriteAllText(Path.Combine(root, empty), "<Project />\n");
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Packages.PackagesFolder };

        ProcessAssert.Succeeded(await Log(DotnetCli.RunAsync(root, new[] { "new", "console", "--name", "QuickStart", "--output", root, "--no-restore" }, environment)));

        var adds = bash.Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.StartsWith("dotnet add package ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, adds.Count);
        foreach (var add in adds)
        {
            var arguments = add.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            // The release feed holds the stable version, which `dotnet add package` picks unasked; a run's own test version is a prerelease.
            if (!Packages.IsReleaseFeed) arguments.AddRange(new[] { "--version", Packages.VersionOf(arguments[^1]) });
            ProcessAssert.Succeeded(await Log(DotnetCli.RunAsync(root, arguments, environment)));
        }

        Directory.CreateDirectory(Path.Combine(root, "catalog"));
        File.WriteAllText(Path.Combine(root, catalogFile.Value), yaml);
        File.WriteAllText(Path.Combine(root, "Program.cs"), csharp);

        var build = await Log(DotnetCli.RunAsync(root, new[] { "build" }.Concat(DotnetCli.NoBuildServers), environment));
        ProcessAssert.Succeeded(build);
        var run = await Log(DotnetCli.RunAsync(root, new[] { "run", "--no-build" }, environment));
        ProcessAssert.Succeeded(run);

        var line = run.StandardOutput.Split('\n').Select(l => l.Trim()).SingleOrDefault(l => l.StartsWith('{'));
        Assert.True(line is not null, "The quick start printed no event, while the README shows one." + Environment.NewLine + run);
        using var json = JsonDocument.Parse(line!);
        var shown = ShownOutput().Match(csharp);
        Assert.True(shown.Success, "The README's C# block shows no output comment");
        foreach (Match pair in ShownStringProperty().Matches(shown.Value))
        {
            if (pair.Groups["value"].Value.Contains('…', StringComparison.Ordinal)) continue;
            Assert.True(json.RootElement.TryGetProperty(pair.Groups["name"].Value, out var value), $"'{pair.Groups["name"].Value}' missing in {line}");
            Assert.Equal(pair.Groups["value"].Value.Trim('"'), value.ToString());
        }
    }

    private static string Unindent(string code, string indent) =>
        string.Join("\n", code.Split('\n').Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart()));

    [GeneratedRegex(@"^(?<indent>[ ]*)```(?<lang>\w+)\n(?<code>.*?)\n[ ]*```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"catalog/[a-z_]+\.yaml")]
    private static partial Regex CatalogFileName();

    /// <summary>The <c>// {"event":...}</c> comment lines after the Track call.</summary>
    [GeneratedRegex(@"// \{.*", RegexOptions.Singleline)]
    private static partial Regex ShownOutput();

    [GeneratedRegex("\"(?<name>[a-z_]+)\":(?<value>\"[^\"]*\"|[0-9.]+)")]
    private static partial Regex ShownStringProperty();
}
