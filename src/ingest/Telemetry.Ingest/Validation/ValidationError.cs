namespace Telemetry.Ingest.Validation;

/// <summary>One reason an event was rejected.</summary>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.events[3].price</c>.</param>
/// <param name="Reason">Stable machine code: one of <see cref="ValidationReasons"/>.</param>
/// <param name="Detail">Human-readable explanation.</param>
public sealed record ValidationError(string Path, string Reason, string Detail);

/// <summary>The reason codes of <see cref="ValidationError.Reason"/> (each also names the problem type URI <c>urn:telemetry:ingest:&lt;code&gt;</c>).</summary>
internal static class ValidationReasons
{
    /// <summary>The value is not a JSON object where an event was expected.</summary>
    public const string NotAnObject = "not_an_object";
    /// <summary>The <c>event</c> name is not in the catalog.</summary>
    public const string UnknownEvent = "unknown_event";
    /// <summary>Wrong JSON type.</summary>
    public const string Type = "type";
    /// <summary>A required field is missing.</summary>
    public const string Required = "required";
    /// <summary>A string is longer than <c>maxLength</c>.</summary>
    public const string MaxLength = "max_length";
    /// <summary>A number is below <c>minimum</c>.</summary>
    public const string Minimum = "minimum";
    /// <summary>A number is above <c>maximum</c>.</summary>
    public const string Maximum = "maximum";
    /// <summary>A property the event's schema does not define (<c>additionalProperties: false</c>).</summary>
    public const string AdditionalProperty = "additional_property";
    /// <summary>A value outside the enum.</summary>
    public const string Enum = "enum";
    /// <summary>A string that does not match the property's pattern.</summary>
    public const string Pattern = "pattern";
    /// <summary>A string that is not a valid <c>date-time</c> or <c>uuid</c>.</summary>
    public const string Format = "format";
    /// <summary>A value different from the schema's <c>const</c>.</summary>
    public const string Const = "const";
    /// <summary>An array with more items than <c>maxItems</c>.</summary>
    public const string MaxItems = "max_items";
    /// <summary>An array with fewer items than <c>minItems</c>.</summary>
    public const string MinItems = "min_items";
    /// <summary>An array whose items must be distinct (<c>uniqueItems</c>) holds one twice.</summary>
    public const string UniqueItems = "unique_items";
    /// <summary>A string that is not valid Unicode (a lone surrogate escape such as <c>\ud800</c>).</summary>
    public const string Encoding = "encoding";
    /// <summary>The same property twice in one object.</summary>
    public const string DuplicateProperty = "duplicate_property";
    /// <summary>
    /// The event's <c>timestamp</c> is further in the future than <c>MaxClockSkew</c> or older than <c>MaxEventAge</c>
    /// (capped by the retention) relative to the server's receive time.
    /// </summary>
    public const string TimestampOutOfRange = "timestamp-out-of-range";
    /// <summary>The server failed while handling this one event (a defect, logged with the event's index); the others of the request are unaffected.</summary>
    public const string Internal = "internal";
}
