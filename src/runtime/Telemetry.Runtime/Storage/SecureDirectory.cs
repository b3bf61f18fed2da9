using System;
using System.IO;

namespace Telemetry.Runtime;

/// <summary>
/// Creates the folders that hold queued events and consent with owner-only permissions (0700 on
/// Unix; on Windows the per-user profile's ACLs already restrict it). Queued events are
/// personal-data adjacent, so a world-readable or shared temp folder is never acceptable.
/// </summary>
internal static class SecureDirectory
{
    /// <summary>Owner read, write and search: <c>rwx------</c>.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) and makes sure the folder itself is 0700.</summary>
    /// <exception cref="UnauthorizedAccessException">The folder exists and its permissions cannot be tightened.</exception>
    public static DirectoryInfo Ensure(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) return Directory.CreateDirectory(full);

        var info = Directory.CreateDirectory(full, OwnerOnly);
        var mode = File.GetUnixFileMode(full);
        if (mode != OwnerOnly)
        {
            File.SetUnixFileMode(full, OwnerOnly);
            if (File.GetUnixFileMode(full) != OwnerOnly)
            {
                throw new UnauthorizedAccessException($"The telemetry folder '{full}' must be accessible by its owner only (0700).");
            }
        }

        return info;
    }

    /// <summary>Makes a file readable and writable by its owner only (0600) where the platform has Unix modes.</summary>
    public static void RestrictFile(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path)) return;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
