using System;

namespace Telemetry.Catalog.Tool.Cli;

/// <summary>A problem the user can fix (missing folder, unwritable output): printed as one line, exit code 2.</summary>
internal sealed class ToolException : Exception
{
    public ToolException(string message)
        : base(message)
    {
    }

    public ToolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
