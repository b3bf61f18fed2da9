namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>
/// Checked-in baselines of generated code: <c>Snapshots/&lt;case&gt;/&lt;Hint&gt;.generated.txt</c>, one file per
/// generated source (hint <c>Settings.g.cs</c> is stored as <c>Settings.generated.txt</c>), compared exactly.
/// <para>
/// After an intended change to the generated code, rewrite them with
/// <c>TELEMETRY_UPDATE_SNAPSHOTS=1 dotnet test tests/Telemetry.Generators.Tests</c> and review the diff.
/// </para>
/// </summary>
internal static class Snapshots
{
    public const string UpdateVariable = "TELEMETRY_UPDATE_SNAPSHOTS";

    private const string Suffix = ".generated.txt";

    /// <summary>True when the run should rewrite baselines instead of comparing against them.</summary>
    public static bool Update => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    public static string Folder(string caseName) => Path.Combine(RepoPaths.Snapshots, caseName);

    /// <summary>The baselines of <paramref name="caseName"/> by hint name; empty when none were written yet.</summary>
    public static IReadOnlyDictionary<string, string> Read(string caseName)
    {
        var folder = Folder(caseName);
        if (!Directory.Exists(folder)) return new Dictionary<string, string>();
        return Directory.GetFiles(folder, "*" + Suffix)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(
                f => Path.GetFileName(f)[..^Suffix.Length] + ".g.cs",
                // Normalise line endings in case a checkout converted them.
                f => File.ReadAllText(f).Replace("\r\n", "\n"),
                StringComparer.Ordinal);
    }

    /// <summary>Replaces the baselines of <paramref name="caseName"/> with <paramref name="sources"/> (hint name -> text).</summary>
    public static void Write(string caseName, IReadOnlyDictionary<string, string> sources)
    {
        var folder = Folder(caseName);
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.GetFiles(folder, "*" + Suffix)) File.Delete(stale);
        foreach (var (hint, text) in sources)
        {
            if (!hint.EndsWith(".g.cs", StringComparison.Ordinal)) throw new InvalidOperationException("Unexpected hint name " + hint);
            File.WriteAllText(Path.Combine(folder, hint[..^".g.cs".Length] + Suffix), text);
        }
    }
}
