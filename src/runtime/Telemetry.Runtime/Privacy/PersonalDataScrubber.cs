using System;
using Telemetry.Privacy;

namespace Telemetry.Runtime;

/// <summary>
/// The last line of defence for personal data that reached a string property by mistake: replaces
/// e-mail addresses, secrets (bearer tokens, JWTs, <c>password=</c>/<c>api_key=</c>/<c>secret=</c> pairs,
/// cloud access keys), IBANs (mod 97, any case), payment card numbers (Luhn, 13-19 digits), US social
/// security numbers, IPv4/IPv6 addresses and phone numbers (E.164 and national) with markers. The rules
/// are the catalog's own (TEL1001 judges examples with the same rule set). The pipeline runs it over every
/// string of every serialised event on its background thread, never on the caller's. Check digits and
/// context keep order ids, UUIDs, timestamps, versions and prices intact; a string too costly to scan is
/// redacted whole.
/// </summary>
/// <remarks>Serves the Telemetry packages (the ingest server uses it); not meant to be called by app code.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class PersonalDataScrubber
{
    /// <summary>Replaces an e-mail address.</summary>
    public const string EmailMarker = PiiRules.EmailMarker;

    /// <summary>Replaces a phone number.</summary>
    public const string PhoneMarker = PiiRules.PhoneMarker;

    /// <summary>Replaces a payment card number.</summary>
    public const string CardMarker = PiiRules.CardMarker;

    /// <summary>Replaces an IBAN.</summary>
    public const string IbanMarker = PiiRules.IbanMarker;

    /// <summary>Replaces a US social security number.</summary>
    public const string SsnMarker = PiiRules.SsnMarker;

    /// <summary>Replaces an IPv4 or IPv6 address.</summary>
    public const string IpMarker = PiiRules.IpMarker;

    /// <summary>Replaces a secret (bearer token, JWT, the value of a <c>password=</c> pair, a cloud access key).</summary>
    public const string SecretMarker = PiiRules.SecretMarker;

    /// <summary>Replaces a whole string whose scan timed out (fail closed).</summary>
    public const string RedactedMarker = PersonalData.RedactedMarker;

    /// <summary>The shared instance (the scrubber holds no state).</summary>
    public static PersonalDataScrubber Default { get; } = new();

    /// <summary>
    /// <paramref name="value"/> with personal data replaced by markers; the same instance when nothing
    /// was found (so callers can compare references).
    /// </summary>
    public string Scrub(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PiiRules.Scrub(value);
    }

    /// <summary>True when <see cref="Scrub"/> would change <paramref name="value"/>.</summary>
    public bool ContainsPersonalData(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PiiRules.Scan(value) != PiiKind.None;
    }

    /// <summary>
    /// Cheap pre-check, one pass without allocation: false means none of the rules can match, so most
    /// strings skip the regular expressions entirely.
    /// </summary>
    public static bool MayContainPersonalData(ReadOnlySpan<char> value) => PiiRules.MayContain(value);

    /// <summary>The same pre-check over UTF-8 bytes (escaped JSON counts conservatively as a candidate).</summary>
    public static bool MayContainPersonalData(ReadOnlySpan<byte> utf8) => PiiRules.MayContain(utf8);
}
