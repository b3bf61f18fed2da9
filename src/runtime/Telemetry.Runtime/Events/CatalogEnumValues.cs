using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// The catalog strings of one generated enum, in member order: the <c>Values</c> table of its generated helpers class
/// (<c>&lt;Enum&gt;Extensions.Values</c>), which its <c>ToCatalogString()</c> extension and the event writers call and users
/// parse with (<see cref="TryParse"/>), so each enum's code is one table, not switches.
/// </summary>
/// <typeparam name="TEnum">The generated enum (int-based, members numbered from 0 in catalog order).</typeparam>
public sealed class CatalogEnumValues<TEnum>
    where TEnum : struct, Enum
{
    private readonly string[] _values;
    private readonly JsonEncodedText[] _json;

    /// <summary>Creates the table; called by generated code.</summary>
    /// <param name="values">The catalog strings, member 0 first.</param>
    public CatalogEnumValues(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Unsafe.SizeOf<TEnum>() != sizeof(int)) throw new ArgumentException($"{typeof(TEnum).Name} is not an int-based enum.", nameof(values));
        _values = values;
        _json = new JsonEncodedText[values.Length];
        for (var i = 0; i < values.Length; i++) _json[i] = JsonEncodedText.Encode(values[i]);
    }

    /// <summary>The catalog string of <paramref name="value"/>; its number for a value outside the catalog.</summary>
    public string ToCatalogString(TEnum value)
    {
        var i = Unsafe.As<TEnum, int>(ref value);
        return (uint)i < (uint)_values.Length ? _values[i] : i.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The catalog string pre-encoded for <see cref="Utf8JsonWriter"/>.</summary>
    public JsonEncodedText ToJsonText(TEnum value)
    {
        var i = Unsafe.As<TEnum, int>(ref value);
        return (uint)i < (uint)_json.Length ? _json[i] : JsonEncodedText.Encode(i.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Parses a catalog string (ordinal); false, with the default value, when it is not a member.</summary>
    public bool TryParse(string? text, out TEnum value)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (string.Equals(_values[i], text, StringComparison.Ordinal))
            {
                value = Unsafe.As<int, TEnum>(ref i);
                return true;
            }
        }

        value = default;
        return false;
    }
}
