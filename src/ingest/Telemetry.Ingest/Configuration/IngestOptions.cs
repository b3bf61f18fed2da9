using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest;

/// <summary>
/// Settings of the ingest server, bound from the <c>Ingest</c> configuration section
/// (<c>appsettings.json</c>, environment variables such as <c>Ingest__Storage__Provider</c>, or the command line).
/// </summary>
public sealed class IngestOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Ingest";

    /// <summary>Folder of the catalog YAML files (<c>*.yaml</c>, <c>*.yml</c>, searched recursively).</summary>
    public string? CatalogPath { get; set; }

    /// <summary>Projects allowed to send events, each with its own write key.</summary>
    [ValidateEnumeratedItems]
    public List<ProjectOptions> Projects { get; set; } = new();

    /// <summary>The key that opens the <c>/admin</c> endpoints (reports, GDPR, stats, flush). Admin endpoints answer 401/403 while it is unset.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Seconds between reloads of the write keys from the database (default 10). Keys added or revoked through
    /// <c>/admin/keys</c> on any node take effect on the others within this time (an unknown key triggers a reload at once).
    /// </summary>
    [Range(0.1, 86_400d)]
    public double KeyRefreshSeconds { get; set; } = 10;

    /// <summary>Largest accepted request body in bytes, after gzip decompression (default 1 MB). Larger bodies get 413.</summary>
    [Range(1024d, 2_147_483_646d)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most events one <c>/v1/batch</c> request may carry (default 2,000, like Amplitude and Mixpanel). More get 413.</summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerBatch { get; set; } = 2000;

    /// <summary>Deepest JSON nesting accepted (default 16; our wire objects are flat, depth 4 at most). Deeper bodies get 400.</summary>
    [Range(4, 256)]
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>Most validation entries returned for one event (the rest are counted, not listed).</summary>
    [Range(1, 1000)]
    public int MaxErrorsPerEvent { get; set; } = 10;

    /// <summary>Zero the last IPv4 octet / last 80 IPv6 bits before storing the client address (default true). False stores it as received.</summary>
    public bool AnonymizeIp { get; set; } = true;

    /// <summary>Parse the User-Agent header into device, OS and browser columns (default true).</summary>
    public bool ParseUserAgent { get; set; } = true;

    /// <summary>
    /// Server-requested aggregation windows in milliseconds per aggregate event name, sent back as
    /// <c>X-AGG-WINDOW-OVERRIDE</c> when a request carries that event (e.g. <c>"chart.crosshair_agg": 10000</c>).
    /// </summary>
    public Dictionary<string, int> AggregationWindowOverrides { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How far an event's <c>timestamp</c> may lie ahead of the server's receive time (default 1 day, for clients with
    /// wrong clocks). Later events are rejected one by one as <c>timestamp-out-of-range</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How old an event's <c>timestamp</c> may be at receipt (default 30 days; never more than <see cref="RetentionDays"/>
    /// when retention is on). Older events are rejected one by one as <c>timestamp-out-of-range</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The age limit actually applied: <see cref="MaxEventAge"/>, capped by the retention when <see cref="RetentionDays"/> is above 0.</summary>
    internal TimeSpan EffectiveMaxEventAge =>
        RetentionDays > 0 && TimeSpan.FromDays(RetentionDays) < MaxEventAge ? TimeSpan.FromDays(RetentionDays) : MaxEventAge;

    /// <summary>Seconds of the timestamp bucket used by the fingerprint dedup of events sent without <c>event_id</c> (default 60).</summary>
    [Range(1, 86_400)]
    public int FingerprintBucketSeconds { get; set; } = 60;

    /// <summary>Storage settings.</summary>
    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();

    /// <summary>Rate limits.</summary>
    [ValidateObjectMembers]
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Audit archive settings.</summary>
    public ArchiveOptions Archive { get; set; } = new();

    /// <summary>Forwarding of accepted events to a provider (off by default).</summary>
    [ValidateObjectMembers]
    public ForwardingOptions Forwarding { get; set; } = new();

    /// <summary>Days a stored event is kept; older rows (and archive files) are deleted hourly. 0 keeps everything (default 90).</summary>
    [Range(0, 36_500)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Cross-origin access for browser clients (off until origins are listed).</summary>
    public IngestCorsOptions Cors { get; set; } = new();
}

/// <summary>
/// Which web pages may post events from a browser: the ingest endpoints answer CORS preflights for these origins only
/// (allowing POST with <c>Authorization</c>, <c>Content-Type</c> and <c>Content-Encoding</c>) and expose
/// <c>Retry-After</c> and <c>X-AGG-WINDOW-OVERRIDE</c> to the page, so a browser client follows the same retry rules.
/// </summary>
public sealed class IngestCorsOptions
{
    /// <summary>Allowed origins, each <c>scheme://host[:port]</c> exactly as browsers send it (e.g. <c>https://app.example.com</c>); empty = no cross-origin access.</summary>
    public List<string> AllowedOrigins { get; set; } = new();

    /// <summary>How long browsers may cache a preflight answer (<c>Access-Control-Max-Age</c>), in seconds; default 7200 (Chromium's cap).</summary>
    public int PreflightMaxAgeSeconds { get; set; } = 7200;
}

/// <summary>A project that may send events.</summary>
public sealed class ProjectOptions
{
    /// <summary>Project name, stored with each event.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>The project's write key (send as <c>Authorization: Bearer</c>, <c>X-Write-Key</c> or Basic user name). Never logged.</summary>
    [Required]
    public string WriteKey { get; set; } = "";
}

/// <summary>Which database stores the events.</summary>
public enum StorageProvider
{
    /// <summary>A local SQLite file in WAL mode (default).</summary>
    Sqlite,
    /// <summary>PostgreSQL through Npgsql; events partitioned by day.</summary>
    Postgres,
}

/// <summary>Storage settings.</summary>
public sealed class StorageOptions
{
    /// <summary>The database (default <see cref="StorageProvider.Sqlite"/>).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string. SQLite default: <c>Data Source=ingest.db</c> in <see cref="DataPath"/>;
    /// PostgreSQL example: <c>Host=127.0.0.1;Username=postgres;Password=postgres;Database=telemetry</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder for the SQLite file and the default archive folder (default: <c>ingest-data</c> under the current directory).</summary>
    public string? DataPath { get; set; }

    /// <summary>Most events committed in one group-commit transaction (default 10,000).</summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerCommit { get; set; } = 10_000;

    /// <summary>Most events waiting for a commit; beyond it requests get 503 with Retry-After (default 200,000).</summary>
    [Range(1, 100_000_000)]
    public int MaxPendingEvents { get; set; } = 200_000;

    /// <summary>SQLite only: <c>PRAGMA synchronous=FULL</c> (fsync on every commit; survives power loss) instead of NORMAL (survives a killed process). Default true.</summary>
    public bool SqliteFullSync { get; set; } = true;
}

/// <summary>Rate limits of the ingest endpoints (fixed windows, ASP.NET Core's rate limiter).</summary>
public sealed class RateLimitOptions
{
    /// <summary>False turns rate limiting off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per window per write key (default 600).</summary>
    [Range(1, int.MaxValue)]
    public int PerKeyPermits { get; set; } = 600;

    /// <summary>Requests per window per client IP (default 300).</summary>
    [Range(1, int.MaxValue)]
    public int PerIpPermits { get; set; } = 300;

    /// <summary>Window length in seconds (default 60). Windows are aligned to the Unix epoch, so all nodes share them.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// Count requests in the database so the limits hold across all nodes (<see cref="IControlStore"/>), instead of in
    /// this process. Default (null): shared when the storage is PostgreSQL, local with SQLite (one node).
    /// </summary>
    public bool? Shared { get; set; }

    /// <summary>Shared limits only: milliseconds between a node's exchanges of its counts with the database (default 250). The limits can be exceeded by about nodes x rate x this interval.</summary>
    [Range(10, 60_000)]
    public int SyncMilliseconds { get; set; } = 250;
}

/// <summary>The audit archive: accepted events as gzip JSON Lines, one file per hour.</summary>
public sealed class ArchiveOptions
{
    /// <summary>False turns the archive off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of the archive files (default: <c>archive</c> under <see cref="StorageOptions.DataPath"/>).</summary>
    public string? Path { get; set; }

    /// <summary>fsync each appended block (default true, so an acknowledged batch is on disk even after a power loss).</summary>
    public bool Fsync { get; set; } = true;
}

/// <summary>Forwarding of accepted events to a provider through a runtime sink.</summary>
public sealed class ForwardingOptions
{
    /// <summary>True forwards every accepted event (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The runtime sink to forward through: <c>segment</c>, <c>amplitude</c>, <c>mixpanel</c>, <c>ingest</c> (another ingest
    /// server) or <c>console</c>, configured by the section of the same name. Leave empty to use the
    /// <see cref="Telemetry.Runtime.ITelemetrySink"/> registered in the service collection.
    /// </summary>
    public string? Sink { get; set; }

    /// <summary>Settings of the <c>segment</c> sink (WriteKey, Host, ...).</summary>
    public Telemetry.Runtime.SegmentSinkOptions Segment { get; set; } = new();

    /// <summary>Settings of the <c>amplitude</c> sink (ApiKey, Host, UseBatchApi, ...).</summary>
    public Telemetry.Runtime.AmplitudeSinkOptions Amplitude { get; set; } = new();

    /// <summary>Settings of the <c>mixpanel</c> sink (ProjectToken or service account, Host, ...).</summary>
    public Telemetry.Runtime.MixpanelSinkOptions Mixpanel { get; set; } = new();

    /// <summary>Settings of the <c>ingest</c> sink (BaseUrl, WriteKey, Gzip, ...).</summary>
    public Telemetry.Runtime.IngestSinkOptions Ingest { get; set; } = new();

    /// <summary>Events per forwarded batch, capped by the sink's <c>MaxBatchSize</c> (default 500).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Seconds between polls of the outbox when it is empty (default 1).</summary>
    [Range(0.05, 3600d)]
    public double PollSeconds { get; set; } = 1;

    /// <summary>First retry delay in seconds; doubled per failure up to <see cref="MaxRetrySeconds"/> (default 1).</summary>
    [Range(0.01, 3600d)]
    public double InitialRetrySeconds { get; set; } = 1;

    /// <summary>Longest retry delay in seconds (default 60).</summary>
    [Range(0.01, 86_400d)]
    public double MaxRetrySeconds { get; set; } = 60;

    /// <summary>Folder of the forwarding queue (the runtime's SQLite offline queue; default <c>forward-queue</c> under the data folder).</summary>
    public string? QueuePath { get; set; }

    /// <summary>Most events the forwarding queue keeps while the provider is unreachable (default 1,000,000; lower tiers are dropped first beyond it).</summary>
    [Range(1d, 9_007_199_254_740_992d)]
    public long MaxQueueEvents { get; set; } = 1_000_000;

    /// <summary>Most payload bytes the forwarding queue keeps (default 1 GiB).</summary>
    [Range(1024d, 9_007_199_254_740_992d)]
    public long MaxQueueBytes { get; set; } = 1L << 30;
}
