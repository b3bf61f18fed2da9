using System;
using System.Globalization;
#if NET9_0_OR_GREATER
using System.Runtime.InteropServices;
#endif
using System.Text.Json;
using Telemetry.Catalog.Model;

namespace Telemetry.Ingest.Validation;

/// <summary>The C# type a JSON number of the wire object is read into.</summary>
internal enum NumberKind
{
    /// <summary>Not a number property.</summary>
    None,
    /// <summary><c>int</c>: a JSON Schema <c>integer</c> within <see cref="int.MinValue"/>..<see cref="int.MaxValue"/>.</summary>
    Int32,
    /// <summary><c>long</c>: a JSON Schema <c>integer</c> within <see cref="long.MinValue"/>..<see cref="long.MaxValue"/>.</summary>
    Int64,
    /// <summary><c>double</c>: any finite JSON number.</summary>
    Double,
    /// <summary><c>decimal</c>: a finite JSON number within ±<see cref="decimal.MaxValue"/>.</summary>
    Decimal,
}

/// <summary>How a JSON number literal reads as an integer.</summary>
internal enum IntegerRead
{
    /// <summary>A whole number that fits <c>long</c> (<c>5</c>, <c>5.0</c>, <c>5e0</c>, <c>50e-1</c>, <c>-0</c>).</summary>
    Integer,
    /// <summary>The literal has a fractional part (<c>5.5</c>, <c>-1e-7</c>).</summary>
    Fractional,
    /// <summary>A whole number beyond <c>long</c> (<c>1e308</c>, <c>9223372036854775808</c>).</summary>
    OutOfRange,
}

/// <summary>
/// The one number contract of the ingest server, used by validation and by the stored-event mapping alike, so
/// whatever validates is stored, and stored as the same value in SQLite and PostgreSQL:
/// <list type="bullet">
/// <item>A JSON Schema <c>integer</c> is any JSON number literal with no fractional part, in any notation
/// (<c>5</c>, <c>5.0</c>, <c>5e0</c>, <c>0.5e1</c>; <c>-0</c> is 0), read exactly from its digits (never through a double,
/// so 2^53+1 stays 2^53+1), within the property's own minimum/maximum and always within its C# type
/// (<c>int</c> for int32 properties, PII lengths and the envelope's integers; <c>long</c> for int64).</item>
/// <item>A <c>number</c> is any JSON number whose double value is finite; decimal properties also stay within
/// ±<see cref="decimal.MaxValue"/>.</item>
/// <item>Envelope ranges: <c>user_bucket</c> 0..9999, <c>schema_version</c> 1..the event's version in the server's catalog.</item>
/// </list>
/// </summary>
internal static class NumberContract
{
    /// <summary>Smallest <c>user_bucket</c>.</summary>
    public const int UserBucketMin = 0;

    /// <summary>Largest <c>user_bucket</c> (10,000 sampling buckets).</summary>
    public const int UserBucketMax = Telemetry.Wire.EnvelopeFields.UserBucketCount - 1;

    /// <summary>Smallest <c>schema_version</c>.</summary>
    public const int SchemaVersionMin = Telemetry.Wire.EnvelopeFields.FirstSchemaVersion;

    /// <summary>The C# type of a wire property of <paramref name="spec"/> (envelope fields included); <see cref="NumberKind.None"/> when it is not a number.</summary>
    public static NumberKind KindOf(EventSpec spec, string wireName)
    {
        foreach (var field in Telemetry.Wire.EnvelopeFields.All)
        {
            if (field.Name != wireName) continue;
            return field.Type switch
            {
                Telemetry.Wire.EnvelopeJsonType.Integer => NumberKind.Int32,
                Telemetry.Wire.EnvelopeJsonType.Number => NumberKind.Double,
                _ => NumberKind.None,
            };
        }

        foreach (var p in spec.Properties)
        {
            if (!p.IsSent || p.WireName != wireName) continue;
            if (p.Pii is not null && p.Treatment == PiiTreatment.Length) return NumberKind.Int32;
            if (p.Pii is not null) return NumberKind.None;
            return KindOf(p.Type == PropertyType.Array ? p.ItemType ?? PropertyType.String : p.Type);
        }

        return NumberKind.None;
    }

    /// <summary>The C# number type of a catalog property type.</summary>
    public static NumberKind KindOf(PropertyType type) => type switch
    {
        PropertyType.Int32 => NumberKind.Int32,
        PropertyType.Int64 => NumberKind.Int64,
        PropertyType.Double or PropertyType.Duration => NumberKind.Double,
        PropertyType.Decimal => NumberKind.Decimal,
        _ => NumberKind.None,
    };

    /// <summary>Smallest value of an integer kind.</summary>
    public static long MinOf(NumberKind kind) => kind == NumberKind.Int32 ? int.MinValue : long.MinValue;

    /// <summary>Largest value of an integer kind.</summary>
    public static long MaxOf(NumberKind kind) => kind == NumberKind.Int32 ? int.MaxValue : long.MaxValue;

    /// <summary>Reads a JSON number element as an integer, exactly (see <see cref="ReadInteger(ReadOnlySpan{byte}, out long)"/>).</summary>
    public static IntegerRead ReadInteger(JsonElement number, out long value)
    {
        if (number.ValueKind != JsonValueKind.Number) throw new ArgumentException("Not a JSON number.", nameof(number));
        return ReadInteger(RawUtf8(number), out value);
    }

    /// <summary>The element's JSON text as UTF-8, without copying where the framework allows.</summary>
    internal static ReadOnlySpan<byte> RawUtf8(JsonElement element) =>
#if NET9_0_OR_GREATER
        JsonMarshal.GetRawUtf8Value(element);
#else
        System.Text.Encoding.UTF8.GetBytes(element.GetRawText());
#endif

    /// <summary>
    /// Reads a JSON number literal (RFC 8259 grammar, UTF-8) as an integer from its decimal digits: no rounding,
    /// any notation. <paramref name="value"/> is set only for <see cref="IntegerRead.Integer"/>.
    /// </summary>
    public static IntegerRead ReadInteger(ReadOnlySpan<byte> literal, out long value)
    {
        value = 0;
        var i = 0;
        var negative = literal.Length > 0 && literal[0] == (byte)'-';
        if (negative) i++;

        // Significant digits (leading zeros dropped), and how many of them came after the decimal point.
        Span<byte> digits = stackalloc byte[20];
        var count = 0;
        var overflowDigits = 0; // significant digits beyond the 20 kept
        var nonZeroBeyond = false;
        var trailingZerosBeyond = 0;
        var fractionDigits = 0L;
        var inFraction = false;
        for (; i < literal.Length; i++)
        {
            var c = literal[i];
            if (c == (byte)'.')
            {
                inFraction = true;
                continue;
            }

            if (c is < (byte)'0' or > (byte)'9') break;
            if (inFraction) fractionDigits++;
            if (count == 0 && c == (byte)'0') continue;
            if (count < digits.Length) digits[count++] = (byte)(c - '0');
            else
            {
                overflowDigits++;
                if (c != (byte)'0')
                {
                    nonZeroBeyond = true;
                    trailingZerosBeyond = 0;
                }
                else
                {
                    trailingZerosBeyond++;
                }
            }
        }

        long exponent = 0;
        if (i < literal.Length && (literal[i] == (byte)'e' || literal[i] == (byte)'E'))
        {
            i++;
            var negativeExponent = false;
            if (i < literal.Length && (literal[i] == (byte)'+' || literal[i] == (byte)'-'))
            {
                negativeExponent = literal[i] == (byte)'-';
                i++;
            }

            for (; i < literal.Length && literal[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                if (exponent < 1_000_000_000) exponent = exponent * 10 + (literal[i] - '0');
            }

            if (negativeExponent) exponent = -exponent;
        }

        if (count == 0) return IntegerRead.Integer; // 0, -0, 0.000, 0e5: zero

        // value = digits × 10^(scale), where the kept digits stand for count + overflowDigits digits.
        var scale = exponent - fractionDigits + overflowDigits;
        if (nonZeroBeyond)
        {
            // More than 20 significant digits: fractional when the last non-zero one lies after the decimal point,
            // else a whole number of at least 21 digits, beyond any long.
            return exponent - fractionDigits + trailingZerosBeyond < 0 ? IntegerRead.Fractional : IntegerRead.OutOfRange;
        }

        while (count > 0 && digits[count - 1] == 0)
        {
            count--;
            scale++;
        }

        if (scale < 0) return IntegerRead.Fractional;
        if (count + scale > 19) return IntegerRead.OutOfRange;
        ulong magnitude = 0;
        for (var d = 0; d < count; d++) magnitude = magnitude * 10 + digits[d];
        for (var s = 0; s < scale; s++) magnitude *= 10;
        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1) return IntegerRead.OutOfRange;
            value = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
        }
        else
        {
            if (magnitude > long.MaxValue) return IntegerRead.OutOfRange;
            value = (long)magnitude;
        }

        return IntegerRead.Integer;
    }

    /// <summary>Reads an <c>int</c> under the contract (the stored-event mapping's reader); throws when the value breaks it.</summary>
    /// <exception cref="FormatException">Not an integer within <c>int</c>.</exception>
    public static int ToInt32(JsonElement number)
    {
        if (number.ValueKind == JsonValueKind.Number && ReadInteger(number, out var value) == IntegerRead.Integer && value is >= int.MinValue and <= int.MaxValue) return (int)value;
        throw new FormatException("The value is not an integer within the range of int.");
    }

    /// <summary>Reads a finite <c>double</c> under the contract; throws when the value breaks it.</summary>
    /// <exception cref="FormatException">Not a finite number.</exception>
    public static double ToDouble(JsonElement number)
    {
        if (number.ValueKind == JsonValueKind.Number && number.TryGetDouble(out var value) && double.IsFinite(value)) return value;
        throw new FormatException("The value is not a finite number.");
    }

    /// <summary>The largest magnitude a decimal property accepts, as a double.</summary>
    internal static readonly double DecimalLimit = (double)decimal.MaxValue;

    /// <summary>Text of a long for messages.</summary>
    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
