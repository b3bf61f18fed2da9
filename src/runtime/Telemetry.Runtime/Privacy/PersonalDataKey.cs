using System;
using System.IO;
using System.Security.Cryptography;

namespace Telemetry.Runtime;

/// <summary>
/// The per-install HMAC key: 32 random bytes kept as hex in <see cref="FileName"/> in the owner-only (0700)
/// telemetry folder, file mode 0600. It keys the local subject hashes (offline queue, <c>consent.json</c>)
/// and, unless the app brings its own key, the <c>hash</c> treatment, so equal values hash equally across
/// runs of one install. Deleting the file rotates it (see docs/runtime.md, "What is on disk").
/// </summary>
internal static class PersonalDataKey
{
    /// <summary>File name inside the folder.</summary>
    public const string FileName = "privacy.key";

    /// <summary>The key stored in <paramref name="directory"/>, created on first use (two processes racing get the same key).</summary>
    /// <exception cref="InvalidDataException">The file exists but does not hold a 32-byte hex key.</exception>
    public static byte[] GetOrCreate(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        SecureDirectory.Ensure(directory);
        var path = Path.Combine(Path.GetFullPath(directory), FileName);
        if (File.Exists(path)) return Read(path);

        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                SecureDirectory.RestrictFile(temporary);
                var text = System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(key).ToLowerInvariant());
                stream.Write(text);
                stream.Flush(flushToDisk: true);
            }

            // No overwrite: when another process created the key first, its key wins and both use it.
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static byte[] Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        if (text.Length != 64) throw new InvalidDataException($"The telemetry key file '{path}' must hold 64 hex digits; delete it to create a new key.");
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"The telemetry key file '{path}' must hold 64 hex digits; delete it to create a new key.", ex);
        }
    }
}
