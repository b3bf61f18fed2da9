using System;
using System.Globalization;

namespace Telemetry.Catalog.Parsing;

/// <summary>Numbers as diagnostics print them.</summary>
internal static class NumberText
{
    // "0.####" spells 1e308 with 309 digits and 1e-9 as 0; the exponent form reads better at the extremes.
    public static string Format(double value) =>
        value == 0 || (Math.Abs(value) >= 1e-4 && Math.Abs(value) < 1e15)
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);
}
