namespace Telemetry.Catalog.Tool.Tests.TestSupport;

/// <summary>
/// Checked-in expected outputs under <c>Golden/</c>. Set <c>TELEMETRY_UPDATE_GOLDEN=1</c> to rewrite them from the
/// current output (then review the diff before committing).
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("TELEMETRY_UPDATE_GOLDEN") == "1";

    public static void Match(string relativePath, string actual)
    {
        var path = Path.Combine(RepoPaths.Golden, relativePath);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"Golden file {relativePath} is missing; run the tests with TELEMETRY_UPDATE_GOLDEN=1 to create it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
        {
            Assert.Fail($"Output differs from Golden/{relativePath} (first difference at line {FirstDifferentLine(expected, actual)}); " +
                $"if the change is intended, rerun with TELEMETRY_UPDATE_GOLDEN=1 and review the diff.\n--- expected\n{expected}\n--- actual\n{actual}");
        }
    }

    /// <summary>Every file of <paramref name="actualFolder"/> against <c>Golden/<paramref name="goldenFolder"/></c>, and no file missing on either side.</summary>
    public static void MatchFolder(string goldenFolder, string actualFolder)
    {
        var actual = Directory.GetFiles(actualFolder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var golden = Path.Combine(RepoPaths.Golden, goldenFolder);
        if (Updating && Directory.Exists(golden))
        {
            foreach (var stale in Directory.GetFiles(golden)) File.Delete(stale);
        }

        foreach (var name in actual) Match(Path.Combine(goldenFolder, name!), File.ReadAllText(Path.Combine(actualFolder, name!)));
        var expected = Directory.GetFiles(golden).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
        {
            if (e[i] != a[i]) return i + 1;
        }

        return Math.Min(e.Length, a.Length) + 1;
    }
}
