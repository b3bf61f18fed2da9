using System.IO;

namespace Telemetry.Catalog.Tool.Cli;

/// <summary>
/// Where a run of the tool reads and writes: the process console in production, string writers and a
/// chosen folder in tests (so tests run in parallel without touching the process's current directory).
/// </summary>
/// <param name="Out">Reports and results.</param>
/// <param name="Error">Error messages.</param>
/// <param name="WorkingDirectory">Relative paths are resolved against it and printed relative to it.</param>
/// <param name="Color">Use ANSI colours (stdout is a terminal and NO_COLOR is unset).</param>
internal sealed record ToolContext(TextWriter Out, TextWriter Error, string WorkingDirectory, bool Color);
