using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// The reserved <c>error.captured</c> event. The runtime defines it itself (its catalog definition is
/// <c>Errors/error.yaml</c>, embedded in this assembly and read by the ingest server and the catalog tool through
/// <see cref="ReservedCatalog"/>), so every sink, the JSON Schema and the ingest server understand it. Apps do not
/// build it: <c>telemetry.CaptureException(...)</c> does, after bounding and scrubbing.
/// </summary>
public readonly record struct ErrorCaptured : ITelemetryEvent<ErrorCaptured>
{
    private static readonly JsonEncodedText s_level = JsonEncodedText.Encode("level");
    private static readonly JsonEncodedText s_mechanism = JsonEncodedText.Encode("mechanism");
    private static readonly JsonEncodedText s_handled = JsonEncodedText.Encode("handled");
    private static readonly JsonEncodedText s_errorType = JsonEncodedText.Encode("error_type");
    private static readonly JsonEncodedText s_errorMessage = JsonEncodedText.Encode("error_message");
    private static readonly JsonEncodedText s_fingerprint = JsonEncodedText.Encode("fingerprint");
    private static readonly JsonEncodedText s_exceptionTypes = JsonEncodedText.Encode("exception_types");
    private static readonly JsonEncodedText s_stackTrace = JsonEncodedText.Encode("stack_trace");
    private static readonly JsonEncodedText s_breadcrumbs = JsonEncodedText.Encode("breadcrumbs");
    private static readonly JsonEncodedText s_tags = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText s_suppressed = JsonEncodedText.Encode("suppressed");

    internal ErrorCaptured(
        ErrorLevel level,
        ErrorMechanism mechanism,
        bool handled,
        string errorType,
        string errorMessage,
        string fingerprint,
        IReadOnlyList<string> exceptionTypes,
        string stackTrace,
        IReadOnlyList<string> breadcrumbs,
        IReadOnlyList<string> tags,
        int suppressed)
    {
        Level = level;
        Mechanism = mechanism;
        Handled = handled;
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        Fingerprint = fingerprint;
        ExceptionTypes = exceptionTypes;
        StackTrace = stackTrace;
        Breadcrumbs = breadcrumbs;
        Tags = tags;
        Suppressed = suppressed;
    }

    /// <summary>The event's name on the wire.</summary>
    public const string EventName = "error.captured";

    /// <summary>Severity.</summary>
    public ErrorLevel Level { get; }

    /// <summary>How it was captured.</summary>
    public ErrorMechanism Mechanism { get; }

    /// <summary>False when nothing in the app caught the exception.</summary>
    public bool Handled { get; }

    /// <summary>Full type name of the exception, generic arguments removed.</summary>
    public string ErrorType { get; }

    /// <summary>The exception's text, scrubbed.</summary>
    public string ErrorMessage { get; }

    /// <summary>Grouping key.</summary>
    public string Fingerprint { get; }

    /// <summary>Types of the exception chain, outermost first.</summary>
    public IReadOnlyList<string> ExceptionTypes { get; }

    /// <summary>The exception chain with frames, bounded and scrubbed.</summary>
    public string StackTrace { get; }

    /// <summary>The breadcrumbs before the error, oldest first.</summary>
    public IReadOnlyList<string> Breadcrumbs { get; }

    /// <summary>Tags as <c>key=value</c>.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Same-fingerprint errors counted but not sent since the last one sent.</summary>
    public int Suppressed { get; }

    /// <summary>The catalog facts of <c>error.captured</c> (checked against <c>Errors/error.yaml</c> by the tests).</summary>
    public static EventDescriptor Descriptor { get; } = new(
        name: EventName,
        version: 1,
        tier: EventTier.A,
        status: EventStatus.Active,
        sampling: 1d,
        idempotent: false,
        sensitivity: Sensitivity.None,
        frequency: EventFrequency.Normal,
        localOnly: false,
        fullStreamPercent: 0d,
        aggregatedFrom: null,
        aggregateWindowMs: 0,
        properties: new PropertyDescriptor[]
        {
            new("level", "enum", true, null, PiiTreatment.None),
            new("mechanism", "enum", true, null, PiiTreatment.None),
            new("handled", "boolean", true, null, PiiTreatment.None),
            new("error_type", "string", true, null, PiiTreatment.None),
            new("error_message", "string", true, PiiClass.FreeText, PiiTreatment.None),
            new("fingerprint", "string", true, null, PiiTreatment.None),
            new("exception_types", "array", true, null, PiiTreatment.None),
            new("stack_trace", "string", true, null, PiiTreatment.None),
            new("breadcrumbs", "array", true, null, PiiTreatment.None),
            new("tags", "array", true, null, PiiTreatment.None),
            new("suppressed", "int32", true, null, PiiTreatment.None),
        },
        jsonSchema: SchemaText);

    internal const string SchemaText = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:telemetry:event:error.captured:v1","title":"error.captured","description":"An exception the app reported with CaptureException, or one nothing caught.","type":"object","properties":{"event":{"const":"error.captured"},"event_id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"session_id":{"type":"string","maxLength":100},"user_bucket":{"type":"integer","minimum":0,"maximum":9999},"sampling_rate":{"type":"number","minimum":0,"maximum":1},"client_version":{"type":"string","maxLength":64},"schema_version":{"type":"integer","minimum":1,"maximum":1},"user_id":{"type":"string","maxLength":256},"anonymous_id":{"type":"string","maxLength":256},"level":{"description":"Severity.","enum":["debug","info","warning","error","fatal"]},"mechanism":{"description":"How the exception was captured.","enum":["manual","unhandled","unobserved_task","aspnetcore","error_boundary"]},"handled":{"description":"False when nothing in the app caught the exception.","type":"boolean"},"error_type":{"description":"Full type name of the exception (generic arguments removed).","type":"string","maxLength":256},"error_message":{"description":"The exception's text after the error scrubbing rules.","type":"string","maxLength":1024},"fingerprint":{"description":"Grouping key (exception type and normalised app frames, or the app's override).","type":"string","maxLength":64},"exception_types":{"description":"Types of the exception chain, outermost first (inner and aggregate exceptions depth-first).","type":"array","maxItems":16,"items":{"type":"string"}},"stack_trace":{"description":"The exception chain with its stack frames, bounded and scrubbed.","type":"string","maxLength":16384},"breadcrumbs":{"description":"The last Track calls (event name and the properties the catalog does not classify as personal data) and logged warnings and errors before the exception, oldest first.","type":"array","maxItems":100,"items":{"type":"string"}},"tags":{"description":"The app's tags as key=value, scrubbed.","type":"array","maxItems":32,"items":{"type":"string"}},"suppressed":{"description":"Errors with the same fingerprint counted but not sent since the last one was sent (rate limit).","type":"integer","minimum":0,"maximum":2147483647}},"required":["event","timestamp","user_bucket","sampling_rate","client_version","schema_version","level","mechanism","handled","error_type","error_message","fingerprint","exception_types","stack_trace","breadcrumbs","tags","suppressed"],"additionalProperties":false}
        """;

    /// <summary>The wire value of <paramref name="level"/>.</summary>
    public static string WireName(ErrorLevel level) => level switch
    {
        ErrorLevel.Debug => "debug",
        ErrorLevel.Info => "info",
        ErrorLevel.Warning => "warning",
        ErrorLevel.Fatal => "fatal",
        _ => "error",
    };

    /// <summary>The wire value of <paramref name="mechanism"/>.</summary>
    public static string WireName(ErrorMechanism mechanism) => mechanism switch
    {
        ErrorMechanism.Unhandled => "unhandled",
        ErrorMechanism.UnobservedTask => "unobserved_task",
        ErrorMechanism.AspNetCore => "aspnetcore",
        ErrorMechanism.ErrorBoundary => "error_boundary",
        _ => "manual",
    };

    /// <inheritdoc/>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(s_level, WireName(Level));
        writer.WriteString(s_mechanism, WireName(Mechanism));
        writer.WriteBoolean(s_handled, Handled);
        writer.WriteString(s_errorType, ErrorType);
        writer.WriteString(s_errorMessage, ErrorMessage);
        writer.WriteString(s_fingerprint, Fingerprint);
        WriteArray(writer, s_exceptionTypes, ExceptionTypes);
        writer.WriteString(s_stackTrace, StackTrace);
        WriteArray(writer, s_breadcrumbs, Breadcrumbs);
        WriteArray(writer, s_tags, Tags);
        writer.WriteNumber(s_suppressed, Suppressed);
    }

    private static void WriteArray(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string>? values)
    {
        writer.WriteStartArray(name);
        if (values is not null)
        {
            foreach (var v in values) writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }
}
