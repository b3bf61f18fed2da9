using System;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>
/// FNV-1a 32-bit over the UTF-8 bytes of a string: the deterministic user hash of sampling, so a
/// user lands in the same bucket in every process and on every platform.
/// </summary>
internal static class Fnv1a32
{
    /// <summary>FNV offset basis.</summary>
    public const uint OffsetBasis = 2166136261;

    /// <summary>FNV prime.</summary>
    public const uint Prime = 16777619;

    /// <summary>Hash of raw bytes.</summary>
    public static uint Hash(ReadOnlySpan<byte> data)
    {
        var hash = OffsetBasis;
        foreach (var b in data)
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }

    /// <summary>Hash of the UTF-8 encoding of <paramref name="value"/>.</summary>
    public static uint Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 256)
        {
            Span<byte> buffer = stackalloc byte[256];
            return Hash(buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
        }

        return Hash(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The user's bucket, 0..9999.</summary>
    public static int Bucket(string userId) => (int)(Hash(userId) % EventDescriptor.BucketCount);
}
