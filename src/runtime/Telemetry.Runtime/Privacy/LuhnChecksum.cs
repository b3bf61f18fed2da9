using System;
using Telemetry.Privacy;

namespace Telemetry.Runtime;

/// <summary>The Luhn (mod 10) check digit test that every payment card number passes.</summary>
internal static class LuhnChecksum
{
    /// <summary>True when the digits of <paramref name="value"/> (spaces and dashes ignored) are 13..19 long and pass Luhn.</summary>
    public static bool IsValidCardNumber(ReadOnlySpan<char> value) => PiiRules.IsLuhnCard(value.ToString());
}
