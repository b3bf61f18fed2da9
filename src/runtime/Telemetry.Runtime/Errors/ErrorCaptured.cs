using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// The reserved <c>error.captured</c> event. Its one definition is <c>Errors/error.yaml</c>: the descriptor, property
/// names and enum strings this struct writes are the generator's output for it (<c>Errors/ReservedEvents.g.cs</c>), and
/// the ingest server reads the same file (embedded in this assembly) through <see cref="ReservedCatalog"/>, so every
/// sink, the JSON Schema and the ingest server understand it. Apps do not build it: <c>telemetry.CaptureException(...)</c>
/// does, after bounding and scrubbing.
/// </summary>
public readonly record struct ErrorCaptured : ITelemetryEvent<ErrorCaptured>
{
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

    /// <summary>
    /// The catalog facts of <c>error.captured</c>: the generator's descriptor for <c>Errors/error.yaml</c>
    /// (<c>Errors/ReservedEvents.g.cs</c>, held to the YAML by <c>ReservedEventsTests</c>).
    /// </summary>
    public static EventDescriptor Descriptor => ReservedEvents.Error.Captured.Descriptor;

    /// <summary>The wire value of <paramref name="level"/> (<c>error</c> for a value the catalog does not list).</summary>
    public static string WireName(ErrorLevel level) =>
        ReservedEvents.Error.Captured.LevelValues.ToCatalogString(Enum.IsDefined(level) ? level : ErrorLevel.Error);

    /// <summary>The wire value of <paramref name="mechanism"/> (<c>manual</c> for a value the catalog does not list).</summary>
    public static string WireName(ErrorMechanism mechanism) =>
        ReservedEvents.Error.Captured.MechanismValues.ToCatalogString(Enum.IsDefined(mechanism) ? mechanism : ErrorMechanism.Manual);

    /// <inheritdoc/>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var d = Descriptor;
        writer.WriteString(d.EncodedPropertyName(ReservedEvents.Error.Captured.Level), WireName(Level));
        writer.WriteString(d.EncodedPropertyName(ReservedEvents.Error.Captured.Mechanism), WireName(Mechanism));
        writer.WriteBoolean(d.EncodedPropertyName(ReservedEvents.Error.Captured.Handled), Handled);
        writer.WriteString(d.EncodedPropertyName(ReservedEvents.Error.Captured.ErrorType), ErrorType);
        writer.WriteString(d.EncodedPropertyName(ReservedEvents.Error.Captured.ErrorMessage), ErrorMessage);
        writer.WriteString(d.EncodedPropertyName(ReservedEvents.Error.Captured.Fingerprint), Fingerprint);
        WriteArray(writer, d.EncodedPropertyName(ReservedEvents.Error.Captured.ExceptionTypes), ExceptionTypes);
        writer.WriteString(d.EncodedPropertyName(ReservedEvents.Error.Captured.StackTrace), StackTrace);
        WriteArray(writer, d.EncodedPropertyName(ReservedEvents.Error.Captured.Breadcrumbs), Breadcrumbs);
        WriteArray(writer, d.EncodedPropertyName(ReservedEvents.Error.Captured.Tags), Tags);
        writer.WriteNumber(d.EncodedPropertyName(ReservedEvents.Error.Captured.Suppressed), Suppressed);
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
