// The one PII rule set. This file is compiled into two assemblies: the catalog library (netstandard2.0,
// TEL1001's example check) and Telemetry.Runtime (the scrubber every serialised event passes through),
// so the catalog and the runtime cannot disagree about what personal data looks like.
using System;
using System.Text.RegularExpressions;
#if NET
using CharText = System.ReadOnlySpan<char>;
#else
using CharText = System.String;
#endif

namespace Telemetry.Privacy;

/// <summary>The kind of personal data a rule of <see cref="PiiRules"/> found.</summary>
internal enum PiiKind
{
    /// <summary>Nothing found.</summary>
    None,
    /// <summary>An e-mail address.</summary>
    Email,
    /// <summary>A secret: bearer token, JWT, password/api_key/secret pair, cloud access key.</summary>
    Secret,
    /// <summary>An IBAN (mod 97 checked, any case, grouped or not).</summary>
    Iban,
    /// <summary>A payment card number (13-19 digits starting 2-6, the payment networks' ranges; Luhn checked).</summary>
    Card,
    /// <summary>A US social security number.</summary>
    Ssn,
    /// <summary>An IPv4 or IPv6 address.</summary>
    IpAddress,
    /// <summary>A phone number (E.164 or national form).</summary>
    Phone,
}

/// <summary>
/// Finds and replaces personal data in free strings: e-mail addresses, secrets (bearer tokens, JWTs,
/// <c>password=</c>/<c>api_key=</c>/<c>secret=</c> pairs, AWS/Google/GitHub/Slack keys), IBANs (mod 97),
/// payment cards (Luhn, 13-19 digits starting 2-6, so a millisecond Unix time is not one), US social security numbers, IPv4/IPv6 addresses and phone
/// numbers (E.164 and national forms). <see cref="Scan"/> gives the verdict, <see cref="Scrub"/> the
/// replacement; a string for which <c>MayContain</c> is false holds none of them.
/// </summary>
/// <remarks>
/// Check digits and context keep order ids, UUIDs, timestamps, versions and prices intact. Rules run in the
/// order of <see cref="PiiKind"/>; the verdict of <see cref="Scan"/> is "something found" exactly when
/// <see cref="Scrub"/> changes the string. A scan that times out counts as found (fail closed).
/// </remarks>
internal static partial class PiiRules
{
    public const string EmailMarker = "[EMAIL]";
    public const string PhoneMarker = "[PHONE]";
    public const string CardMarker = "[CARD]";
    public const string IbanMarker = "[IBAN]";
    public const string SsnMarker = "[SSN]";
    public const string IpMarker = "[IP]";
    public const string SecretMarker = "[SECRET]";

    /// <summary>Replaces a whole string whose scan timed out (fail closed), and fields named for redaction.</summary>
    public const string RedactedMarker = "[REDACTED]";

    private const int TimeoutMs = 250;
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private const string EmailPattern = @"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])";

    // "Bearer <token>", a JWT (header.payload.signature), key=value / key: value pairs, cloud access keys.
    private const string SecretPattern =
        @"(?<![A-Za-z0-9])[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+[A-Za-z0-9\-._~+/]{8,}=*" +
        @"|(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*" +
        @"|(?<![A-Za-z0-9])(?i:password|passwd|pwd|api[_-]?key|apikey|secret|client[_-]?secret|access[_-]?token|auth[_-]?token|token)[ \t]*[=:][ \t]*""?[^\s&""',;]+" +
        @"|(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Za-z0-9])" +
        @"|(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])" +
        @"|(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])" +
        @"|(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}";

    // Compact (DE89370400440532013000) or grouped by four (GB82 WEST 1234 5698 7654 32), any case.
    private const string IbanPattern = @"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[A-Za-z0-9]{11,30}|(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,3})?)(?![A-Za-z0-9])";

    // 13..19 digits, optionally separated by single spaces or dashes; not inside a longer token (UUIDs, ids) nor after a + (phones).
    private const string CardPattern = @"(?<![\w+-])(?:[0-9][ -]?){12,18}[0-9](?![\w]|-\w)";

    private const string SsnPattern = @"(?<![\w-])(?!000|666|9[0-9]{2})[0-9]{3}([- ])(?!00)[0-9]{2}\1(?!0000)[0-9]{4}(?![\w]|-\w)";

    // Dotted quad, not part of a longer dotted number (versions 1.2.3.4.5), not a network address (x.x.x.0) nor 0.x.x.x.
    private const string Ipv4Pattern = @"(?<![\w.])(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]?)(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){2}\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]?)(?![\w]|\.[0-9])";

    // Full (8 groups) or compressed (with ::) form, optionally with a trailing dotted quad.
    private const string Ipv6Pattern = @"(?<![\w:.])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:){0,6}(?:[0-9A-Fa-f]{1,4}|[0-9]{1,3}(?:\.[0-9]{1,3}){3})?)(?![\w:])";

    // +44 20 7946 0958, +1 (555) 010-0199, +4915112345678.
    private const string InternationalPhonePattern = @"(?<![\w+])\+[0-9]{1,3}(?:[ .-]?(?:\([0-9]{1,4}\)|[0-9]{1,4})){1,7}(?![\w]|-\w)";

    // (555) 010-0199, 555-010-0199, 555.010.0199.
    private const string NorthAmericanPhonePattern = @"(?<![\w-])(?:\([0-9]{3}\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![\w]|-\w)";

    // National numbers with a trunk 0: 020 7946 0958, 06 12 34 56 78, 030-123-4567, (030) 123 45678.
    private const string NationalPhonePattern = @"(?<![\w-])(?:0[0-9]{1,4}(?:[ .-][0-9]{2,5}){2,4}|\(0[0-9]{1,4}\)[ .-]?[0-9]{2,8}(?:[ .-][0-9]{2,5}){0,3})(?![\w]|-\w)";

    // What a string must contain for a rule to have any chance: the pre-check computes these in one pass, and
    // only the rules whose needs are met run (a timestamp or a UUID skips the e-mail, secret and E.164 rules).
    private const int NeedAt = 1;            // '@'
    private const int NeedSecret = 2;        // a token start (Bearer, eyJ, AKIA..., AIza, gh?_, xox) or key=/key:
    private const int NeedDigits7 = 4;       // 7+ digits (IBAN)
    private const int NeedDigits13 = 8;      // 13+ digits (card)
    private const int NeedDigits9 = 16;      // 9+ digits (SSN, national phone)
    private const int NeedDottedQuad = 32;   // 3+ dots and 4+ digits (IPv4)
    private const int NeedColons = 64;       // 7 colons or a "::" (IPv6)
    private const int NeedPlus = 128;        // '+' and 8+ digits (E.164)
    private const int NeedDigits10 = 256;    // 10+ digits (North American phone)

    // The one table of rules, run in the order of PiiKind: what each needs from the pre-check, its pattern, and the
    // replacement of a match (a replacement that keeps the text, a failed check digit, means nothing was found).
    private static readonly Rule[] s_rules =
    {
        new(PiiKind.Email, NeedAt, EmailPattern, _ => EmailMarker),
        new(PiiKind.Secret, NeedSecret, SecretPattern, m => SecretReplacement(m.Value)),
        new(PiiKind.Iban, NeedDigits7, IbanPattern, m => IsIban(m.Value) ? IbanMarker : m.Value),
        new(PiiKind.Card, NeedDigits13, CardPattern, m => m.Value[0] is >= '2' and <= '6' && IsLuhnCard(m.Value) ? CardMarker : m.Value),
        new(PiiKind.Ssn, NeedDigits9, SsnPattern, _ => SsnMarker),
        new(PiiKind.IpAddress, NeedDottedQuad, Ipv4Pattern, _ => IpMarker),
        new(PiiKind.IpAddress, NeedColons, Ipv6Pattern, m => IsIpv6(m.Value) ? IpMarker : m.Value),
        new(PiiKind.Phone, NeedPlus, InternationalPhonePattern, m => DigitCount(m.Value) is >= 8 and <= 15 ? PhoneMarker : m.Value),
        new(PiiKind.Phone, NeedDigits10, NorthAmericanPhonePattern, _ => PhoneMarker),
        new(PiiKind.Phone, NeedDigits9, NationalPhonePattern, m => DigitCount(m.Value) is >= 9 and <= 12 ? PhoneMarker : m.Value),
    };

    /// <summary>One row of <see cref="s_rules"/>.</summary>
    private sealed class Rule
    {
        public Rule(PiiKind kind, int needs, string pattern, MatchEvaluator replace)
        {
            Kind = kind;
            Needs = needs;
            Regex = Compile(pattern);
            Replace = replace;
        }

        public PiiKind Kind { get; }

        public int Needs { get; }

        public Regex Regex { get; }

        public MatchEvaluator Replace { get; }
    }

    /// <summary>The first kind of personal data in <paramref name="value"/>, or <see cref="PiiKind.None"/>.</summary>
    public static PiiKind Scan(string value)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        var needs = Needs(value);
        if (needs == 0) return PiiKind.None;
        try
        {
            foreach (var rule in s_rules)
            {
                if ((rule.Needs & needs) == 0) continue;
                for (var match = rule.Regex.Match(value); match.Success; match = match.NextMatch())
                {
                    // A rule whose replacement keeps the text (a failed check digit) found nothing.
                    if (!string.Equals(rule.Replace(match), match.Value, StringComparison.Ordinal)) return rule.Kind;
                }
            }

            return PiiKind.None;
        }
        catch (RegexMatchTimeoutException)
        {
            return PiiKind.Secret;
        }
    }

    /// <summary>
    /// <paramref name="value"/> with personal data replaced by markers; the same instance when nothing
    /// was found (so callers can compare references), <see cref="RedactedMarker"/> when the scan timed out.
    /// </summary>
    public static string Scrub(string value)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        var needs = Needs(value);
        if (needs == 0) return value;
        try
        {
            var result = value;
            foreach (var rule in s_rules)
            {
                if ((rule.Needs & needs) != 0) result = rule.Regex.Replace(result, rule.Replace);
            }

            return string.Equals(result, value, StringComparison.Ordinal) ? value : result;
        }
        catch (RegexMatchTimeoutException)
        {
            return RedactedMarker;
        }
    }

    /// <summary>
    /// Cheap pre-check, one pass without allocation: false means no rule can match, so most strings skip
    /// the regular expressions. True for an <c>@</c>, seven digits, a dotted quad's dots and digits, seven
    /// colons or a <c>::</c> (IPv6), a <c>key=</c>/<c>key:</c> separator after a secret's name, or the start of a token
    /// (<c>Bearer</c>, <c>eyJ</c>, <c>AKIA</c>…, <c>AIza</c>, <c>gh?_</c>, <c>xox</c>).
    /// </summary>
    public static bool MayContain(CharText value) => Needs(value) != 0;

    // What each ASCII character means to the pre-check: 0 nothing (most characters), else one of the Class… values.
    private const byte ClassDigit = 1;
    private const byte ClassAt = 2;
    private const byte ClassPlus = 3;
    private const byte ClassDot = 4;
    private const byte ClassColon = 5;
    private const byte ClassEquals = 6;
    private const byte ClassTokenStart = 7;   // B b A J _ x: where a token's marker (Bearer, AKIA/AIza, eyJ, gh?_, xox) is recognised
    private const byte ClassBackslash = 8;    // a JSON escape (UTF-8 pre-check only): always a candidate

    private static readonly byte[] s_class = BuildClasses();

    private static byte[] BuildClasses()
    {
        var classes = new byte[128];
        for (var c = '0'; c <= '9'; c++) classes[c] = ClassDigit;
        classes['@'] = ClassAt;
        classes['+'] = ClassPlus;
        classes['.'] = ClassDot;
        classes[':'] = ClassColon;
        classes['='] = ClassEquals;
        foreach (var c in "BbAJ_x") classes[c] = ClassTokenStart;
        classes['\\'] = ClassBackslash;
        return classes;
    }

#if NET
    // Every character with a class: the characters between them are skipped by vectorised searches.
    private static readonly System.Buffers.SearchValues<char> s_classified = System.Buffers.SearchValues.Create("0123456789@+.:=BbAJ_x\\");
    private static readonly System.Buffers.SearchValues<byte> s_classifiedBytes = System.Buffers.SearchValues.Create("0123456789@+.:=BbAJ_x\\"u8);
#endif

    /// <summary>
    /// Which rules can match <paramref name="value"/> (a set of <c>Need…</c> bits; 0: none). One pass: a vectorised
    /// search jumps from one classified character to the next (on .NET; a plain loop elsewhere), and each is looked
    /// up in the class table.
    /// </summary>
    private static int Needs(CharText value)
    {
        var state = default(NeedsState);
#if NET
        if (value.Length >= 16)
        {
            for (var i = value.IndexOfAny(s_classified); i >= 0;)
            {
                state.Visit(value, i, s_class[value[i]]);
                var next = value.Slice(i + 1).IndexOfAny(s_classified);
                i = next < 0 ? -1 : i + 1 + next;
            }

            return Combine(state.Needs, state.Digits, state.Dots, state.Colons);
        }
#endif

        // Short strings (enum values, symbols): a plain loop costs less than starting a vectorised search.
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 128 && s_class[c] != 0) state.Visit(value, i, s_class[c]);
        }

        return Combine(state.Needs, state.Digits, state.Dots, state.Colons);
    }

    private struct NeedsState
    {
        public int Digits;
        public int Dots;
        public int Colons;
        public int Needs;

        public void Visit(CharText value, int i, byte k)
        {
            switch (k)
            {
                case ClassDigit:
                    Digits++;
                    break;
                case ClassAt:
                    Needs |= NeedAt;
                    break;
                case ClassPlus:
                    Needs |= NeedPlus;
                    break;
                case ClassDot:
                    Dots++;
                    break;
                case ClassColon:
                    // IPv6 needs seven colons, or a "::" (counted as seven: the address is compressed).
                    Colons += i > 0 && value[i - 1] == ':' ? 7 : 1;
                    if ((Needs & NeedSecret) == 0 && EndsWithSecretName(value, i)) Needs |= NeedSecret;
                    break;
                case ClassEquals:
                    if ((Needs & NeedSecret) == 0 && EndsWithSecretName(value, i)) Needs |= NeedSecret;
                    break;
                case ClassTokenStart:
                    if ((Needs & NeedSecret) == 0 && StartsToken(value, i)) Needs |= NeedSecret;
                    break;
            }
        }
    }

    private static int Combine(int needs, int digits, int dots, int colons)
    {
        if (digits < 8) needs &= ~NeedPlus;
        if (digits >= 7) needs |= NeedDigits7;
        if (digits >= 9) needs |= NeedDigits9;
        if (digits >= 10) needs |= NeedDigits10;
        if (digits >= 13) needs |= NeedDigits13;
        if (dots >= 3 && digits >= 4) needs |= NeedDottedQuad;
        if (colons >= 7) needs |= NeedColons;
        return needs;
    }

#if NET
    /// <summary>The same pre-check over UTF-8 bytes; a JSON escape (<c>\</c>) counts as a candidate.</summary>
    public static bool MayContain(ReadOnlySpan<byte> utf8)
    {
        var digits = 0;
        var dots = 0;
        var colons = 0;
        var needs = 0;
        for (var i = utf8.IndexOfAny(s_classifiedBytes); i >= 0;)
        {
            switch (s_class[utf8[i]])
            {
                case ClassDigit:
                    digits++;
                    break;
                case ClassBackslash:
                case ClassAt:
                    return true;
                case ClassPlus:
                    needs |= NeedPlus;
                    break;
                case ClassDot:
                    dots++;
                    break;
                case ClassColon:
                    colons += i > 0 && utf8[i - 1] == ':' ? 7 : 1;
                    if ((needs & NeedSecret) == 0 && EndsWithSecretName(utf8, i)) needs |= NeedSecret;
                    break;
                case ClassEquals:
                    if ((needs & NeedSecret) == 0 && EndsWithSecretName(utf8, i)) needs |= NeedSecret;
                    break;
                case ClassTokenStart:
                    if ((needs & NeedSecret) == 0 && StartsToken(utf8, i)) needs |= NeedSecret;
                    break;
            }

            var next = utf8.Slice(i + 1).IndexOfAny(s_classifiedBytes);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return Combine(needs, digits, dots, colons) != 0;
    }
#endif

    /// <summary>True when the digits of <paramref name="value"/> (spaces and dashes ignored) are 13..19 long and pass Luhn.</summary>
    public static bool IsLuhnCard(string value)
    {
        var sum = 0;
        var digits = 0;
        var doubleIt = false;
        for (var i = value.Length - 1; i >= 0; i--)
        {
            var c = value[i];
            if (c is ' ' or '-') continue;
            if (c is < '0' or > '9') return false;
            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }

            sum += d;
            digits++;
            doubleIt = !doubleIt;
        }

        return digits is >= 13 and <= 19 && sum % 10 == 0;
    }

    /// <summary>
    /// The ISO 13616 check, any case, spaces ignored: 15..34 characters of country code, check digits and
    /// account, with at least seven digits (every national format has them), and mod 97 is 1.
    /// </summary>
    public static bool IsIban(string value)
    {
        var compact = new char[34];
        var length = 0;
        var digits = 0;
        foreach (var raw in value)
        {
            if (raw == ' ') continue;
            if (length == 34) return false;
            var c = raw is >= 'a' and <= 'z' ? (char)(raw - 32) : raw;
            if (c is >= '0' and <= '9') digits++;
            else if (c is < 'A' or > 'Z') return false;
            compact[length++] = c;
        }

        if (length < 15 || digits < 7) return false;
        if (compact[0] is < 'A' or > 'Z' || compact[1] is < 'A' or > 'Z' || compact[2] is < '0' or > '9' || compact[3] is < '0' or > '9') return false;
        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            remainder = c is >= '0' and <= '9'
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }

    private static bool IsIpv6(string value)
    {
        // At most one "::", and the groups (plus an embedded IPv4 counting two) make eight, or fewer with "::".
        var compressed = value.IndexOf("::", StringComparison.Ordinal);
        if (compressed >= 0 && value.IndexOf("::", compressed + 1, StringComparison.Ordinal) >= 0) return false;
        var groups = 0;
        foreach (var part in value.Split(':'))
        {
            if (part.Length == 0) continue;
            groups += part.IndexOf('.') >= 0 ? 2 : 1;
        }

        // "::" alone, or a time like 10::30 with one group on each side, is not an address worth a marker.
        return compressed >= 0 ? groups is >= 2 and <= 7 : groups == 8;
    }

    private static string SecretReplacement(string match)
    {
        // Keep the name of a key=value pair ("password=[SECRET]"), so the rest of the text still reads.
        if (!char.IsLetter(match[0]) || match.StartsWith("bearer", StringComparison.OrdinalIgnoreCase) || match.StartsWith("eyJ", StringComparison.Ordinal)) return SecretMarker;
        for (var i = 0; i < match.Length; i++)
        {
            if (match[i] is '=' or ':') return match.Substring(0, i + 1) + SecretMarker;
        }

        return SecretMarker;
    }

    private static int DigitCount(string value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (c is >= '0' and <= '9') count++;
        }

        return count;
    }

    // The names of SecretPattern's key=value pairs all end in one of these words (lowercase, read backwards from the separator).
    private static readonly string[] SecretNameEndings = { "password", "passwd", "pwd", "key", "secret", "token" };

    private static bool EndsWithSecretName(CharText value, int separator)
    {
        var end = separator;
        while (end > 0 && value[end - 1] is ' ' or '\t') end--;
        foreach (var name in SecretNameEndings)
        {
            if (end < name.Length) continue;
            var ok = true;
            for (var k = 0; k < name.Length && ok; k++) ok = (value[end - name.Length + k] | 0x20) == name[k];
            if (ok) return true;
        }

        return false;
    }

    private static bool StartsToken(CharText value, int i)
    {
        var rest = value.Length - i;
        switch (value[i])
        {
            case 'B' or 'b':
                return rest >= 7 && (value[i + 1] | 0x20) == 'e' && (value[i + 2] | 0x20) == 'a' && (value[i + 3] | 0x20) == 'r' && (value[i + 4] | 0x20) == 'e' && (value[i + 5] | 0x20) == 'r';
            case 'J':
                return i >= 2 && value[i - 1] == 'y' && value[i - 2] == 'e';
            case 'A':
                return rest >= 4 && value[i + 1] is 'K' or 'S' or 'G' or 'I' or 'R' or 'N';
            case '_':
                return i >= 3 && value[i - 2] == 'h' && value[i - 3] == 'g';
            default:
                return rest >= 4 && value[i + 1] == 'o' && value[i + 2] == 'x';
        }
    }

#if NET
    private static bool EndsWithSecretName(ReadOnlySpan<byte> value, int separator)
    {
        var end = separator;
        while (end > 0 && value[end - 1] is (byte)' ' or (byte)'\t') end--;
        foreach (var name in SecretNameEndings)
        {
            if (end < name.Length) continue;
            var ok = true;
            for (var k = 0; k < name.Length && ok; k++) ok = (value[end - name.Length + k] | 0x20) == name[k];
            if (ok) return true;
        }

        return false;
    }

    private static bool StartsToken(ReadOnlySpan<byte> value, int i)
    {
        var rest = value.Length - i;
        switch (value[i])
        {
            case (byte)'B' or (byte)'b':
                return rest >= 7 && (value[i + 1] | 0x20) == 'e' && (value[i + 2] | 0x20) == 'a' && (value[i + 3] | 0x20) == 'r' && (value[i + 4] | 0x20) == 'e' && (value[i + 5] | 0x20) == 'r';
            case (byte)'J':
                return i >= 2 && value[i - 1] == 'y' && value[i - 2] == 'e';
            case (byte)'A':
                return rest >= 4 && value[i + 1] is (byte)'K' or (byte)'S' or (byte)'G' or (byte)'I' or (byte)'R' or (byte)'N';
            case (byte)'_':
                return i >= 3 && value[i - 2] == 'h' && value[i - 3] == 'g';
            default:
                return rest >= 4 && value[i + 1] == 'o' && value[i + 2] == 'x';
        }
    }

    // The compiled form of each pattern: source-generated on .NET (one [GeneratedRegex] method a pattern, as the
    // generator wants), constructed on netstandard2.0. Rule looks its pattern up, so the table above stays the one list.
    private static Regex Compile(string pattern)
    {
        foreach (var regex in new[]
        {
            EmailRegex(), SecretRegex(), IbanRegex(), CardRegex(), SsnRegex(), Ipv4Regex(), Ipv6Regex(),
            InternationalPhoneRegex(), NorthAmericanPhoneRegex(), NationalPhoneRegex(),
        })
        {
            if (string.Equals(regex.ToString(), pattern, StringComparison.Ordinal)) return regex;
        }

        throw new InvalidOperationException("A PII rule's pattern has no [GeneratedRegex] method.");
    }

    [GeneratedRegex(EmailPattern, Options, TimeoutMs)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(SecretPattern, Options, TimeoutMs)]
    private static partial Regex SecretRegex();

    [GeneratedRegex(IbanPattern, Options, TimeoutMs)]
    private static partial Regex IbanRegex();

    [GeneratedRegex(CardPattern, Options, TimeoutMs)]
    private static partial Regex CardRegex();

    [GeneratedRegex(SsnPattern, Options, TimeoutMs)]
    private static partial Regex SsnRegex();

    [GeneratedRegex(Ipv4Pattern, Options, TimeoutMs)]
    private static partial Regex Ipv4Regex();

    [GeneratedRegex(Ipv6Pattern, Options, TimeoutMs)]
    private static partial Regex Ipv6Regex();

    [GeneratedRegex(InternationalPhonePattern, Options, TimeoutMs)]
    private static partial Regex InternationalPhoneRegex();

    [GeneratedRegex(NorthAmericanPhonePattern, Options, TimeoutMs)]
    private static partial Regex NorthAmericanPhoneRegex();

    [GeneratedRegex(NationalPhonePattern, Options, TimeoutMs)]
    private static partial Regex NationalPhoneRegex();
#else
    private static Regex Compile(string pattern) => new(pattern, Options, TimeSpan.FromMilliseconds(TimeoutMs));
#endif
}
