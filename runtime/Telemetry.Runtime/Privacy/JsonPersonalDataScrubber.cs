using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// Runs <see cref="PersonalDataScrubber"/> over every string value of a serialised event. The common
/// case (nothing found) is one forward read and a copy; only an event with a hit is rewritten.
/// </summary>
internal sealed class JsonPersonalDataScrubber
{
    private readonly PersonalDataScrubber _scrubber;
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly List<string?> _replacements = new();
    private Utf8JsonWriter? _writer;

    public JsonPersonalDataScrubber(PersonalDataScrubber scrubber) => _scrubber = scrubber;

    /// <summary>The scrubbed copy of <paramref name="json"/>; <paramref name="replaced"/> counts strings that changed.</summary>
    /// <param name="json">One JSON object.</param>
    /// <param name="trustedLeadingProperties">
    /// How many top-level properties at the start are the pipeline's own envelope (ids, timestamp,
    /// already-scrubbed identity): their values are not scanned again.
    /// </param>
    /// <param name="replaced">Strings that changed.</param>
    public byte[] Scrub(ReadOnlySpan<byte> json, int trustedLeadingProperties, out int replaced)
    {
        replaced = 0;
        _replacements.Clear();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var topLevelProperties = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1) topLevelProperties++;
            if (reader.TokenType != JsonTokenType.String) continue;
            var raw = reader.ValueSpan;
            if (topLevelProperties <= trustedLeadingProperties && reader.CurrentDepth == 1)
            {
                _replacements.Add(null);
                continue;
            }

            if (!PersonalDataScrubber.MayContainPersonalData(raw))
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
                _replacements.Add(scrubbed);
                replaced++;
            }
        }

        if (replaced == 0) return json.ToArray();
        return Rewrite(json);
    }

    private byte[] Rewrite(ReadOnlySpan<byte> json)
    {
        _output.ResetWrittenCount();
        if (_writer is null) _writer = new Utf8JsonWriter(_output);
        else _writer.Reset(_output);
        var writer = _writer;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var stringIndex = 0;
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
                case JsonTokenType.String:
                    var replacement = _replacements[stringIndex++];
                    if (replacement is null) writer.WriteStringValue(reader.GetString());
                    else writer.WriteStringValue(replacement);
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
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
            }
        }

        writer.Flush();
        return _output.WrittenSpan.ToArray();
    }
}
