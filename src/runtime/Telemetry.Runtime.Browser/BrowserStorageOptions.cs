using System;

namespace Telemetry.Runtime.Browser;

/// <summary>Options of <c>UseBrowserStorage</c>.</summary>
public sealed class BrowserStorageOptions
{
    /// <summary>The default prefix of localStorage keys.</summary>
    public const string DefaultKeyPrefix = "telemetry.";

    /// <summary>IndexedDB database of the offline queue; default <c>telemetry-queue</c>. Give each app on one origin its own.</summary>
    public string DatabaseName { get; set; } = "telemetry-queue";

    /// <summary>Prefix of the localStorage keys (anonymous id, consent); default <c>telemetry.</c>.</summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// Most bytes of request bodies sent with <c>fetch(..., { keepalive: true })</c> while the page hides (browsers
    /// allow 64 KiB in flight per page); larger batches are sent as usual and, if the page goes away, stay queued
    /// for the next visit. Default 60,000.
    /// </summary>
    public int KeepaliveBudgetBytes { get; set; } = 60_000;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabaseName)) throw new ArgumentException("BrowserStorageOptions.DatabaseName must not be empty.");
        if (KeyPrefix is null) throw new ArgumentException("BrowserStorageOptions.KeyPrefix must not be null.");
        if (KeepaliveBudgetBytes is < 0 or > 65_536) throw new ArgumentException("BrowserStorageOptions.KeepaliveBudgetBytes must be 0..65536 (the browsers' keepalive limit).");
    }
}
