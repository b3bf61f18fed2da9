using System.Globalization;

namespace Telemetry.Catalog.Model;

/// <summary>FNV-1a 64 over UTF-16 code units: a cheap, stable fingerprint of a catalog text.</summary>
public static class ContentHash
{
    /// <summary>Hex FNV-1a 64 of <paramref name="text"/>.</summary>
    public static string Of(string text)
    {
        unchecked
        {
            var hash = 14695981039346656037UL;
            foreach (var c in text)
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }

            return hash.ToString("x16", CultureInfo.InvariantCulture);
        }
    }
}
