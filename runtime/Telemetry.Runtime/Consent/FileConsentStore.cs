using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// Consent persisted as a small JSON file (<c>consent.json</c>) in the per-user telemetry folder.
/// Subjects are stored as SHA-256 hashes, so the file names no user; it is replaced atomically
/// (write a temporary file, then rename) so a crash never leaves half a file.
/// </summary>
public sealed class FileConsentStore : IConsentStore
{
    /// <summary>File name inside the folder.</summary>
    public const string FileName = "consent.json";

    private readonly string _path;
    private readonly Dictionary<string, ConsentState> _states = new(StringComparer.Ordinal);

    /// <summary>Opens (or starts) the store in <paramref name="directory"/>, which is created with owner-only permissions.</summary>
    public FileConsentStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        SecureDirectory.Ensure(directory);
        _path = Path.Combine(directory, FileName);
        Load();
    }

    /// <summary>Full path of the file.</summary>
    public string FilePath => _path;

    /// <inheritdoc/>
    public ConsentState Get(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = Key(subject);
        lock (_states) return _states.TryGetValue(key, out var state) ? state : ConsentState.Unknown;
    }

    /// <inheritdoc/>
    public void Set(string subject, ConsentState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var key = Key(subject);
        lock (_states)
        {
            if (state == ConsentState.Unknown) _states.Remove(key);
            else _states[key] = state;
            Save();
        }
    }

    private static string Key(string subject) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(subject))).ToLowerInvariant();

    private void Load()
    {
        if (!File.Exists(_path)) return;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(_path));
            if (!document.RootElement.TryGetProperty("subjects", out var subjects) || subjects.ValueKind != JsonValueKind.Object) return;
            foreach (var subject in subjects.EnumerateObject())
            {
                var state = subject.Value.GetString() switch
                {
                    "granted" => ConsentState.Granted,
                    "denied" => ConsentState.Denied,
                    _ => ConsentState.Unknown,
                };
                if (state != ConsentState.Unknown) _states[subject.Name] = state;
            }
        }
        catch (JsonException)
        {
            // A damaged file records no choice: the configured default applies until the user chooses again.
        }
    }

    private void Save()
    {
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteStartObject("subjects");
            foreach (var pair in _states) writer.WriteString(pair.Key, pair.Value == ConsentState.Granted ? "granted" : "denied");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
    }
}
