using System;
using System.Globalization;

namespace Telemetry.Catalog.Tool.Cost;

/// <summary>How cost figures are printed: whole events with thousands separators, dollars with cents, savings to 0.001 %.</summary>
internal static class CostFormat
{
    public static string Events(decimal value) => Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("#,0", CultureInfo.InvariantCulture);

    public static string Money(decimal value) => "$" + Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Percent(decimal fraction) => (fraction * 100m).ToString("0.###", CultureInfo.InvariantCulture) + " %";

    /// <summary>A decimal without trailing zeros (90000.0 -> 90000), rounded to <paramref name="digits"/>, for JSON.</summary>
    public static decimal Json(decimal value, int digits) =>
        Math.Round(value, digits, MidpointRounding.AwayFromZero) / 1.000000000000000000000000000000000m;
}
