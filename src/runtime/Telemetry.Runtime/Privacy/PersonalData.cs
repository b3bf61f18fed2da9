using System;
using System.Net;
using System.Text;

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

    /// <summary><c>hash</c>: keyed HMAC-SHA256 through the client's protector, of the value as given.</summary>
    public static string? Hash(IPersonalDataProtector protector, string? value) => protector.Hash(value);

    /// <summary>
    /// <c>hash</c> of a property of PII class <paramref name="piiClass"/>: the value is normalised first
    /// (<see cref="Normalize"/>), so <c>Alice@Example.com</c> and <c>alice@example.com</c> join.
    /// </summary>
    public static string? Hash(IPersonalDataProtector protector, string? value, PiiClass piiClass)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return value is null ? null : protector.Hash(Normalize(value, piiClass));
    }

    /// <summary>
    /// The form a value is hashed in, per PII class: e-mail trimmed and lower-cased; phone reduced to its
    /// digits with the country code (<c>+44 20 7946 0958</c>, <c>0044 20 7946 0958</c> → <c>442079460958</c>;
    /// a national number without country code keeps its digits, trunk 0 included); IP address in canonical
    /// form (<c>2001:DB8:0::1</c> → <c>2001:db8::1</c>); user id, name and postal address trimmed with
    /// inner whitespace collapsed (names also lower-cased); anything else as given.
    /// </summary>
    public static string Normalize(string value, PiiClass piiClass)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (piiClass)
        {
            case PiiClass.Email:
                return value.Trim().ToLowerInvariant();
            case PiiClass.Phone:
            {
                var digits = new StringBuilder(value.Length);
                foreach (var c in value)
                {
                    if (c is >= '0' and <= '9') digits.Append(c);
                }

                var trimmed = value.TrimStart();
                if (!trimmed.StartsWith('+') && digits.Length > 2 && digits[0] == '0' && digits[1] == '0') digits.Remove(0, 2);
                return digits.Length == 0 ? value.Trim() : digits.ToString();
            }

            case PiiClass.IpAddress:
                return IPAddress.TryParse(value.Trim(), out var address) ? address.ToString().ToLowerInvariant() : value.Trim().ToLowerInvariant();
            case PiiClass.PersonName:
                return CollapseWhitespace(value).ToLowerInvariant();
            case PiiClass.UserId or PiiClass.PostalAddress:
                return CollapseWhitespace(value);
            default:
                return value;
        }
    }

    private static string CollapseWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }
}
