using System;

namespace Telemetry.Runtime;

/// <summary>The Luhn (mod 10) check digit test that every payment card number passes.</summary>
public static class LuhnChecksum
{
    /// <summary>True when the digits of <paramref name="value"/> (spaces and dashes ignored) are 13..19 long and pass Luhn.</summary>
    public static bool IsValidCardNumber(ReadOnlySpan<char> value)
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
}
