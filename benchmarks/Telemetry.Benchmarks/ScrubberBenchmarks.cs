using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>
/// The PII scrubber per string: the shared rule set (more rules: IP addresses, secrets, any-case IBAN) against the
/// scrubber it replaced (seven rules behind an "@ or seven digits" pre-check), on the strings events carry.
/// The goal: no string kind slower than before.
/// </summary>
[MemoryDiagnoser]
public class ScrubberBenchmarks
{
    [Params("enum", "sentence", "timestamp", "uuid", "email")]
    public string Kind { get; set; } = "enum";

    private string _value = string.Empty;

    [GlobalSetup]
    public void Setup() => _value = Kind switch
    {
        "enum" => "search",
        "sentence" => "Plan for the week: review the BTC/USDT breakout and move the stop",
        "timestamp" => "2025-11-10T12:00:00.1234567+00:00",
        "uuid" => "0193a5c0-11f2-7b3e-8a41-5d0c9e7f2a63",
        _ => "contact jane.doe@example.com about the order",
    };

    [Benchmark(Description = "shared rule set (PiiRules)")]
    public string Shared() => PersonalDataScrubber.Default.Scrub(_value);

    [Benchmark(Baseline = true, Description = "previous scrubber")]
    public string Previous() => PreviousScrubber.Scrub(_value);
}

/// <summary>The runtime scrubber as it was before the shared rule set (kept only as this benchmark's baseline).</summary>
internal static partial class PreviousScrubber
{
    private static readonly MatchEvaluator s_iban = m => IbanChecksum.IsValid(m.ValueSpan) ? "[IBAN]" : m.Value;
    private static readonly MatchEvaluator s_card = m => LuhnChecksum.IsValidCardNumber(m.ValueSpan) ? "[CARD]" : m.Value;
    private static readonly MatchEvaluator s_internationalPhone = m => DigitCount(m.ValueSpan) is >= 8 and <= 15 ? "[PHONE]" : m.Value;
    private static readonly MatchEvaluator s_nationalPhone = m => DigitCount(m.ValueSpan) is >= 9 and <= 12 ? "[PHONE]" : m.Value;

    public static string Scrub(string value)
    {
        if (!MayContain(value)) return value;
        var result = EmailRegex().Replace(value, "[EMAIL]");
        result = IbanRegex().Replace(result, s_iban);
        result = CardRegex().Replace(result, s_card);
        result = SsnRegex().Replace(result, "[SSN]");
        result = InternationalPhoneRegex().Replace(result, s_internationalPhone);
        result = NorthAmericanPhoneRegex().Replace(result, "[PHONE]");
        result = NationalPhoneRegex().Replace(result, s_nationalPhone);
        return string.Equals(result, value, StringComparison.Ordinal) ? value : result;
    }

    private static bool MayContain(ReadOnlySpan<char> value)
    {
        var digits = 0;
        foreach (var c in value)
        {
            if (c == '@') return true;
            if (c is >= '0' and <= '9' && ++digits >= 7) return true;
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

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])", RegexOptions.CultureInvariant, 250)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])", RegexOptions.CultureInvariant, 250)]
    private static partial Regex IbanRegex();

    [GeneratedRegex(@"(?<![\w+-])(?:[0-9][ -]?){12,18}[0-9](?![\w]|-\w)", RegexOptions.CultureInvariant, 250)]
    private static partial Regex CardRegex();

    [GeneratedRegex(@"(?<![\w-])(?!000|666|9[0-9]{2})[0-9]{3}([- ])(?!00)[0-9]{2}\1(?!0000)[0-9]{4}(?![\w]|-\w)", RegexOptions.CultureInvariant, 250)]
    private static partial Regex SsnRegex();

    [GeneratedRegex(@"(?<![\w+])\+[0-9]{1,3}(?:[ .-]?(?:\([0-9]{1,4}\)|[0-9]{1,4})){1,7}(?![\w]|-\w)", RegexOptions.CultureInvariant, 250)]
    private static partial Regex InternationalPhoneRegex();

    [GeneratedRegex(@"(?<![\w-])(?:\([0-9]{3}\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![\w]|-\w)", RegexOptions.CultureInvariant, 250)]
    private static partial Regex NorthAmericanPhoneRegex();

    [GeneratedRegex(@"(?<![\w-])0[0-9]{1,4}(?:[ .-][0-9]{2,4}){2,4}(?![\w]|-\w)", RegexOptions.CultureInvariant, 250)]
    private static partial Regex NationalPhoneRegex();
}
