using System;
using System.Security.Cryptography;

namespace Telemetry.Runtime.Browser;

/// <summary>
/// Consent kept in the browser's <c>localStorage</c>, one entry per subject under
/// <c>{prefix}consent.{keyed hash of the subject}</c> with the value <c>granted</c> or <c>denied</c>: the same keyed
/// hashing (HMAC-SHA-256) as the desktop's <c>consent.json</c>, so the store names no user and a dictionary of user ids
/// does not reverse it. The key is the app's <see cref="IPersonalDataProtector"/> when given, else a per-install key
/// kept under <c>{prefix}privacy.key</c> (the browser's counterpart of the desktop's <c>privacy.key</c> file).
/// localStorage is synchronous, so reads need no start-up step and a choice is stored before <see cref="Set"/> returns.
/// </summary>
public sealed class LocalStorageConsentStore : IConsentStore
{
    private readonly Func<string, string?> _get;
    private readonly Action<string, string?> _set;
    private readonly string _prefix;
    private readonly IPersonalDataProtector _key;

    /// <summary>Creates the store over a key-value store (<c>localStorage.getItem</c>/<c>setItem</c>; null removes).</summary>
    /// <param name="getItem">Reads an item.</param>
    /// <param name="setItem">Writes an item (null removes it).</param>
    /// <param name="prefix">Prefix of every item this store writes.</param>
    /// <param name="key">Keyed hashing of subjects; null uses the per-install key under <c>{prefix}privacy.key</c>, created on first use.</param>
    public LocalStorageConsentStore(Func<string, string?> getItem, Action<string, string?> setItem, string prefix = BrowserStorageOptions.DefaultKeyPrefix, IPersonalDataProtector? key = null)
    {
        _get = getItem ?? throw new ArgumentNullException(nameof(getItem));
        _set = setItem ?? throw new ArgumentNullException(nameof(setItem));
        _prefix = prefix ?? throw new ArgumentNullException(nameof(prefix));
        _key = key ?? new HmacPersonalDataProtector(InstallKey());
    }

    /// <summary>The storage item holding the per-install key (base64 of 32 random bytes).</summary>
    public string KeyItem => _prefix + "privacy.key";

    private byte[] InstallKey()
    {
        if (_get(KeyItem) is { Length: > 0 } stored)
        {
            try
            {
                var bytes = Convert.FromBase64String(stored);
                if (bytes.Length == 32) return bytes;
            }
            catch (FormatException)
            {
            }
        }

        // No key yet (or an unreadable one): a new install. Choices stored under an older key are no longer found,
        // which asks the user again rather than guessing.
        var created = RandomNumberGenerator.GetBytes(32);
        _set(KeyItem, Convert.ToBase64String(created));
        return created;
    }

    /// <inheritdoc/>
    public ConsentState Get(string subject) => _get(Key(subject)) switch
    {
        "granted" => ConsentState.Granted,
        "denied" => ConsentState.Denied,
        _ => ConsentState.Unknown,
    };

    /// <inheritdoc/>
    public void Set(string subject, ConsentState state) => _set(Key(subject), state switch
    {
        ConsentState.Granted => "granted",
        ConsentState.Denied => "denied",
        _ => null,
    });

    /// <summary>The storage key of <paramref name="subject"/>.</summary>
    public string Key(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return _prefix + "consent." + _key.Hash(subject);
    }
}
