namespace Telemetry.Package.Tests.TestSupport;

/// <summary>Assertions on a <see cref="ProcessResult"/> whose failure messages carry the command's whole output.</summary>
internal static class ProcessAssert
{
    /// <summary>
    /// What a generator or analyzer that failed to load or crashed looks like in build output: CS8784/CS8785
    /// (generator failed to initialize / to run, e.g. FileNotFoundException for YamlDotNet when a dependency
    /// is not packed), CS8032 (analyzer assembly could not be loaded), AD0001 (analyzer threw).
    /// </summary>
    private static readonly string[] AnalyzerFailures = { "CS8784", "CS8785", "CS8032", "AD0001", "FileNotFoundException", "FileLoadException" };

    public static void Succeeded(ProcessResult result)
    {
        Assert.True(result.Succeeded, "Expected the command to succeed." + Environment.NewLine + result);
        NoAnalyzerFailures(result);
    }

    public static void Failed(ProcessResult result)
    {
        Assert.False(result.TimedOut, "The command timed out." + Environment.NewLine + result);
        Assert.True(result.ExitCode != 0, "Expected the command to fail." + Environment.NewLine + result);
        NoAnalyzerFailures(result);
    }

    /// <summary>The output contains <paramref name="expected"/> (paths compared with '/' separators).</summary>
    public static void OutputContains(ProcessResult result, string expected) =>
        Assert.True(result.NormalizedOutput.Contains(expected, StringComparison.Ordinal), $"Expected the output to contain \"{expected}\"." + Environment.NewLine + result);

    public static void OutputDoesNotContain(ProcessResult result, string unexpected) =>
        Assert.False(result.NormalizedOutput.Contains(unexpected, StringComparison.Ordinal), $"Expected the output not to contain \"{unexpected}\"." + Environment.NewLine + result);

    public static void NoAnalyzerFailures(ProcessResult result)
    {
        foreach (var failure in AnalyzerFailures) OutputDoesNotContain(result, failure);
    }
}
