using Telemetry.Runtime;
using Telemetry.Runtime.Browser;

namespace Telemetry.Runtime.Browser.Tests;

public sealed class ConsentStoreTests
{
    [Fact]
    public void Choices_are_kept_under_the_subject_hash_and_never_under_the_subject()
    {
        var storage = new Dictionary<string, string>(StringComparer.Ordinal);
        var store = new LocalStorageConsentStore(k => storage.GetValueOrDefault(k), (k, v) =>
        {
            if (v is null) storage.Remove(k);
            else storage[k] = v;
        });

        store.Set("jane@example.com", ConsentState.Denied);
        store.Set("user-2", ConsentState.Granted);

        Assert.Equal(ConsentState.Denied, store.Get("jane@example.com"));
        Assert.Equal(ConsentState.Granted, store.Get("user-2"));
        Assert.Equal(ConsentState.Unknown, store.Get("someone-else"));
        Assert.DoesNotContain(storage, p => p.Key.Contains("jane", StringComparison.Ordinal) || p.Value.Contains("jane", StringComparison.Ordinal));

        // The documented storage key: the prefix and the SHA-256 of the subject (not yet keyed as on the desktop).
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("jane@example.com"))).ToLowerInvariant();
        Assert.Equal("telemetry.consent." + sha, store.Key("jane@example.com"));

        store.Set("user-2", ConsentState.Unknown);
        Assert.Single(storage);
    }
}
