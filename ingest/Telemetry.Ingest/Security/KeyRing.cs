using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Telemetry.Ingest.Security;

/// <summary>Who a presented key belongs to.</summary>
internal enum KeyCheck
{
    /// <summary>No key was presented (401).</summary>
    Missing,
    /// <summary>A key was presented but is not valid here (403).</summary>
    Wrong,
    /// <summary>The key is valid.</summary>
    Valid,
}

/// <summary>
/// The configured write keys and the admin key, kept only as SHA-256 hashes. A presented key is hashed
/// and compared with <see cref="CryptographicOperations.FixedTimeEquals"/> against every entry (no early exit),
/// so timing tells nothing about how much of a key matched. Keys are never logged.
/// </summary>
internal sealed class KeyRing
{
    private readonly (byte[] Hash, string Project)[] _writeKeys;
    private readonly byte[]? _adminHash;

    public KeyRing(IEnumerable<ProjectOptions> projects, string? adminKey)
    {
        var list = new List<(byte[], string)>();
        foreach (var p in projects)
        {
            if (string.IsNullOrEmpty(p.WriteKey)) continue;
            list.Add((Hash(p.WriteKey), string.IsNullOrEmpty(p.Name) ? "default" : p.Name));
        }

        _writeKeys = list.ToArray();
        _adminHash = string.IsNullOrEmpty(adminKey) ? null : Hash(adminKey);
    }

    /// <summary>Number of write keys configured.</summary>
    public int WriteKeyCount => _writeKeys.Length;

    /// <summary>Checks a write key; on success <paramref name="project"/> names its project.</summary>
    public KeyCheck CheckWriteKey(string? presented, out string project)
    {
        project = "";
        if (string.IsNullOrEmpty(presented)) return KeyCheck.Missing;
        Span<byte> hash = stackalloc byte[32];
        Hash(presented, hash);
        var found = -1;
        for (var i = 0; i < _writeKeys.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _writeKeys[i].Hash) && found < 0) found = i;
        }

        if (found < 0) return KeyCheck.Wrong;
        project = _writeKeys[found].Project;
        return KeyCheck.Valid;
    }

    /// <summary>Checks the admin key.</summary>
    public KeyCheck CheckAdminKey(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return KeyCheck.Missing;
        if (_adminHash is null) return KeyCheck.Wrong;
        Span<byte> hash = stackalloc byte[32];
        Hash(presented, hash);
        return CryptographicOperations.FixedTimeEquals(hash, _adminHash) ? KeyCheck.Valid : KeyCheck.Wrong;
    }

    /// <summary>
    /// The key a request presents: <c>Authorization: Bearer KEY</c>, <c>Authorization: Basic base64(KEY:)</c>
    /// (Segment style, empty password) or <c>X-Write-Key: KEY</c>.
    /// </summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Write-Key", out var direct) && !StringValues.IsNullOrEmpty(direct)) return direct.ToString().Trim();
        var auth = request.Headers.Authorization.ToString();
        if (auth.Length == 0) return null;
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth.Substring(7).Trim();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Substring(6).Trim()));
                var colon = decoded.IndexOf(':');
                return colon >= 0 ? decoded.Substring(0, colon) : decoded;
            }
            catch (FormatException)
            {
                return auth; // unreadable: treated as a wrong key
            }
        }

        return auth.Trim();
    }

    /// <summary>A short, non-reversible partition key for a presented key (rate limiting), never the key itself.</summary>
    public static string PartitionOf(string presented)
    {
        Span<byte> hash = stackalloc byte[32];
        Hash(presented, hash);
        return Convert.ToHexString(hash.Slice(0, 12));
    }

    private static byte[] Hash(string key)
    {
        var result = new byte[32];
        Hash(key, result);
        return result;
    }

    private static void Hash(string key, Span<byte> destination)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        SHA256.HashData(bytes, destination);
    }
}
