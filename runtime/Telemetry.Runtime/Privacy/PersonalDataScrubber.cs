using System;
using System.Text.RegularExpressions;

namespace Telemetry.Runtime;

/// <summary>
/// The last line of defence for personal data that reached a string property by mistake: replaces
/// e-mail addresses, IBANs (mod-97 checked), payment card numbers (Luhn checked), US social security
/// numbers and phone numbers with <see cref="EmailMarker"/>, <see cref="IbanMarker"/>,
/// <see cref="CardMarker"/>, <see cref="SsnMarker"/> and <see cref="PhoneMarker"/>. The pipeline runs
/// it over every string of every serialised event on its background thread, never on the caller's.
/// Check digits keep order ids and timestamps intact; a string too costly to scan is redacted whole.
/// </summary>
public sealed partial class PersonalDataScrubber
{
    /// <summary>Replaces an e-mail address.</summary>
    public const string EmailMarker = "[EMAIL]";

    /// <summary>Replaces a phone number.</summary>
    public const string PhoneMarker = "[PHONE]";

    /// <summary>Replaces a payment card number.</summary>
    public const string CardMarker = "[CARD]";

    /// <summary>Replaces an IBAN.</summary>
    public const string IbanMarker = "[IBAN]";

    /// <summary>Replaces a US social security number.</summary>
    public const string SsnMarker = "[SSN]";

    /// <summary>Replaces a whole string whose scan timed out (fail closed).</summary>
    public const string RedactedMarker = PersonalData.RedactedMarker;

    private const int TimeoutMs = 250;

    private static readonly MatchEvaluator s_iban = m => IbanChecksum.IsValid(m.ValueSpan) ? IbanMarker : m.Value;
    private static readonly MatchEvaluator s_card = m => LuhnChecksum.IsValidCardNumber(m.ValueSpan) ? CardMarker : m.Value;
    private static readonly MatchEvaluator s_internationalPhone = m => DigitCount(m.ValueSpan) is >= 8 and <= 15 ? PhoneMarker : m.Value;
    private static readonly MatchEvaluator s_nationalPhone = m => DigitCount(m.ValueSpan) is >= 9 and <= 12 ? PhoneMarker : m.Value;

    /// <summary>The shared instance (the scrubber holds no state).</summary>
    public static PersonalDataScrubber Default { get; } = new();

    /// <summary>
    /// <paramref name="value"/> with personal data replaced by markers; the same instance when nothing
    /// was found (so callers can compare references).
    /// </summary>
    public string Scrub(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!MayContainPersonalData(value.AsSpan())) return value;
        try
        {
            var result = EmailRegex().Replace(value, EmailMarker);
            result = IbanRegex().Replace(result, s_iban);
            result = CardRegex().Replace(result, s_card);
            result = SsnRegex().Replace(result, SsnMarker);
            result = InternationalPhoneRegex().Replace(result, s_internationalPhone);
            result = NorthAmericanPhoneRegex().Replace(result, PhoneMarker);
            result = NationalPhoneRegex().Replace(result, s_nationalPhone);
            return string.Equals(result, value, StringComparison.Ordinal) ? value : result;
        }
        catch (RegexMatchTimeoutException)
        {
            return RedactedMarker;
        }
    }

    /// <summary>
    /// Cheap pre-check: only strings with an <c>@</c> or at least seven digits can hold any of the
    /// patterns, so most strings skip the regular expressions entirely.
    /// </summary>
    public static bool MayContainPersonalData(ReadOnlySpan<char> value)
    {
        var digits = 0;
        foreach (var c in value)
        {
            if (c == '@') return true;
            if (c is >= '0' and <= '9' && ++digits >= 7) return true;
        }

        return false;
    }

    /// <summary>The same pre-check over UTF-8 bytes (escaped JSON counts conservatively as a candidate).</summary>
    public static bool MayContainPersonalData(ReadOnlySpan<byte> utf8)
    {
        var digits = 0;
        foreach (var b in utf8)
        {
            if (b is (byte)'@' or (byte)'\\') return true;
            if (b is >= (byte)'0' and <= (byte)'9' && ++digits >= 7) return true;
        }

        return false;
    }

    private static int DigitCount(ReadOnlySpan<char> value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (c is >= '0' and <= '9') count++;
        }

        return count;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex EmailRegex();

    // Compact (DE89370400440532013000) or grouped by four (GB82 WEST 1234 5698 7654 32).
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex IbanRegex();

    // 13..19 digits, optionally separated by single spaces or dashes; not inside a longer token (UUIDs, ids) nor after a + (phones).
    [GeneratedRegex(@"(?<![\w+-])(?:[0-9][ -]?){12,18}[0-9](?![\w]|-\w)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CardRegex();

    [GeneratedRegex(@"(?<![\w-])(?!000|666|9[0-9]{2})[0-9]{3}([- ])(?!00)[0-9]{2}\1(?!0000)[0-9]{4}(?![\w]|-\w)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex SsnRegex();

    // +44 20 7946 0958, +1 (555) 010-0199, +4915112345678.
    [GeneratedRegex(@"(?<![\w+])\+[0-9]{1,3}(?:[ .-]?(?:\([0-9]{1,4}\)|[0-9]{1,4})){1,7}(?![\w]|-\w)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex InternationalPhoneRegex();

    // (555) 010-0199, 555-010-0199, 555.010.0199.
    [GeneratedRegex(@"(?<![\w-])(?:\([0-9]{3}\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![\w]|-\w)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex NorthAmericanPhoneRegex();

    // National numbers with a trunk 0: 020 7946 0958, 06 12 34 56 78, 030-123-4567.
    [GeneratedRegex(@"(?<![\w-])0[0-9]{1,4}(?:[ .-][0-9]{2,4}){2,4}(?![\w]|-\w)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex NationalPhoneRegex();
}
