using System;
using System.IO;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>Writes each event as one JSON line to a <see cref="TextWriter"/> (standard output by default).</summary>
public sealed class ConsoleTelemetryClient : JsonTelemetryClient
{
    private readonly TextWriter _output;

    /// <summary>Creates a client writing to <paramref name="output"/> or <see cref="Console.Out"/>.</summary>
    public ConsoleTelemetryClient(TelemetryClientOptions? options = null, TextWriter? output = null)
        : base(options) => _output = output ?? Console.Out;

    /// <inheritdoc/>
    protected override void Write(EventDescriptor descriptor, ReadOnlySpan<byte> json) => _output.WriteLine(Encoding.UTF8.GetString(json));
}
