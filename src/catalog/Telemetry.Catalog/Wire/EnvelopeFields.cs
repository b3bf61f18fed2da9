// The one list of envelope fields. This file is compiled into two assemblies, internal in both: the catalog library
// (the JSON Schema model, the reserved-name check, the docs, and the ingest server through InternalsVisibleTo) and
// Telemetry.Runtime (the envelope writer, the serialiser's trusted-field count, the sinks), so the writer of the wire
// object and the schema that validates it cannot disagree about its fields.
using System;
using System.Collections.Generic;

namespace Telemetry.Wire;

/// <summary>The JSON type of an envelope field's value.</summary>
internal enum EnvelopeJsonType
{
    /// <summary>A JSON string.</summary>
    String,
    /// <summary>A JSON number without a fraction.</summary>
    Integer,
    /// <summary>Any JSON number.</summary>
    Number,
}

/// <summary>The string format of an envelope field (JSON Schema <c>format</c>).</summary>
internal enum EnvelopeFormat
{
    /// <summary>No format.</summary>
    None,
    /// <summary>A canonical UUID.</summary>
    Uuid,
    /// <summary>An RFC 3339 date-time.</summary>
    DateTime,
}

/// <summary>A field value that depends on the event: its name, or at most its catalog version.</summary>
internal enum EnvelopeValueRule
{
    /// <summary>The value depends only on the field's own constraints.</summary>
    None,
    /// <summary>The value is the event's catalog name (JSON Schema <c>const</c>).</summary>
    EventName,
    /// <summary>The value is at most the event's catalog version (JSON Schema <c>maximum</c>).</summary>
    AtMostEventVersion,
}

/// <summary>One envelope field: its name, JSON type and constraints, and whether every event carries it.</summary>
internal sealed class EnvelopeField
{
    internal EnvelopeField(string name, EnvelopeJsonType type, bool alwaysWritten, bool required,
        EnvelopeFormat format = EnvelopeFormat.None, int? maxLength = null, double? minimum = null, double? maximum = null,
        EnvelopeValueRule rule = EnvelopeValueRule.None)
    {
        Name = name;
        Type = type;
        AlwaysWritten = alwaysWritten;
        Required = required;
        Format = format;
        MaxLength = maxLength;
        Minimum = minimum;
        Maximum = maximum;
        Rule = rule;
    }

    /// <summary>The field's name on the wire.</summary>
    public string Name { get; }

    /// <summary>The JSON type of its value.</summary>
    public EnvelopeJsonType Type { get; }

    /// <summary>True when the runtime writes it on every event; false for the optional identity fields.</summary>
    public bool AlwaysWritten { get; }

    /// <summary>
    /// True when the event's JSON Schema requires it. <c>event_id</c> and <c>session_id</c> are always written by the
    /// runtime but not required: the aggregate endpoint accepts events from other producers without them.
    /// </summary>
    public bool Required { get; }

    /// <summary>The string format, if any.</summary>
    public EnvelopeFormat Format { get; }

    /// <summary>The longest string accepted, if bounded.</summary>
    public int? MaxLength { get; }

    /// <summary>The smallest number accepted, if bounded.</summary>
    public double? Minimum { get; }

    /// <summary>The largest number accepted, if bounded independently of the event.</summary>
    public double? Maximum { get; }

    /// <summary>How the value depends on the event.</summary>
    public EnvelopeValueRule Rule { get; }
}

/// <summary>
/// The envelope fields every sent event carries next to its own properties (same flat JSON object), in wire order:
/// the fields every event carries, then the optional identity fields.
/// </summary>
internal static class EnvelopeFields
{
    /// <summary>The event's catalog name.</summary>
    public const string Event = "event";
    /// <summary>The event's UUIDv7 id.</summary>
    public const string EventId = "event_id";
    /// <summary>When the event happened (RFC 3339, UTC).</summary>
    public const string Timestamp = "timestamp";
    /// <summary>The session's id.</summary>
    public const string SessionId = "session_id";
    /// <summary>The user's sampling bucket (0..9999).</summary>
    public const string UserBucket = "user_bucket";
    /// <summary>The share of users who send this event.</summary>
    public const string SamplingRate = "sampling_rate";
    /// <summary>The app's version.</summary>
    public const string ClientVersion = "client_version";
    /// <summary>The event's catalog version.</summary>
    public const string SchemaVersion = "schema_version";
    /// <summary>The app's user id (pseudonymised), when set.</summary>
    public const string UserId = "user_id";
    /// <summary>The installation's anonymous id.</summary>
    public const string AnonymousId = "anonymous_id";

    /// <summary>The number of user buckets deterministic sampling hashes users into (<c>user_bucket</c> is 0 to one less).</summary>
    public const int UserBucketCount = 10_000;

    /// <summary>The smallest catalog version (<c>schema_version</c>).</summary>
    public const int FirstSchemaVersion = 1;

    /// <summary>Every envelope field, in wire order.</summary>
    public static IReadOnlyList<EnvelopeField> All { get; } = new[]
    {
        new EnvelopeField(Event, EnvelopeJsonType.String, alwaysWritten: true, required: true, rule: EnvelopeValueRule.EventName),
        new EnvelopeField(EventId, EnvelopeJsonType.String, alwaysWritten: true, required: false, format: EnvelopeFormat.Uuid),
        new EnvelopeField(Timestamp, EnvelopeJsonType.String, alwaysWritten: true, required: true, format: EnvelopeFormat.DateTime),
        new EnvelopeField(SessionId, EnvelopeJsonType.String, alwaysWritten: true, required: false, maxLength: 100),
        new EnvelopeField(UserBucket, EnvelopeJsonType.Integer, alwaysWritten: true, required: true, minimum: 0, maximum: UserBucketCount - 1),
        new EnvelopeField(SamplingRate, EnvelopeJsonType.Number, alwaysWritten: true, required: true, minimum: 0, maximum: 1),
        new EnvelopeField(ClientVersion, EnvelopeJsonType.String, alwaysWritten: true, required: true, maxLength: 64),
        new EnvelopeField(SchemaVersion, EnvelopeJsonType.Integer, alwaysWritten: true, required: true, minimum: FirstSchemaVersion, rule: EnvelopeValueRule.AtMostEventVersion),
        new EnvelopeField(UserId, EnvelopeJsonType.String, alwaysWritten: false, required: false, maxLength: 256),
        new EnvelopeField(AnonymousId, EnvelopeJsonType.String, alwaysWritten: false, required: false, maxLength: 256),
    };

    /// <summary>The number of fields the runtime writes on every event (the first ones of <see cref="All"/>).</summary>
    public static int AlwaysWrittenCount { get; } = CountAlwaysWritten();

    /// <summary>The number of envelope fields at the start of a wire object with or without the optional identity fields.</summary>
    public static int WrittenCount(bool userId, bool anonymousId) => AlwaysWrittenCount + (userId ? 1 : 0) + (anonymousId ? 1 : 0);

    /// <summary>True when <paramref name="name"/> is an envelope field (a property must not be named so).</summary>
    public static bool IsEnvelopeField(string name) => name switch
    {
        Event or EventId or Timestamp or SessionId or UserBucket or SamplingRate or ClientVersion or SchemaVersion or UserId or AnonymousId => true,
        _ => false,
    };

    private static int CountAlwaysWritten()
    {
        var count = 0;
        foreach (var field in All)
        {
            if (field.AlwaysWritten) count++;
        }

        return count;
    }
}
