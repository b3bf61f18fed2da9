namespace Telemetry.Catalog.Tool.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Done, no errors.</summary>
    public const int Ok = 0;

    /// <summary>The catalog has errors (or warnings under --warnings-as-errors), or a check failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad command line, or a file or folder that cannot be read or written.</summary>
    public const int UsageOrIo = 2;
}
