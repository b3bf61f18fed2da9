using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// Writes each event as one JSON line (our wire object, renamed only if a mapping is set) to a
/// <see cref="TextWriter"/>, standard output by default. For development, tests and piping into tools.
/// </summary>
public sealed class ConsoleSink : ITelemetrySink
{
    private readonly TextWriter _output;
    private readonly SinkEventMapping _mapping;
    private readonly object _gate = new();

    /// <summary>Creates a sink writing to <paramref name="output"/> or <see cref="Console.Out"/>.</summary>
    /// <param name="output">Where lines go; not disposed by the sink.</param>
    /// <param name="options">Mapping; validated here and copied.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ConsoleSink(TextWriter? output = null, ConsoleSinkOptions? options = null)
    {
        _output = output ?? Console.Out;
        options ??= new ConsoleSinkOptions();
        options.Validate();
        _mapping = new SinkEventMapping(options);
    }

    /// <inheritdoc/>
    public string Name => "console";

    /// <inheritdoc/>
    public int MaxBatchSize => 1000;

    /// <inheritdoc/>
    /// <remarks>True: the batch is read during the send only.</remarks>
    public bool ReadsBatchOnlyDuringSend => true;

    /// <inheritdoc/>
    public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        if (batch is null) throw new ArgumentNullException(nameof(batch));
        cancellationToken.ThrowIfCancellationRequested();
        var rejected = new List<RejectedEvent>();
        var lines = new StringBuilder();
        foreach (var e in batch)
        {
            var name = _mapping.EventName(e.Name);
            if (name is null) continue;
            if (_mapping.IsIdentity)
            {
                lines.Append(Encoding.UTF8.GetString(e.Json.Span)).Append('\n');
                continue;
            }

            using var wire = WireEvent.TryParse(e, out var error);
            if (wire is null)
            {
                rejected.Add(new RejectedEvent(e.EventId, error!));
                continue;
            }

            var buffer = new System.Buffers.ArrayBufferWriter<byte>(e.Json.Length + 16);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                wire.WriteMappedWireObject(writer, _mapping, name);
            }

            lines.Append(Encoding.UTF8.GetString(buffer.WrittenSpan)).Append('\n');
        }

        try
        {
            lock (_gate)
            {
                _output.Write(lines.ToString());
                _output.Flush();
            }
        }
        catch (IOException ex)
        {
            return new ValueTask<SinkResult>(SinkHttp.Result(SinkOutcome.RetryLater, rejected, "could not write: " + ex.Message));
        }

        return new ValueTask<SinkResult>(rejected.Count == 0 ? SinkResult.Success : SinkHttp.Result(SinkOutcome.Delivered, rejected, null));
    }
}
