using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>Catalog facts about one property as it goes on the wire.</summary>
/// <param name="Name">Wire name (after treatment: <c>note_length</c>).</param>
/// <param name="Type">Catalog type name (<c>string</c>, <c>int32</c>, <c>array</c>, ...).</param>
/// <param name="Required">False when the property may be absent.</param>
/// <param name="Pii">Personal-data class, if any.</param>
/// <param name="Treatment">Treatment applied before the value reached the event struct.</param>
public sealed record PropertyDescriptor(string Name, string Type, bool Required, PiiClass? Pii, PiiTreatment Treatment)
{
    /// <summary>
    /// Reads the compact list generated code passes: properties separated by <c>;</c>, each <c>name:type</c>, with
    /// <c>?</c> after the type when optional and <c>:PiiClass/Treatment</c> (member names) for personal data,
    /// e.g. <c>symbol:string;price:decimal?;email:string:Email/Hash</c>.
    /// </summary>
    public static IReadOnlyList<PropertyDescriptor> ParseList(string properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (properties.Length == 0) return Array.Empty<PropertyDescriptor>();
        var entries = properties.Split(';');
        var list = new PropertyDescriptor[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var parts = entries[i].Split(':');
            if (parts.Length is < 2 or > 3 || parts[0].Length == 0) throw new FormatException($"Bad property entry '{entries[i]}'.");
            var type = parts[1];
            var required = !type.EndsWith('?');
            if (!required) type = type[..^1];
            PiiClass? pii = null;
            var treatment = PiiTreatment.None;
            if (parts.Length == 3)
            {
                var slash = parts[2].IndexOf('/', StringComparison.Ordinal);
                if (slash < 0) throw new FormatException($"Bad personal-data part in '{entries[i]}'.");
                pii = Enum.Parse<PiiClass>(parts[2][..slash]);
                treatment = Enum.Parse<PiiTreatment>(parts[2][(slash + 1)..]);
            }

            list[i] = new PropertyDescriptor(parts[0], type, required, pii, treatment);
        }

        return list;
    }
}
