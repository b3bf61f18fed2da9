using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The background serialisation stage: turns a captured event into the flat JSON wire object
/// (envelope, then the generated properties), scrubs every string for personal data, and stamps
/// the UUIDv7 event id. Runs on the pipeline's background thread only; reuses one buffer.
/// </summary>
internal sealed class EventSerializer
{

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly JsonPersonalDataScrubber _scrubber;
    private readonly EventIdGenerator _ids;
    private readonly JsonEncodedText _clientVersion;
    private readonly int _maxEventBytes;
    private readonly Func<ClientIdentity, bool> _isAllowed;
    private readonly PipelineCounters _counters;
    private readonly ILogger _logger;

    public EventSerializer(EventIdGenerator ids, string clientVersion, int maxEventBytes, Func<ClientIdentity, bool> isAllowed, PipelineCounters counters, ILogger logger, IEnumerable<string>? redactFields = null)
    {
        _scrubber = new JsonPersonalDataScrubber(PersonalDataScrubber.Default, redactFields);
        _ids = ids;
        _clientVersion = JsonEncodedText.Encode(PersonalDataScrubber.Default.Scrub(clientVersion));
        _maxEventBytes = maxEventBytes;
        _isAllowed = isAllowed;
        _counters = counters;
        _logger = logger;
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Strings replaced by the scrubber so far.</summary>
    public long ScrubbedStrings { get; private set; }

    public void Serialize<TEvent>(in CapturedEvent<TEvent> captured, List<QueuedEvent> output)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var descriptor = TEvent.Descriptor;
        var identity = captured.Identity;
        if (!_isAllowed(identity))
        {
            _counters.AddDropped(DropReason.Consent, descriptor.Tier);
            return;
        }

        var timestamp = new DateTimeOffset(captured.UtcTicks, TimeSpan.Zero);
        var eventId = _ids.Next(timestamp);
        byte[] json;
        try
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            _writer.WriteStartObject();
            EnvelopeWriter.Write(_writer, descriptor, eventId, timestamp, identity.SessionId, identity.Bucket, captured.SamplingRate,
                _clientVersion, identity.WireUserId, identity.WireAnonymousId);
            captured.Value.WriteProperties(_writer);
            _writer.WriteEndObject();
            _writer.Flush();
            // The envelope's strings are ours (catalog name, ids, timestamp) or were scrubbed once per identity.
            var envelopeProperties = Telemetry.Wire.EnvelopeFields.WrittenCount(userId: identity.WireUserId is not null, anonymousId: identity.WireAnonymousId is not null);
            json = _scrubber.Scrub(_buffer.WrittenSpan, envelopeProperties, descriptor, out var replaced);
            ScrubbedStrings += replaced;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or JsonException or FormatException)
        {
            _counters.AddDropped(DropReason.SerializationError, descriptor.Tier);
            Log.SerializationFailed(_logger, ex, descriptor.Name);
            return;
        }

        if (json.Length > _maxEventBytes)
        {
            _counters.AddDropped(DropReason.TooLarge, descriptor.Tier);
            Log.EventTooLarge(_logger, descriptor.Name, json.Length, "pipeline");
            return;
        }

        var outgoing = new OutgoingEvent(eventId, descriptor.Name, descriptor.Tier, timestamp, identity.WireUserId, identity.WireAnonymousId, json);
        output.Add(new QueuedEvent(outgoing, identity.SubjectKey));
    }
}
