using System;
using System.IO;

namespace Telemetry.Runtime;

/// <summary>
/// The default per-user folder for the offline queue and consent:
/// <c>{LocalApplicationData}/{ApplicationName}/telemetry</c> (<c>~/.local/share/…</c> on Linux,
/// <c>~/Library/Application Support/…</c> on macOS, <c>%LOCALAPPDATA%\…</c> on Windows). Never the
/// shared temp folder.
/// </summary>
public static class TelemetryStorageLocation
{
    /// <summary>The folder for <paramref name="applicationName"/>, or null when the platform has no per-user data folder.</summary>
    public static string? DefaultFor(string applicationName)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root)) return null;
        return Path.Combine(root, Sanitize(applicationName), "telemetry");
    }

    private static string Sanitize(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (Array.IndexOf(invalid, chars[i]) >= 0 || chars[i] == '/' || chars[i] == '\\') chars[i] = '_';
        }

        return new string(chars);
    }
}
