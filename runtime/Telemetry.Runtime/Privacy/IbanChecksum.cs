using System;

namespace Telemetry.Runtime;

/// <summary>The ISO 13616 IBAN check: move the first four characters to the end, map letters to 10..35, and the number mod 97 is 1.</summary>
public static class IbanChecksum
{
    /// <summary>True when <paramref name="value"/> (spaces ignored) is 15..34 characters of country code, check digits and account, and passes mod 97.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        Span<char> compact = stackalloc char[34];
        var length = 0;
        foreach (var c in value)
        {
            if (c == ' ') continue;
            if (length == 34) return false;
            compact[length++] = char.ToUpperInvariant(c);
        }

        if (length < 15) return false;
        compact = compact[..length];
        if (!char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1]) || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3])) return false;

        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                var n = c - 'A' + 10;
                remainder = ((remainder * 100) + n) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }
}
