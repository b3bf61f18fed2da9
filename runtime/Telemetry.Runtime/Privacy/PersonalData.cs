namespace Telemetry.Runtime;

/// <summary>The catalog's PII treatments as generated code applies them at construction.</summary>
public static class PersonalData
{
    /// <summary>The marker a <c>redact</c> treatment sends in place of the value.</summary>
    public const string RedactedMarker = "[REDACTED]";

    /// <summary><c>length</c>: only the length leaves the process (0 for null).</summary>
    public static int Length(string? value) => value?.Length ?? 0;

    /// <summary><c>redact</c>: a fixed marker for a present value, null for null.</summary>
    public static string? Redact(string? value) => value is null ? null : RedactedMarker;

    /// <summary><c>hash</c>: keyed HMAC-SHA256 through the client's protector.</summary>
    public static string? Hash(IPersonalDataProtector protector, string? value) => protector.Hash(value);
}
