using System;
using System.Security.Cryptography;
using System.Text;

namespace Telemetry.Runtime.Browser;

/// <summary>
/// Consent kept in the browser's <c>localStorage</c>, one entry per subject under
/// <c>{prefix}consent.{SHA-256 of the subject}</c> with the value <c>granted</c> or <c>denied</c>: the same hashing as
/// the desktop's <c>consent.json</c>, so the store names no user. localStorage is synchronous, so reads need no
/// start-up step and a choice is stored before <see cref="Set"/> returns.
/// </summary>
public sealed class LocalStorageConsentStore : IConsentStore
{
    private readonly Func<string, string?> _get;
    private readonly Action<string, string?> _set;
    private readonly string _prefix;

    /// <summary>Creates the store over a key-value store (<c>localStorage.getItem</c>/<c>setItem</c>; null removes).</summary>
    public LocalStorageConsentStore(Func<string, string?> getItem, Action<string, string?> setItem, string prefix = BrowserStorageOptions.DefaultKeyPrefix)
    {
        _get = getItem ?? throw new ArgumentNullException(nameof(getItem));
        _set = setItem ?? throw new ArgumentNullException(nameof(setItem));
        _prefix = prefix ?? throw new ArgumentNullException(nameof(prefix));
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
        return _prefix + "consent." + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(subject))).ToLowerInvariant();
    }
}
