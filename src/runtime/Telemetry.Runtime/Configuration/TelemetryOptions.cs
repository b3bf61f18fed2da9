using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Telemetry.Runtime;

/// <summary>
/// Settings of a <see cref="TelemetryPipeline"/>. Validated when the pipeline is built (and at host
/// start with <c>AddTelemetry</c>): data annotations (checked by source-generated code, no
/// reflection) plus the time ranges and cross-field rules of <see cref="TelemetryOptionsValidator"/>.
/// docs/runtime.md has the table with defaults and ranges.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Names the per-user folder of the queue and consent (<c>{LocalApplicationData}/{ApplicationName}/telemetry</c>). Default: the entry assembly's name.</summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string ApplicationName { get; set; } = Assembly.GetEntryAssembly()?.GetName().Name ?? "Telemetry";

    /// <summary>Application version stamped on each event (<c>client_version</c>).</summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string ClientVersion { get; set; } = "0.0.0";

    /// <summary>The signed-in user's id (<c>user_id</c>; sampling and consent key). Change it later with <see cref="TelemetryPipeline.Identify"/>.</summary>
    [StringLength(256)]
    public string? UserId { get; set; }

    /// <summary>Anonymous/device id (<c>anonymous_id</c>). Default: a random id persisted in the per-user folder (random per process with no folder).</summary>
    [StringLength(256)]
    public string? AnonymousId { get; set; }

    /// <summary>Session id stamped on each event; random per pipeline when null.</summary>
    public Guid? SessionId { get; set; }

    /// <summary>Consent of a user who has not chosen yet: <see cref="ConsentState.Granted"/> (opt-out) or <see cref="ConsentState.Denied"/> (opt-in).</summary>
    public ConsentState DefaultConsent { get; set; } = ConsentState.Granted;

    /// <summary>Folder of the offline queue and consent file (absolute). Default: <see cref="TelemetryStorageLocation.DefaultFor"/>. Never point it at a shared temp folder.</summary>
    public string? StorageDirectory { get; set; }

    /// <summary>
    /// Per tier, whether Track only buffers the event (<see cref="EventDurability.Deferred"/>: B and C by default) or
    /// commits it to the queue before returning (<see cref="EventDurability.WriteThrough"/>: A by default), so that a
    /// killed process loses no tier-A event. With the in-memory queue write-through only skips the buffer.
    /// </summary>
    public TierDurability Durability { get; set; } = new();

    /// <summary>Keep the queue in SQLite on disk (default) rather than in memory.</summary>
    public bool UseDurableQueue { get; set; } = true;

    /// <summary>SQLite <c>synchronous</c> level of the queue; <see cref="SqliteSynchronousMode.Normal"/> survives a killed process.</summary>
    public SqliteSynchronousMode SqliteSynchronous { get; set; } = SqliteSynchronousMode.Normal;

    /// <summary>Events Track may hold in memory before the background stage serialises them; tiers C and B stop at 75 % and 90 %.</summary>
    [Range(16, 10_000_000)]
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>Most events per request (the sink's own limit applies too).</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>Most payload bytes per request.</summary>
    [Range(1024d, 1073741824d)]
    public long MaxBatchBytes { get; set; } = 512 * 1024;

    /// <summary>Largest serialised event; larger ones are dropped and counted (<c>too_large</c>).</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxEventBytes { get; set; } = 64 * 1024;

    /// <summary>Most events in the offline queue.</summary>
    [Range(1d, 100000000d)]
    public long MaxQueueRows { get; set; } = 100_000;

    /// <summary>Most payload bytes in the offline queue.</summary>
    [Range(1024d, 10737418240d)]
    public long MaxQueueBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Longest a queued event waits before a send is attempted (a full batch goes at once).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the background stage drains Track's buffers into the queue (it also wakes when they are half full): the most a crash can lose.</summary>
    public TimeSpan DrainInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Queued events older than this are dropped (<c>expired</c>); providers' dedup windows are 1 to 7 days.</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Backoff ceiling after the first failed send.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest backoff ceiling.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest server Retry-After honoured.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Consecutive 5xx answers after which the pipeline bisects the failing batch, like a 413, to find the event(s) the
    /// sink cannot take: those alone are dropped (<c>poison</c>, with a warning) once the sink has accepted the others,
    /// and the rest is delivered. Default 3; 0 turns the search off (5xx is then retried until the events expire).
    /// </summary>
    [Range(0, 1000)]
    public int PoisonBatchThreshold { get; set; } = 3;

    /// <summary>Longest one sink call may take; then it counts as a transient failure.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time the shutdown may spend delivering; what is left stays queued on disk for the next run.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sampling overrides by event name (<c>replay.seek</c>), feature (<c>replay.*</c>) or <c>*</c>; events without one use the catalog's rate.</summary>
    public Dictionary<string, SamplingRule> Sampling { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Error capture: breadcrumbs, bounds, fingerprint frames, rate limit, unhandled-exception hooks (docs/errors.md).</summary>
    public ErrorTrackingOptions Errors { get; set; } = new();

    /// <summary>
    /// Keyed hashing for <c>hash</c>-treated PII. When null: a registered <see cref="IPersonalDataProtector"/>
    /// service (with <c>AddTelemetry</c>), else the per-install key in the telemetry folder
    /// (<see cref="PersonalDataKey"/>: hashes join across runs of this install), else, with no folder, a random
    /// key per process. Bring your own (<see cref="HmacPersonalDataProtector"/> with your key) for hashes that
    /// join across installs; docs/runtime.md says how to rotate it.
    /// </summary>
    public IPersonalDataProtector? Privacy { get; set; }

    /// <summary>
    /// Property names whose values are always replaced, at any depth, whatever they hold: strings by
    /// <c>[REDACTED]</c>, numbers and booleans by null. Compared without case, <c>_</c>, <c>-</c> and <c>.</c>
    /// (<c>apiKey</c> also names <c>api_key</c>). The envelope (ids, timestamp) is never redacted.
    /// </summary>
    public IList<string> RedactFields { get; set; } = new List<string>();
}
