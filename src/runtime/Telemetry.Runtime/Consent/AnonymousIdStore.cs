using System;
using System.IO;

namespace Telemetry.Runtime;

/// <summary>
/// A random anonymous id kept in the per-user telemetry folder, so a signed-out user keeps one
/// sampling bucket (and one <c>anonymous_id</c>) across runs.
/// </summary>
internal static class AnonymousIdStore
{
    /// <summary>File name inside the folder.</summary>
    public const string FileName = "anonymous-id";

    /// <summary>The id stored in <paramref name="directory"/>, created on first use.</summary>
    public static string GetOrCreate(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        SecureDirectory.Ensure(directory);
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (Guid.TryParse(existing, out _)) return existing;
        }

        return Write(path);
    }

    /// <summary>Replaces the id stored in <paramref name="directory"/> with <paramref name="id"/> (the user asked to be forgotten).</summary>
    public static void Renew(string directory, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(id);
        SecureDirectory.Ensure(directory);
        Write(Path.Combine(directory, FileName), id);
    }

    private static string Write(string path, string? id = null)
    {
        var created = id ?? Guid.NewGuid().ToString("D");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, created);
        File.Move(temporary, path, overwrite: true);
        return created;
    }
}
