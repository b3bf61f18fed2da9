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
        var key = BrowserInstallKey.GetOrCreate(k => storage.GetValueOrDefault(k), (k, v) => Put(storage, k, v));
        var store = new LocalStorageConsentStore(k => storage.GetValueOrDefault(k), (k, v) => Put(storage, k, v), new HmacPersonalDataProtector(key));

        store.Set("jane@example.com", ConsentState.Denied);
        store.Set("user-2", ConsentState.Granted);

        Assert.Equal(ConsentState.Denied, store.Get("jane@example.com"));
        Assert.Equal(ConsentState.Granted, store.Get("user-2"));
        Assert.Equal(ConsentState.Unknown, store.Get("someone-else"));
        Assert.DoesNotContain(storage, p => p.Key.Contains("jane", StringComparison.Ordinal) || p.Value.Contains("jane", StringComparison.Ordinal));

        // Not the unkeyed SHA-256 of the id, which a dictionary of e-mail addresses reverses.
        var unkeyed = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("jane@example.com"))).ToLowerInvariant();
        Assert.DoesNotContain(storage, p => p.Key.Contains(unkeyed, StringComparison.Ordinal));

        // The key persists: the next page load reads the same key and finds the choices.
        var again = BrowserInstallKey.GetOrCreate(k => storage.GetValueOrDefault(k), (k, v) => Put(storage, k, v));
        Assert.Equal(key, again);
        var reloaded = new LocalStorageConsentStore(k => storage.GetValueOrDefault(k), (k, v) => Put(storage, k, v), new HmacPersonalDataProtector(again));
        Assert.Equal(ConsentState.Denied, reloaded.Get("jane@example.com"));

        // With the same key, the desktop store's consent.json names the same hash.
        var folder = Directory.CreateTempSubdirectory("consent-");
        try
        {
            new FileConsentStore(folder.FullName, new HmacPersonalDataProtector(key)).Set("jane@example.com", ConsentState.Denied);
            var desktop = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.FullName, FileConsentStore.FileName)))!["subjects"]!.AsObject();
            Assert.Equal("telemetry.consent." + Assert.Single(desktop).Key, store.Key("jane@example.com"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        store.Set("user-2", ConsentState.Unknown);
        Assert.Equal(2, storage.Count); // jane's choice and the key
    }

    [Fact]
    public void A_choice_stored_under_the_unkeyed_hash_is_honoured_and_moved_to_its_keyed_entry()
    {
        var storage = new Dictionary<string, string>(StringComparer.Ordinal);
        var unkeyed = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("user-7"u8)).ToLowerInvariant();
        storage["telemetry.consent." + unkeyed] = "denied";
        var store = new LocalStorageConsentStore(k => storage.GetValueOrDefault(k), (k, v) => Put(storage, k, v), HmacPersonalDataProtector.CreateEphemeral());

        Assert.Equal(ConsentState.Denied, store.Get("user-7"));
        Assert.False(storage.ContainsKey("telemetry.consent." + unkeyed));
        Assert.Equal("denied", storage[store.Key("user-7")]);
    }

    [Fact]
    public void An_unreadable_key_is_replaced_by_a_new_one_that_is_stored()
    {
        var storage = new Dictionary<string, string>(StringComparer.Ordinal) { ["telemetry.privacy.key"] = new string('z', 64) };
        var key = BrowserInstallKey.GetOrCreate(k => storage.GetValueOrDefault(k), (k, v) => Put(storage, k, v));
        Assert.Equal(32, key.Length);
        Assert.Equal(Convert.ToHexString(key).ToLowerInvariant(), storage["telemetry.privacy.key"]);
    }

    internal static void Put(Dictionary<string, string> storage, string key, string? value)
    {
        if (value is null) storage.Remove(key);
        else storage[key] = value;
    }
}
