using System;
using System.Security.Cryptography;
using System.Text;

namespace Telemetry.Runtime;

/// <summary>
/// HMAC-SHA256 with an application secret. A bare hash of an e-mail address is reversible by a
/// dictionary; a keyed one is not without the key, and the same key keeps values joinable.
/// </summary>
public sealed class HmacPersonalDataProtector : IPersonalDataProtector
{
    private readonly byte[] _key;

    /// <summary>Creates a protector; the key must be at least 16 bytes of secret material.</summary>
    public HmacPersonalDataProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16) throw new ArgumentException("The HMAC key must be at least 16 bytes.", nameof(key));
        _key = (byte[])key.Clone();
    }

    /// <summary>A protector with the per-install key of <paramref name="directory"/> (<see cref="PersonalDataKey"/>): hashes are stable across runs of this install.</summary>
    public static HmacPersonalDataProtector ForInstall(string directory) => new(PersonalDataKey.GetOrCreate(directory));

    /// <summary>A protector with a random key: hashes are stable for this process only (used when there is no telemetry folder).</summary>
    public static HmacPersonalDataProtector CreateEphemeral() => new(RandomNumberGenerator.GetBytes(32));

    /// <inheritdoc/>
    public string? Hash(string? value)
    {
        if (value is null) return null;
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = max <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(max);
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[512];
            var written = Encoding.UTF8.GetBytes(value, buffer);
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_key, buffer[..written], mac);
            return Convert.ToHexString(mac).ToLowerInvariant();
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }
}
