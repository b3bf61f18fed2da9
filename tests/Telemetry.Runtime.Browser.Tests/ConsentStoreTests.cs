using System.Text.Json.Nodes;
using Telemetry.Runtime;
using Telemetry.Runtime.Browser;

namespace Telemetry.Runtime.Browser.Tests;

public sealed class ConsentStoreTests
{
    [Fact]
    public void Choices_are_kept_under_the_same_keyed_subject_hash_as_on_the_desktop_and_never_under_the_subject()
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

        // Not the unkeyed SHA-256 of the id, which a dictionary of e-mail addresses reverses.
        var unkeyed = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("jane@example.com"))).ToLowerInvariant();
        Assert.DoesNotContain(storage, p => p.Key.Contains(unkeyed, StringComparison.Ordinal));

        // The per-install key persists: a second store over the same storage (the next page load) finds the choices.
        var reloaded = new LocalStorageConsentStore(k => storage.GetValueOrDefault(k), (k, v) => storage[k] = v!);
        Assert.Equal(ConsentState.Denied, reloaded.Get("jane@example.com"));

        // With the same key, the desktop store's consent.json names the same hash.
        var folder = Directory.CreateTempSubdirectory("consent-");
        try
        {
            var key = new HmacPersonalDataProtector(Convert.FromBase64String(storage[store.KeyItem]));
            new FileConsentStore(folder.FullName, key).Set("jane@example.com", ConsentState.Denied);
            var desktop = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.FullName, FileConsentStore.FileName)))!["subjects"]!.AsObject();
            var hash = Assert.Single(desktop).Key;
            Assert.Equal("telemetry.consent." + hash, store.Key("jane@example.com"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        store.Set("user-2", ConsentState.Unknown);
        Assert.Equal(2, storage.Count); // jane's choice and the key
    }
}
