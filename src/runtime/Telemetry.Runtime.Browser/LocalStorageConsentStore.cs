using System;
using System.Security.Cryptography;
using System.Text;

namespace Telemetry.Runtime.Browser;

/// <summary>
/// Consent kept in the browser's <c>localStorage</c>, one entry per subject under
/// <c>{prefix}consent.{HMAC-SHA-256 of the subject}</c> with the value <c>granted</c> or <c>denied</c>: the same keyed
/// hashing as the desktop's <c>consent.json</c> (the per-install key of <see cref="BrowserInstallKey"/>, which also
/// keys the offline queue's subjects), so the store names no user and a dictionary of ids does not reverse it.
/// localStorage is synchronous, so reads need no start-up step and a choice is stored before <see cref="Set"/> returns.
/// A choice stored by an earlier version under the unkeyed SHA-256 of the subject is honoured and moved to its keyed entry.
/// </summary>
public sealed class LocalStorageConsentStore : IConsentStore, IKeyedConsentStore
{
    private readonly Func<string, string?> _get;
    private readonly Action<string, string?> _set;
    private readonly string _prefix;
    private readonly IPersonalDataProtector _key;

    /// <summary>Creates the store over a key-value store (<c>localStorage.getItem</c>/<c>setItem</c>; null removes).</summary>
    /// <param name="getItem">Reads an item.</param>
    /// <param name="setItem">Writes an item (null removes it).</param>
    /// <param name="key">Keys the subject hashes: the per-install key (<see cref="BrowserInstallKey.GetOrCreate"/>).</param>
    /// <param name="prefix">Prefix of every item this store writes.</param>
    public LocalStorageConsentStore(Func<string, string?> getItem, Action<string, string?> setItem, IPersonalDataProtector key, string prefix = BrowserStorageOptions.DefaultKeyPrefix)
    {
        _get = getItem ?? throw new ArgumentNullException(nameof(getItem));
        _set = setItem ?? throw new ArgumentNullException(nameof(setItem));
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _prefix = prefix ?? throw new ArgumentNullException(nameof(prefix));
    }

    /// <inheritdoc/>
    public ConsentState Get(string subject)
    {
        var key = Key(subject);
        var state = Parse(_get(key));
        if (state != ConsentState.Unknown) return state;

        // The first format: the unkeyed SHA-256 of the subject. Honoured once, then kept under the keyed entry only.
        var legacy = _prefix + "consent." + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(subject))).ToLowerInvariant();
        state = Parse(_get(legacy));
        if (state == ConsentState.Unknown) return state;
        _set(key, Text(state));
        _set(legacy, null);
        return state;
    }

    /// <inheritdoc/>
    public void Set(string subject, ConsentState state) => _set(Key(subject), Text(state));

    /// <summary>The storage key of <paramref name="subject"/>.</summary>
    public string Key(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return KeyOf(_key.Hash(subject)!);
    }

    ConsentState IKeyedConsentStore.GetByKey(string keyedSubject) => Parse(_get(KeyOf(keyedSubject)));

    private string KeyOf(string keyedSubject) => _prefix + "consent." + keyedSubject;

    private static ConsentState Parse(string? value) => value switch
    {
        "granted" => ConsentState.Granted,
        "denied" => ConsentState.Denied,
        _ => ConsentState.Unknown,
    };

    private static string? Text(ConsentState state) => state switch
    {
        ConsentState.Granted => "granted",
        ConsentState.Denied => "denied",
        _ => null,
    };
}

/// <summary>
/// The browser's per-install key: 32 random bytes as 64 hex digits in localStorage under <c>{prefix}privacy.key</c>
/// (the counterpart of the desktop's <c>privacy.key</c> file). It keys the subject hashes of the IndexedDB queue and of
/// the consent entries, and the default <c>hash</c> treatment, so they stay the same across page loads. Clearing the
/// site's data rotates it.
/// </summary>
public static class BrowserInstallKey
{
    /// <summary>The item name after the prefix.</summary>
    public const string ItemName = "privacy.key";

    /// <summary>The key stored under <c>{prefix}privacy.key</c>, created (and stored before this returns) when missing or unreadable.</summary>
    public static byte[] GetOrCreate(Func<string, string?> getItem, Action<string, string?> setItem, string prefix = BrowserStorageOptions.DefaultKeyPrefix)
    {
        ArgumentNullException.ThrowIfNull(getItem);
        ArgumentNullException.ThrowIfNull(setItem);
        ArgumentNullException.ThrowIfNull(prefix);
        var item = prefix + ItemName;
        if (getItem(item) is { Length: 64 } stored)
        {
            try
            {
                return Convert.FromHexString(stored);
            }
            catch (FormatException)
            {
                // Unreadable: replaced below, as a new install (choices under the old key are asked again).
            }
        }

        var key = RandomNumberGenerator.GetBytes(32);
        setItem(item, Convert.ToHexString(key).ToLowerInvariant());
        return key;
    }
}
