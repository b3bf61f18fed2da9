namespace Telemetry.Catalog.Model;

/// <summary>Wire type of a catalog property.</summary>
public enum PropertyType
{
    /// <summary>UTF-16 text.</summary>
    String,
    /// <summary>true/false.</summary>
    Boolean,
    /// <summary>32-bit integer.</summary>
    Int32,
    /// <summary>64-bit integer.</summary>
    Int64,
    /// <summary>IEEE double.</summary>
    Double,
    /// <summary>.NET decimal (JSON number).</summary>
    Decimal,
    /// <summary>DateTimeOffset, ISO-8601 on the wire.</summary>
    Timestamp,
    /// <summary>TimeSpan, milliseconds on the wire.</summary>
    Duration,
    /// <summary>Guid, canonical string on the wire.</summary>
    Uuid,
    /// <summary>A closed set of strings, a C# enum in code.</summary>
    Enum,
    /// <summary>A list of <c>items</c>.</summary>
    Array,
}

/// <summary>Business tier of an event: A core, B secondary, C planned.</summary>
public enum EventTier
{
    /// <summary>Core funnel event.</summary>
    A,
    /// <summary>Secondary event.</summary>
    B,
    /// <summary>Future / planned event.</summary>
    C,
}

/// <summary>Lifecycle of an event.</summary>
public enum EventStatus
{
    /// <summary>In use.</summary>
    Active,
    /// <summary>Designed, not yet shipped: generated with [Experimental].</summary>
    Planned,
    /// <summary>Being retired: generated with [Obsolete].</summary>
    Deprecated,
}

/// <summary>Data sensitivity of an event as a whole.</summary>
public enum Sensitivity
{
    /// <summary>No special handling.</summary>
    None,
    /// <summary>Session data (replays): sampling must stay 1.0.</summary>
    Session,
    /// <summary>Financial data (orders, trades): sampling must stay 1.0.</summary>
    Financial,
}

/// <summary>How often an event fires per user.</summary>
public enum Frequency
{
    /// <summary>At most about once a second.</summary>
    Normal,
    /// <summary>More than once a second: must be aggregated, local_only or sampled at or below 0.01.</summary>
    High,
}

/// <summary>Personal-data class of a property.</summary>
public enum PiiClass
{
    /// <summary>E-mail address.</summary>
    Email,
    /// <summary>Phone number.</summary>
    Phone,
    /// <summary>IPv4/IPv6 address.</summary>
    IpAddress,
    /// <summary>A person's name.</summary>
    PersonName,
    /// <summary>Postal address.</summary>
    PostalAddress,
    /// <summary>Free text typed by a user.</summary>
    FreeText,
    /// <summary>A user identifier.</summary>
    UserId,
    /// <summary>Payment data (card, IBAN, account).</summary>
    Payment,
    /// <summary>Any other personal data.</summary>
    Other,
}

/// <summary>What leaves the process for a PII property.</summary>
public enum PiiTreatment
{
    /// <summary>Nothing: the property is never sent.</summary>
    Drop,
    /// <summary>A fixed redaction marker replaces the value.</summary>
    Redact,
    /// <summary>A keyed HMAC-SHA256 of the value.</summary>
    Hash,
    /// <summary>Only the value's length (property <c>&lt;name&gt;_length</c>).</summary>
    Length,
    /// <summary>The raw value (requires a justification).</summary>
    None,
}

/// <summary>Aggregate statistic over a window.</summary>
public enum AggregateStatKind
{
    /// <summary>Number of recorded samples (one <c>count</c> property per aggregate).</summary>
    Count,
    /// <summary>Smallest value: <c>&lt;prop&gt;_min</c>.</summary>
    Min,
    /// <summary>Largest value: <c>&lt;prop&gt;_max</c>.</summary>
    Max,
    /// <summary>Mean value: <c>&lt;prop&gt;_avg</c>.</summary>
    Avg,
    /// <summary>Sum: <c>&lt;prop&gt;_sum</c>.</summary>
    Sum,
    /// <summary>First value in the window: <c>first_&lt;prop&gt;</c>.</summary>
    First,
    /// <summary>Last value in the window: <c>last_&lt;prop&gt;</c>.</summary>
    Last,
}

/// <summary>Kind of a System.Diagnostics.Metrics instrument.</summary>
public enum MetricKind
{
    /// <summary>Monotonic counter (long).</summary>
    Counter,
    /// <summary>Counter that may go down (long).</summary>
    UpDownCounter,
    /// <summary>Distribution of values (double).</summary>
    Histogram,
}

/// <summary>What the generated API does with a value that breaks a property's constraint (<c>on_violation:</c>).</summary>
public enum ConstraintAction
{
    /// <summary>The project's <c>TelemetryConstraintPolicy</c> applies: throw, or drop the event and count it.</summary>
    Reject,
    /// <summary>Numbers are clamped to their range and strings cut to <c>max_length</c>; the event is kept and the clamp counted.</summary>
    Clamp,
}
