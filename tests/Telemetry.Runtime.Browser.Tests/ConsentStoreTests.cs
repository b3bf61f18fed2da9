using System.Text.Json.Nodes;
using Telemetry.Runtime;
using Telemetry.Runtime.Browser;

namespace Telemetry.Runtime.Browser.Tests;

public sealed class ConsentStoreTests
{
    [Fact]
    public void Choices_are_kept_under_the_same_subject_hash_as_on_the_desktop_and_never_under_the_subject()
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

        // The desktop store's consent.json names the same hash.
        var folder = Directory.CreateTempSubdirectory("consent-");
        try
        {
            new FileConsentStore(folder.FullName).Set("jane@example.com", ConsentState.Denied);
            var desktop = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.FullName, FileConsentStore.FileName)))!["subjects"]!.AsObject();
            var hash = Assert.Single(desktop).Key;
            Assert.Equal("telemetry.consent." + hash, store.Key("jane@example.com"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        store.Set("user-2", ConsentState.Unknown);
        Assert.Single(storage);
    }
}
