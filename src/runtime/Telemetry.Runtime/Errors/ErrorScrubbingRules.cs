using System;
using System.Text.RegularExpressions;

namespace Telemetry.Runtime;

/// <summary>
/// The error report's extension of the one PII rule set (<c>PiiRules</c>, which <see cref="PersonalDataScrubber"/> applies
/// to every event): <see cref="Scrub"/> first applies the kinds of data only diagnostics text carries, then the whole
/// rule set (e-mails, secrets such as bearer tokens, JWTs and <c>password=</c>/<c>api_key=</c>/<c>token=</c> pairs,
/// cards, IBANs, SSNs, IP addresses, phones). The extension adds user names in home folder paths (<c>/home/alice/</c>,
/// <c>C:\Users\alice\</c>), the connection-string keys the rule set does not name (<c>User ID=</c>, <c>Username=</c>,
/// <c>AccountKey=</c>, <c>SharedAccessSignature=</c>, <c>refresh_token=</c>, …), credentials in URLs
/// (<c>scheme://user:secret@host</c>), <c>Basic</c>/<c>Token</c> authorization values, query strings and long opaque
/// keys. A kind both could match is defined once, in the rule set. Every string of an error report passes through it
/// on the caller's thread before the event is built: messages, stack traces, tags and breadcrumbs. docs/errors.md lists
/// the rules.
/// </summary>
/// <remarks>Serves the Telemetry packages (the ingest server uses it); not meant to be called by app code.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static partial class ErrorScrubbingRules
{
    /// <summary>Replaces the user-name segment of a home folder path.</summary>
    public const string UserMarker = "[USER]";

    /// <summary>Replaces a secret (connection-string value, URL credentials): the rule set's own marker.</summary>
    public const string SecretMarker = Telemetry.Privacy.PiiRules.SecretMarker;

    /// <summary>Replaces a <c>Basic</c>/<c>Token</c> authorization value or a long opaque key.</summary>
    public const string TokenMarker = "[TOKEN]";

    /// <summary>Replaces a URL's query string.</summary>
    public const string QueryMarker = "[QUERY]";

    private const int TimeoutMs = 250;

    // A GUID (event ids, request ids) is an identifier, not a secret: kept.
    // A path ("src/Shop/Orders" segments) is not a key: with '/', only a segment of 16+ mixed letters and digits counts.
    private static readonly MatchEvaluator s_opaqueKey = m => IsOpaqueKey(m.ValueSpan) ? TokenMarker : m.Value;

    /// <summary>
    /// <paramref name="value"/> with the extension's rules and then the PII rule set (<see cref="PersonalDataScrubber.Default"/>) applied;
    /// <see cref="PersonalData.RedactedMarker"/> when a scan times out (fail closed).
    /// </summary>
    public static string Scrub(string? value)
    {
        if (string.IsNullOrEmpty(value)) return string.Empty;
        try
        {
            var result = HomePathRegex().Replace(value, "${prefix}" + UserMarker);
            result = UrlCredentialsRegex().Replace(result, "${scheme}" + SecretMarker + "@");
            result = ConnectionSecretRegex().Replace(result, "${key}=" + SecretMarker);
            result = AuthorizationRegex().Replace(result, "${scheme} " + TokenMarker);
            result = QueryStringRegex().Replace(result, "?" + QueryMarker);
            result = OpaqueKeyRegex().Replace(result, s_opaqueKey);
            return PersonalDataScrubber.Default.Scrub(result);
        }
        catch (RegexMatchTimeoutException)
        {
            return PersonalData.RedactedMarker;
        }
    }

    /// <summary><see cref="Scrub"/>, then cut to <paramref name="maxLength"/> characters (an ellipsis marks the cut).</summary>
    public static string ScrubAndTruncate(string? value, int maxLength)
    {
        var scrubbed = Scrub(value);
        return Truncate(scrubbed, maxLength);
    }

    internal static string Truncate(string value, int maxLength)
    {
        if (value.Length <= maxLength) return value;
        if (maxLength <= 1) return value.Substring(0, Math.Max(0, maxLength));

        // Never cut a surrogate pair in half.
        var cut = maxLength - 1;
        if (char.IsHighSurrogate(value[cut - 1])) cut--;
        return string.Concat(value.AsSpan(0, cut), "…");
    }

    private static bool IsOpaqueKey(ReadOnlySpan<char> value)
    {
        if (value.Length == 36 && Guid.TryParseExact(value, "D", out _)) return false;
        if (value.IndexOf('/') < 0) return HasLetterAndDigit(value);
        while (value.Length > 0)
        {
            var slash = value.IndexOf('/');
            var segment = slash < 0 ? value : value.Slice(0, slash);
            if (segment.Length >= 16 && HasLetterAndDigit(segment)) return true;
            value = slash < 0 ? ReadOnlySpan<char>.Empty : value.Slice(slash + 1);
        }

        return false;
    }

    private static bool HasLetterAndDigit(ReadOnlySpan<char> value)
    {
        bool letter = false, digit = false;
        foreach (var c in value)
        {
            if (c is >= '0' and <= '9') digit = true;
            else if (char.IsAsciiLetter(c)) letter = true;
            if (letter && digit) return true;
        }

        return false;
    }

    // /home/alice/…, /Users/alice/…, C:\Users\alice\…, \\server\Users\alice, C:\Documents and Settings\alice\…
    [GeneratedRegex(@"(?<prefix>(?:^|[\s""'=(:\[])(?:[A-Za-z]:)?[\\/]+(?:home|Users|users|Documents and Settings)[\\/]+)(?!\[USER\])[^\\/\s:""']+", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex HomePathRegex();

    // postgres://user:secret@host, https://user@host
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.-]{1,20}://)[^/\s@""']+@", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex UrlCredentialsRegex();

    // The connection-string and credential keys the PII rule set does not name (it has password, pwd, api_key, secret,
    // client_secret, access_token, auth_token and token): User ID=…; Uid=…; Username=…; AccountKey=…; SharedAccessSignature=…; sig=…
    [GeneratedRegex(@"(?<key>\b(?:user\s?id|uid|user\s?name|username|account\s?key|shared\s?access\s?key|shared\s?access\s?signature|sig|refresh[_-]?token|auth)\s*)[=:]\s*(?:""[^""]*""|'[^']*'|[^;,&\s""']+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex ConnectionSecretRegex();

    // Authorization schemes other than Bearer (which the rule set replaces): Basic credentials, Token values.
    [GeneratedRegex(@"(?<scheme>\b(?:Basic|Token))\s+[A-Za-z0-9\-._~+/]{6,}=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex AuthorizationRegex();

    // A '?' followed by name=value pairs (URLs, request paths in messages).
    [GeneratedRegex(@"\?(?!\[QUERY\])[A-Za-z0-9_.~%+\-\[\]]+=[^\s#""'<>]*", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex QueryStringRegex();

    // Long opaque keys (API keys, hex or base64 secrets): 32+ key characters with letters and digits.
    [GeneratedRegex(@"(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+=-][A-Za-z0-9_+/=-]{31,}(?![A-Za-z0-9_+/=-])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex OpaqueKeyRegex();
}
