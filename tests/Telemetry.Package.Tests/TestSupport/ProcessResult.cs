using System.Text;

namespace Telemetry.Package.Tests.TestSupport;

/// <summary>What a finished (or killed) child process did; <see cref="ToString"/> is the text assertion messages show.</summary>
internal sealed record ProcessResult(
    string CommandLine,
    string WorkingDirectory,
    int ExitCode,
    bool TimedOut,
    TimeSpan Duration,
    string StandardOutput,
    string StandardError)
{
    /// <summary>Standard output followed by standard error.</summary>
    public string Output => StandardOutput + Environment.NewLine + StandardError;

    /// <summary><see cref="Output"/> with backslashes turned into slashes, so paths compare the same on every OS.</summary>
    public string NormalizedOutput => Output.Replace('\\', '/');

    public bool Succeeded => !TimedOut && ExitCode == 0;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("> ").AppendLine(CommandLine);
        text.Append("  in ").AppendLine(WorkingDirectory);
        text.Append("  ").Append(TimedOut ? "TIMED OUT and killed" : "exit code " + ExitCode).Append(" after ").Append(Duration.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).AppendLine(" s");
        text.AppendLine("--- stdout ---").AppendLine(StandardOutput.TrimEnd());
        text.AppendLine("--- stderr ---").AppendLine(StandardError.TrimEnd());
        return text.ToString();
    }
}
