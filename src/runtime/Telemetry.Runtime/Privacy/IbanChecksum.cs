using System;
using Telemetry.Privacy;

namespace Telemetry.Runtime;

/// <summary>The ISO 13616 IBAN check: move the first four characters to the end, map letters to 10..35, and the number mod 97 is 1.</summary>
internal static class IbanChecksum
{
    /// <summary>True when <paramref name="value"/> (spaces ignored, any case) is 15..34 characters of country code, check digits and account with at least seven digits, and passes mod 97.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => PiiRules.IsIban(value.ToString());
}
