using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The background serialisation stage: turns a captured event into the flat JSON wire object
/// (envelope, then the generated properties), scrubs every string of the properties for personal data, and stamps
/// the UUIDv7 event id. Runs on the pipeline's background thread only; reuses its buffers, the events' bytes included:
/// those are valid until <see cref="ReleaseOutput"/>.
/// </summary>
/// <remarks>
/// The envelope is ours (catalog name, ids, timestamp, identity scrubbed once), so only the properties are written
/// into a separate buffer and scanned (not even read again when everything in them was written by a generated
/// <see cref="EventPropertyWriter"/> and no string can hold personal data: <see cref="PropertyWriteCheck"/>); the event is then assembled from the envelope's bytes and theirs, byte for byte
/// what one writer would have written. The envelope fields after the timestamp are the same for every event of one
/// identity, sampling rate and schema version: they are written once and copied after.
/// </remarks>
internal sealed class EventSerializer
{
    private const int MaxCachedTails = 256;

    private readonly ArrayBufferWriter<byte> _head = new(256);
    private readonly ArrayBufferWriter<byte> _properties = new(1024);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private readonly Utf8JsonWriter _writer;
    private readonly Utf8JsonWriter _propertiesWriter;
    private readonly JsonPersonalDataScrubber _scrubber;
    private readonly EventIdGenerator _ids;
    private readonly JsonEncodedText _clientVersion;
    private readonly int _maxEventBytes;
    private readonly Func<ClientIdentity, bool> _isAllowed;
    private readonly PipelineCounters _counters;
    private readonly ILogger _logger;
    private readonly Dictionary<TailKey, byte[]> _tails = new();
    private readonly PayloadArena _output = new();
    private readonly PropertyWriteCheck _check = new();
    private TailKey _lastTailKey;
    private byte[]? _lastTail;

    public EventSerializer(EventIdGenerator ids, string clientVersion, int maxEventBytes, Func<ClientIdentity, bool> isAllowed, PipelineCounters counters, ILogger logger, IEnumerable<string>? redactFields = null)
    {
        _scrubber = new JsonPersonalDataScrubber(PersonalDataScrubber.Default, redactFields);
        _ids = ids;
        _clientVersion = JsonEncodedText.Encode(PersonalDataScrubber.Default.Scrub(clientVersion));
        _maxEventBytes = maxEventBytes;
        _isAllowed = isAllowed;
        _counters = counters;
        _logger = logger;
        _writer = new Utf8JsonWriter(_head);
        _propertiesWriter = new Utf8JsonWriter(_properties);
    }

    /// <summary>Strings replaced by the scrubber so far.</summary>
    public long ScrubbedStrings { get; private set; }

    /// <summary>Events whose properties the scrubber read again (not all written by <see cref="EventPropertyWriter"/>, or a string the pre-check flagged).</summary>
    public long FullScans { get; private set; }

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
        Memory<byte> json;
        try
        {
            // The properties, as one object, scrubbed: {"a":1,"b":"x"} (or {}).
            _properties.ResetWrittenCount();
            _propertiesWriter.Reset(_properties);
            _propertiesWriter.WriteStartObject();
            _check.Begin(_propertiesWriter);
            captured.Value.WriteProperties(_propertiesWriter);
            var clean = _check.End(_propertiesWriter);
            _propertiesWriter.WriteEndObject();
            _propertiesWriter.Flush();
            var properties = _properties.WrittenSpan;
            if (!clean || _scrubber.RedactsFields)
            {
                FullScans++;
                properties = _scrubber.ScrubToSpan(properties, trustedLeadingProperties: 0, descriptor, out var replaced);
                ScrubbedStrings += replaced;
            }

            // The envelope's head, left open: {"event":"…","event_id":"…","timestamp":"…"
            _head.ResetWrittenCount();
            _writer.Reset(_head);
            _writer.WriteStartObject();
            EnvelopeWriter.WriteHead(_writer, descriptor, eventId, timestamp);
            _writer.Flush();
            var head = _head.WrittenSpan;
            var tail = TailOf(identity, captured.SamplingRate, descriptor);

            // head + tail (",\"session_id\":…") + the properties without their "{" ("," before them, unless there are none).
            var body = properties.Length > 2 ? properties.Length : 1;
            var length = head.Length + tail.Length + body;
            if (length > _maxEventBytes)
            {
                _counters.AddDropped(DropReason.TooLarge, descriptor.Tier);
                Log.EventTooLarge(_logger, descriptor.Name, length, "pipeline");
                return;
            }

            json = _output.Allocate(length);
            var span = json.Span;
            head.CopyTo(span);
            tail.CopyTo(span[head.Length..]);
            var at = head.Length + tail.Length;
            if (properties.Length > 2)
            {
                span[at] = (byte)',';
                properties[1..].CopyTo(span[(at + 1)..]);
            }
            else
            {
                span[at] = (byte)'}';
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or JsonException or FormatException)
        {
            _counters.AddDropped(DropReason.SerializationError, descriptor.Tier);
            Log.SerializationFailed(_logger, ex, descriptor.Name);
            return;
        }

        var outgoing = new OutgoingEvent(eventId, descriptor.Name, descriptor.Tier, timestamp, identity.WireUserId, identity.WireAnonymousId, json);
        output.Add(new QueuedEvent(outgoing, identity.SubjectKey));
    }

    /// <summary>
    /// Makes the memory of every event serialised so far free for the next ones: called once the queue has copied them.
    /// </summary>
    public void ReleaseOutput() => _output.Reset();

    /// <summary>
    /// The envelope fields after the timestamp, with their leading comma, as <see cref="EnvelopeWriter.WriteTail"/> writes
    /// them for this identity, rate and schema version: written once, then copied.
    /// </summary>
    private ReadOnlySpan<byte> TailOf(ClientIdentity identity, double samplingRate, EventDescriptor descriptor)
    {
        var key = new TailKey(identity, samplingRate, descriptor.Version);
        if (_lastTail is not null && key.Equals(_lastTailKey)) return _lastTail;
        if (!_tails.TryGetValue(key, out var tail))
        {
            // Written as the rest of an object whose first field is already there: the writer puts the comma first.
            _scratch.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_scratch))
            {
                writer.WriteStartObject();
                writer.WriteNull("x"u8);
                var start = (int)(writer.BytesCommitted + writer.BytesPending);
                EnvelopeWriter.WriteTail(writer, descriptor, identity.SessionId, identity.Bucket, samplingRate, _clientVersion, identity.WireUserId, identity.WireAnonymousId);
                writer.Flush();
                tail = _scratch.WrittenSpan[start..].ToArray();
            }

            // Identities change (sign-in, sign-out, erasure): bounded, so old ones do not pile up.
            if (_tails.Count >= MaxCachedTails) _tails.Clear();
            _tails[key] = tail;
        }

        _lastTailKey = key;
        _lastTail = tail;
        return tail;
    }

    private readonly record struct TailKey(ClientIdentity Identity, double SamplingRate, int SchemaVersion);
}
