using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>Options of <see cref="IngestSink"/> (our own ingest endpoint).</summary>
public sealed class IngestSinkOptions : HttpTelemetrySinkOptions
{
    /// <summary>The ingest service's base address, e.g. <c>https://ingest.example.com</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Path of the batch endpoint under <see cref="BaseUrl"/>; default <c>/v1/batch</c>.</summary>
    public string Path { get; set; } = "/v1/batch";

    /// <summary>The write key, sent as <c>Authorization: Bearer &lt;write key&gt;</c>.</summary>
    public string WriteKey { get; set; } = string.Empty;

    /// <summary>Compress request bodies with gzip (<c>Content-Encoding: gzip</c>).</summary>
    public bool Gzip { get; set; }

    /// <summary>Events per request; default 1,000 (the ingest server accepts up to 2,000 by default).</summary>
    public override int MaxBatchSize { get; set; } = 1000;

    /// <summary>
    /// Largest uncompressed request body sent (bigger batches come back as <see cref="SinkOutcome.TooLarge"/>
    /// without a request); default 1 MiB, the ingest server's default <c>MaxBodyBytes</c>.
    /// </summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest single event sent (bigger ones are rejected); default 64 KiB.</summary>
    public int MaxEventBytes { get; set; } = 64 * 1024;

    /// <inheritdoc/>
    protected override void AddValidationErrors(ICollection<string> errors)
    {
        base.AddValidationErrors(errors);
        ValidateEndpoint(BaseUrl, nameof(BaseUrl), errors);
        RequireText(WriteKey, nameof(WriteKey), errors);
        RequireText(Path, nameof(Path), errors);
        if (MaxBatchSize < 1) errors.Add("MaxBatchSize must be positive");
        if (MaxRequestBytes < 1024) errors.Add("MaxRequestBytes must be at least 1024");
        if (MaxEventBytes < 1 || MaxEventBytes > MaxRequestBytes) errors.Add("MaxEventBytes must be 1..MaxRequestBytes");
    }
}
