using System.Collections.Generic;

namespace Telemetry.Catalog.Text;

/// <summary>
/// The words of an identifier: what the personal-data name heuristics (TEL1001, TEL4002) and the high-frequency
/// handler names (TEL4003) match word by word.
/// </summary>
public static class IdentifierWords
{
    /// <summary>Splits snake_case, kebab-case, dotted and camelCase names into lowercase words.</summary>
    public static List<string> Split(string name)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_' || c == '-' || c == '.' || c == ' ')
            {
                Flush();
                continue;
            }

            if (char.IsUpper(c) && current.Length > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                Flush();
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
