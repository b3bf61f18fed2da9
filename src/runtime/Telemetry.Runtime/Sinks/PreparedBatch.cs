using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// Writes one event in a provider's format; returns null on success or the reason the event can never be
/// sent (it is then rejected locally, without a request).
/// </summary>
internal delegate string? ProviderEventWriter(WireEvent wire, string eventName, Utf8JsonWriter writer, out string? userId, out string? deviceId);

/// <summary>
/// A batch translated event by event into a provider's format: the events to send, the ones rejected
/// locally (malformed, oversize, invalid ids) and the ones the sink's mapping dropped.
/// </summary>
internal sealed class PreparedBatch
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    private PreparedBatch()
    {
    }

    /// <summary>Events to send, in batch order.</summary>
    public List<PreparedEvent> Events { get; } = new();

    /// <summary>Events that can never be sent, with reasons.</summary>
    public List<RejectedEvent> Rejected { get; } = new();

    /// <summary>Events the mapping dropped for this sink (they count as delivered).</summary>
    public int Dropped { get; private set; }

    /// <summary>
    /// The first steps of every HTTP sink's send: argument and cancellation checks, the provider's events-per-request
    /// limit, and the translation. Returns the answer to give without a request (empty batch, too many events, nothing
    /// left to send), or null with <paramref name="prepared"/> ready to send. <paramref name="limitText"/> names the
    /// limit in the too-many answer (e.g. <c>Segment's 2500</c>).
    /// </summary>
    public static SinkResult? Start(
        IReadOnlyList<OutgoingEvent> batch,
        int maxEventsPerRequest,
        string limitText,
        SinkEventMapping mapping,
        int maxEventBytes,
        ProviderEventWriter write,
        CancellationToken cancellationToken,
        out PreparedBatch prepared)
    {
        if (batch is null) throw new ArgumentNullException(nameof(batch));
        cancellationToken.ThrowIfCancellationRequested();
        prepared = null!;
        if (batch.Count == 0) return SinkResult.Success;
        if (batch.Count > maxEventsPerRequest)
        {
            return new SinkResult(SinkOutcome.TooLarge, Detail: $"{batch.Count} events exceed {limitText} per request");
        }

        prepared = Create(batch, mapping, maxEventBytes, write);
        return prepared.Events.Count == 0 ? SinkHttp.Result(SinkOutcome.Delivered, prepared.Rejected, "nothing to send") : null;
    }

    /// <summary>Translates <paramref name="batch"/>; events over <paramref name="maxEventBytes"/> are rejected.</summary>
    public static PreparedBatch Create(IReadOnlyList<OutgoingEvent> batch, SinkEventMapping mapping, int maxEventBytes, ProviderEventWriter write)
    {
        var prepared = new PreparedBatch();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        foreach (var outgoing in batch)
        {
            var eventName = mapping.EventName(outgoing.Name);
            if (eventName is null)
            {
                prepared.Dropped++;
                continue;
            }

            using var wire = WireEvent.TryParse(outgoing, out var parseError);
            if (wire is null)
            {
                prepared.Rejected.Add(new RejectedEvent(outgoing.EventId, parseError!));
                continue;
            }

            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            string? reason;
            string? userId;
            string? deviceId;
            try
            {
                reason = write(wire, eventName, writer, out userId, out deviceId);
                writer.Flush();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                // Utf8JsonWriter refuses invalid output (e.g. a lone surrogate in a mapped name or an id).
                reason = "could not write the event: " + ex.Message;
                userId = deviceId = null;
            }

            if (reason is null && buffer.WrittenCount > maxEventBytes)
            {
                reason = $"event is {buffer.WrittenCount} bytes, over the provider's {maxEventBytes}-byte limit per event";
            }

            if (reason is not null)
            {
                prepared.Rejected.Add(new RejectedEvent(outgoing.EventId, reason));
                continue;
            }

            prepared.Events.Add(new PreparedEvent(outgoing, buffer.WrittenSpan.ToArray(), userId, deviceId));
        }

        return prepared;
    }

    /// <summary>Writes the prepared events' JSON as the elements of the array the writer is inside.</summary>
    public static void WriteEvents(Utf8JsonWriter writer, IReadOnlyList<PreparedEvent> events)
    {
        foreach (var e in events) writer.WriteRawValue(e.Json, skipInputValidation: true);
    }

    /// <summary>Builds a request body with <paramref name="write"/>.</summary>
    public static ReadOnlyMemory<byte> Body(int sizeHint, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, sizeHint));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Sum of the prepared events' JSON sizes plus separators (a body size estimate).</summary>
    public static int SizeOf(IReadOnlyList<PreparedEvent> events)
    {
        var total = 0;
        foreach (var e in events) total += e.Json.Length + 1;
        return total;
    }
}
