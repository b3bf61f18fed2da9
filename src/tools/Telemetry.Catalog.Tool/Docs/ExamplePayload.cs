using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Output;
using Telemetry.Catalog.Tool.Shared;
using Telemetry.Wire;

namespace Telemetry.Catalog.Tool.Docs;

/// <summary>
/// An example of an event as it goes over the wire: the envelope plus the properties after their PII treatment,
/// built from the catalog's examples. Properties without an example get a value that meets their constraints;
/// optional ones without an example are left out, as the client leaves out absent values. The result is valid
/// against the event's JSON Schema (<see cref="Telemetry.Catalog.Schema.EventJsonSchema"/>).
/// </summary>
internal static class ExamplePayload
{
    // Fixed envelope values, so generated pages do not change from run to run.
    public const string EventId = "0193a5e1-6c2f-7b8d-9e01-4a5b6c7d8e9f";
    public const string Timestamp = "2025-11-10T12:00:00Z";
    public const string SessionId = "550e8400-e29b-41d4-a716-446655440000";
    public const int UserBucket = 734;
    public const string ClientVersion = "1.4.0";
    public const string RedactedMarker = "[REDACTED]";

    private const string DefaultUuid = "0193a5b2-7c1e-7d4a-9f3b-2e8c1a6d4f10";
    private const int DefaultAggregateCount = 100;
    private static readonly string[] StringCandidates = { "example", "BTC/USDT", "abc", "ABC", "a", "A", "1", "x" };

    /// <param name="spec">The event.</param>
    /// <param name="source">For a derived aggregate event, its source event (for the window length).</param>
    public static string Write(EventSpec spec, EventSpec? source) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString(EnvelopeFields.Event, spec.Name);
        w.WriteString(EnvelopeFields.EventId, EventId);
        w.WriteString(EnvelopeFields.Timestamp, Timestamp);
        w.WriteString(EnvelopeFields.SessionId, SessionId);
        w.WriteNumber(EnvelopeFields.UserBucket, UserBucket);
        w.WriteNumber(EnvelopeFields.SamplingRate, (decimal)EventWire.Sampling(spec));
        w.WriteString(EnvelopeFields.ClientVersion, ClientVersion);
        w.WriteNumber(EnvelopeFields.SchemaVersion, spec.Version);
        foreach (var p in spec.Properties) WriteProperty(w, spec, source, p);
        w.WriteEndObject();
    });

    private static void WriteProperty(Utf8JsonWriter w, EventSpec spec, EventSpec? source, PropertySpec p)
    {
        if (!p.IsSent) return;
        var example = p.Examples.IsEmpty ? null : p.Examples[0];
        var derivedValue = DerivedAggregateValue(spec, source, p);
        if (!p.Required && example is null && derivedValue is null) return;
        if (p.Pii is not null && p.Treatment != PiiTreatment.None)
        {
            var raw = example ?? p.Name;
            switch (p.Treatment)
            {
                case PiiTreatment.Length:
                    w.WriteNumber(p.WireName, raw.Length);
                    return;
                case PiiTreatment.Hash:
                    // Illustrative: the client sends a keyed HMAC-SHA256; the shape (64 hex digits) is what matters here.
                    w.WriteString(p.WireName, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))));
                    return;
                case PiiTreatment.Redact:
                    w.WriteString(p.WireName, RedactedMarker);
                    return;
            }
        }

        w.WritePropertyName(p.WireName);
        if (derivedValue is { } d)
        {
            w.WriteNumberValue(d);
            return;
        }

        if (p.Type == PropertyType.Array)
        {
            var itemType = p.ItemType ?? PropertyType.String;
            List<string?> items = p.Examples.IsEmpty ? new List<string?> { null } : p.Examples.Select(e => (string?)e).ToList();
            if (p.MaxItems is { } maxItems && items.Count > maxItems) items = items.Take(maxItems).ToList();
            w.WriteStartArray();
            foreach (var item in items) WriteScalar(w, p, itemType, item);
            w.WriteEndArray();
            return;
        }

        WriteScalar(w, p, p.Type, example);
    }

    /// <summary><c>window_ms</c> and <c>count</c> of a derived aggregate event have no catalog example: use the window and a plausible count.</summary>
    private static long? DerivedAggregateValue(EventSpec spec, EventSpec? source, PropertySpec p)
    {
        if (!spec.IsAggregate || source?.Aggregate is not { } aggregate) return null;
        if (!p.Examples.IsEmpty) return null;
        return p.Name switch
        {
            "window_ms" => aggregate.WindowMs,
            "count" => DefaultAggregateCount,
            _ => null,
        };
    }

    private static void WriteScalar(Utf8JsonWriter w, PropertySpec p, PropertyType type, string? example)
    {
        switch (type)
        {
            case PropertyType.Boolean:
                w.WriteBooleanValue(example is null || example == "true");
                break;
            case PropertyType.Int32:
            case PropertyType.Int64:
                w.WriteNumberValue(example is not null && long.TryParse(example, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : (long)InRange(p));
                break;
            case PropertyType.Double:
            case PropertyType.Decimal:
            case PropertyType.Duration:
                w.WriteNumberValue(example is not null && decimal.TryParse(example, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : (decimal)InRange(p));
                break;
            case PropertyType.Timestamp:
                w.WriteStringValue(example ?? Timestamp);
                break;
            case PropertyType.Uuid:
                w.WriteStringValue(example ?? DefaultUuid);
                break;
            case PropertyType.Enum:
                w.WriteStringValue(example ?? (p.EnumValues.IsEmpty ? string.Empty : p.EnumValues[0]));
                break;
            default:
                w.WriteStringValue(example ?? SomeString(p));
                break;
        }
    }

    /// <summary>A number within the property's bounds: 0 when allowed, else the nearest bound.</summary>
    private static double InRange(PropertySpec p)
    {
        var value = 0.0;
        if (p.Min is { } min && value < min) value = Math.Ceiling(min);
        if (p.Max is { } max && value > max) value = Math.Floor(max);
        return value;
    }

    private static string SomeString(PropertySpec p)
    {
        Regex? pattern = null;
        try
        {
            if (p.Pattern is not null) pattern = new Regex(p.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            pattern = null;
        }

        foreach (var candidate in StringCandidates)
        {
            if (p.MaxLength is { } maxLength && candidate.Length > maxLength) continue;
            if (pattern is null || pattern.IsMatch(candidate)) return candidate;
        }

        return "x";
    }
}
