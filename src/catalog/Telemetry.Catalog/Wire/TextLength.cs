// How long a string is against a catalog max_length. This file is compiled into two assemblies: the catalog library
// (read by the ingest server's validator and the analyzers' constant check through InternalsVisibleTo) and
// Telemetry.Runtime (the generated constraint checks), so the client, the build and the server count alike.
namespace Telemetry.Wire;

/// <summary>String length as JSON Schema's <c>maxLength</c> counts it: in Unicode code points (a surrogate pair is one).</summary>
internal static class TextLength
{
    /// <summary>The number of code points of <paramref name="value"/>; a lone surrogate counts as one.</summary>
    public static int CodePoints(string value)
    {
        var count = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            count++;
        }

        return count;
    }

    /// <summary>True when <paramref name="value"/> has more than <paramref name="maxLength"/> code points.</summary>
    public static bool Exceeds(string? value, int maxLength) =>
        value is not null && value.Length > maxLength && CodePoints(value) > maxLength;
}
