using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// Runs <see cref="PersonalDataScrubber"/> over every string value of a serialised event, and replaces the
/// values of properties named in <see cref="TelemetryOptions.RedactFields"/> (at any depth) whatever they
/// hold. The common case (nothing found) is one forward read and a copy; only an event with a hit is rewritten.
/// </summary>
internal sealed class JsonPersonalDataScrubber
{
    private readonly PersonalDataScrubber _scrubber;
    private readonly byte[][] _redactFields;
    private readonly ArrayBufferWriter<byte> _output = new(1024);

    // One entry per scalar value (string, number, true, false, null) in document order: null keeps it.
    private readonly List<Replacement?> _replacements = new();
    private Utf8JsonWriter? _writer;

    public JsonPersonalDataScrubber(PersonalDataScrubber scrubber, IEnumerable<string>? redactFields = null)
    {
        _scrubber = scrubber;
        var fields = new List<byte[]>();
        if (redactFields is not null)
        {
            foreach (var field in redactFields)
            {
                if (string.IsNullOrWhiteSpace(field)) continue;
                fields.Add(Encoding.UTF8.GetBytes(NormalizeFieldName(field)));
            }
        }

        _redactFields = fields.ToArray();
    }

    /// <summary>Whether fields are named for redaction: then every event is read, whatever its values.</summary>
    public bool RedactsFields => _redactFields.Length > 0;

    /// <summary>
    /// A property name as <see cref="TelemetryOptions.RedactFields"/> compares it: ASCII letters lower-cased,
    /// <c>_</c>, <c>-</c> and <c>.</c> removed, so <c>apiKey</c>, <c>api_key</c> and <c>API-KEY</c> are one field.
    /// </summary>
    public static string NormalizeFieldName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
        {
            if (c is '_' or '-' or '.') continue;
            builder.Append(c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c);
        }

        return builder.ToString();
    }

    /// <summary>The scrubbed copy of <paramref name="json"/>; <paramref name="replaced"/> counts values that changed.</summary>
    /// <param name="json">One JSON object.</param>
    /// <param name="trustedLeadingProperties">
    /// How many top-level properties at the start are the pipeline's own envelope (ids, timestamp,
    /// already-scrubbed identity): their values are not scanned again.
    /// </param>
    /// <param name="replaced">Values that changed.</param>
    public byte[] Scrub(ReadOnlySpan<byte> json, int trustedLeadingProperties, out int replaced) => Scrub(json, trustedLeadingProperties, null, out replaced);

    /// <summary>
    /// The scrubbed copy of <paramref name="json"/>, the serialised <paramref name="descriptor"/> event: top-level
    /// properties the catalog types as <c>enum</c>, <c>uuid</c> or <c>timestamp</c> are not scanned (the generated struct
    /// writes them from a C# enum, a <see cref="Guid"/> or a <see cref="DateTimeOffset"/>: they cannot hold free text).
    /// </summary>
    public byte[] Scrub(ReadOnlySpan<byte> json, int trustedLeadingProperties, EventDescriptor? descriptor, out int replaced) =>
        ScrubToSpan(json, trustedLeadingProperties, descriptor, out replaced).ToArray();

    /// <summary>
    /// <see cref="Scrub(ReadOnlySpan{byte}, int, EventDescriptor?, out int)"/> without a copy: <paramref name="json"/> itself
    /// when nothing changed, else this scrubber's own buffer (valid until its next call).
    /// </summary>
    public ReadOnlySpan<byte> ScrubToSpan(ReadOnlySpan<byte> json, int trustedLeadingProperties, EventDescriptor? descriptor, out int replaced)
    {
        replaced = 0;
        _replacements.Clear();
        var typed = descriptor is null ? Array.Empty<byte[]>() : TypedProperties(descriptor);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var topLevelProperties = 0;
        var redactNext = false;
        var redactDepth = -1;
        var typedValue = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    typedValue = false;
                    if (reader.CurrentDepth == 1)
                    {
                        topLevelProperties++;
                        if (typed.Length > 0 && !reader.ValueIsEscaped && topLevelProperties > trustedLeadingProperties) typedValue = IsOneOf(reader.ValueSpan, typed);
                    }

                    redactNext = redactDepth < 0 && _redactFields.Length > 0
                        && !(topLevelProperties <= trustedLeadingProperties && reader.CurrentDepth == 1)
                        && IsRedactedField(reader.ValueSpan, reader.ValueIsEscaped);
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (redactNext && redactDepth < 0) redactDepth = reader.CurrentDepth;
                    redactNext = false;
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (redactDepth == reader.CurrentDepth) redactDepth = -1;
                    continue;
                case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    break;
                default:
                    continue;
            }

            if (redactNext || redactDepth >= 0)
            {
                redactNext = false;
                var redacted = reader.TokenType == JsonTokenType.String ? Replacement.Redacted : Replacement.Null;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    _replacements.Add(null);
                }
                else
                {
                    _replacements.Add(redacted);
                    replaced++;
                }

                continue;
            }

            if (reader.TokenType != JsonTokenType.String
                || (reader.CurrentDepth == 1 && (topLevelProperties <= trustedLeadingProperties || typedValue))
                || !PersonalDataScrubber.MayContainPersonalData(reader.ValueSpan))
            {
                _replacements.Add(null);
                continue;
            }

            var value = reader.GetString()!;
            var scrubbed = _scrubber.Scrub(value);
            if (ReferenceEquals(scrubbed, value))
            {
                _replacements.Add(null);
            }
            else
            {
                _replacements.Add(new Replacement(scrubbed));
                replaced++;
            }
        }

        if (replaced == 0) return json;
        return Rewrite(json);
    }

    // Per event type (background thread of one serialiser): UTF-8 names of the properties typed enum, uuid or timestamp.
    private readonly Dictionary<EventDescriptor, byte[][]> _typed = new(ReferenceEqualityComparer.Instance);

    private byte[][] TypedProperties(EventDescriptor descriptor)
    {
        if (_typed.TryGetValue(descriptor, out var names)) return names;
        var list = new List<byte[]>();
        foreach (var property in descriptor.Properties)
        {
            if (property.Type is "enum" or "uuid" or "timestamp") list.Add(Encoding.UTF8.GetBytes(property.Name));
        }

        names = list.ToArray();
        _typed[descriptor] = names;
        return names;
    }

    private static bool IsOneOf(ReadOnlySpan<byte> name, byte[][] names)
    {
        foreach (var candidate in names)
        {
            if (name.SequenceEqual(candidate)) return true;
        }

        return false;
    }

    private bool IsRedactedField(ReadOnlySpan<byte> name, bool escaped)
    {
        if (escaped)
        {
            // Rare: compare the unescaped name.
            var text = Encoding.UTF8.GetBytes(NormalizeFieldName(JsonEncodedTextUnescape(name)));
            foreach (var field in _redactFields)
            {
                if (text.AsSpan().SequenceEqual(field)) return true;
            }

            return false;
        }

        foreach (var field in _redactFields)
        {
            var k = 0;
            var match = true;
            foreach (var b in name)
            {
                if (b is (byte)'_' or (byte)'-' or (byte)'.') continue;
                var lower = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
                if (k >= field.Length || field[k] != lower)
                {
                    match = false;
                    break;
                }

                k++;
            }

            if (match && k == field.Length) return true;
        }

        return false;
    }

    private static string JsonEncodedTextUnescape(ReadOnlySpan<byte> escapedName)
    {
        var quoted = new byte[escapedName.Length + 2];
        quoted[0] = (byte)'"';
        escapedName.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString() ?? string.Empty;
    }

    private ReadOnlySpan<byte> Rewrite(ReadOnlySpan<byte> json)
    {
        _output.ResetWrittenCount();
        if (_writer is null) _writer = new Utf8JsonWriter(_output);
        else _writer.Reset(_output);
        var writer = _writer;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var scalarIndex = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    writer.WritePropertyName(reader.GetString()!);
                    break;
                case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    var replacement = _replacements[scalarIndex++];
                    if (replacement is { } r)
                    {
                        if (r.Value is null) writer.WriteNullValue();
                        else writer.WriteStringValue(r.Value);
                    }
                    else
                    {
                        WriteOriginal(writer, ref reader);
                    }

                    break;
            }
        }

        writer.Flush();
        return _output.WrittenSpan;
    }

    private static void WriteOriginal(Utf8JsonWriter writer, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                writer.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>What replaces a scalar: a string, or JSON null (<see cref="Value"/> null).</summary>
    private sealed record Replacement(string? Value)
    {
        public static readonly Replacement Redacted = new(PersonalData.RedactedMarker);
        public static readonly Replacement Null = new((string?)null);
    }
}
