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

    internal const string SchemaText = "TODO";

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
