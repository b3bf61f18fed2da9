using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// Consent persisted as a small JSON file (<c>consent.json</c>) in the per-user telemetry folder.
/// Subjects are stored as keyed HMAC-SHA256 hashes (the per-install <see cref="PersonalDataKey"/> of the
/// folder, or the protector given), so the file names no user and a dictionary of ids or e-mail addresses
/// does not reverse it; it is replaced atomically (write a temporary file, then rename) so a crash never
/// leaves half a file. A file of the first format (unkeyed SHA-256) is read: its choices are honoured
/// and moved to keyed entries as the pipeline meets their subjects again.
/// </summary>
public sealed class FileConsentStore : IConsentStore, IKeyedConsentStore
{
    /// <summary>File name inside the folder.</summary>
    public const string FileName = "consent.json";

    private readonly string _path;
    private readonly IPersonalDataProtector _key;
    private readonly Dictionary<string, ConsentState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsentState> _legacy = new(StringComparer.Ordinal);

    /// <summary>Opens (or starts) the store in <paramref name="directory"/>, which is created with owner-only permissions; subjects are keyed with the folder's <see cref="PersonalDataKey"/>.</summary>
    public FileConsentStore(string directory)
        : this(directory, HmacPersonalDataProtector.ForInstall(directory))
    {
    }

    /// <summary>Opens (or starts) the store in <paramref name="directory"/>, keying subjects with <paramref name="key"/>.</summary>
    public FileConsentStore(string directory, IPersonalDataProtector key)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(key);
        SecureDirectory.Ensure(directory);
        _key = key;
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
        lock (_states)
        {
            if (_states.TryGetValue(key, out var state)) return state;
            if (_legacy.Count == 0) return ConsentState.Unknown;

            // A choice recorded in the first format (unkeyed SHA-256) is honoured and moved to a keyed entry.
            var legacyKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(subject))).ToLowerInvariant();
            if (!_legacy.Remove(legacyKey, out state)) return ConsentState.Unknown;
            _states[key] = state;
            Save();
            return state;
        }
    }

    /// <summary>The recorded choice of a subject given as its keyed hash (what the offline queue stores), when this store uses the same key.</summary>
    internal ConsentState GetByKey(string keyedSubject)
    {
        lock (_states) return _states.TryGetValue(keyedSubject, out var state) ? state : ConsentState.Unknown;
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

    ConsentState IKeyedConsentStore.GetByKey(string keyedSubject) => GetByKey(keyedSubject);

    private string Key(string subject) => _key.Hash(subject)!;

    private void Load()
    {
        if (!File.Exists(_path)) return;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(_path));
            var keyed = document.RootElement.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() >= 2;
            ReadSubjects(document.RootElement, "subjects", keyed ? _states : _legacy);
            if (keyed) ReadSubjects(document.RootElement, "legacy_subjects", _legacy);
        }
        catch (JsonException)
        {
            // A damaged file records no choice: the configured default applies until the user chooses again.
        }
    }

    private static void ReadSubjects(JsonElement root, string property, Dictionary<string, ConsentState> into)
    {
        if (!root.TryGetProperty(property, out var subjects) || subjects.ValueKind != JsonValueKind.Object) return;
        foreach (var subject in subjects.EnumerateObject())
        {
            var state = subject.Value.GetString() switch
            {
                "granted" => ConsentState.Granted,
                "denied" => ConsentState.Denied,
                _ => ConsentState.Unknown,
            };
            if (state != ConsentState.Unknown) into[subject.Name] = state;
        }
    }

    private void Save()
    {
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            SecureDirectory.RestrictFile(temporary);
        }

        using (var stream = new FileStream(temporary, FileMode.Truncate, FileAccess.Write, FileShare.None))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 2);
            writer.WriteString("subject_hash", "hmac-sha256");
            writer.WriteStartObject("subjects");
            foreach (var pair in _states) writer.WriteString(pair.Key, pair.Value == ConsentState.Granted ? "granted" : "denied");
            writer.WriteEndObject();
            if (_legacy.Count > 0)
            {
                // Choices of the first format not yet met again: unkeyed, so they go as soon as they are migrated.
                writer.WriteStartObject("legacy_subjects");
                foreach (var pair in _legacy) writer.WriteString(pair.Key, pair.Value == ConsentState.Granted ? "granted" : "denied");
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
    }
}
