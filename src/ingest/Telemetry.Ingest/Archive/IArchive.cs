using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Ingest.Archive;

/// <summary>
/// The audit archive of stored events (raw wire objects): each newly stored event once, appended after its commit and before the request's 202.
/// <see cref="FileArchive"/> keeps hourly gzip JSON Lines files in a folder; an S3 implementation would put the same
/// files in a bucket and keep its per-user index next to them.
/// </summary>
public interface IArchive
{
    /// <summary>Appends records durably (flushed to the OS, and fsynced when configured) before returning.</summary>
    Task AppendAsync(IReadOnlyList<ArchiveRecord> records, CancellationToken cancellationToken);

    /// <summary>Number of archived lines whose event carries <paramref name="userId"/> as user_id or anonymous_id.</summary>
    Task<long> CountUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Removes every line of <paramref name="userId"/>, rewriting the affected files.</summary>
    Task<ArchiveErasure> EraseUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes the hourly files whose whole hour lies before <paramref name="cutoff"/> (retention); returns how many.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>One archived event.</summary>
/// <param name="ReceivedAt">When the server accepted it (picks the hourly file).</param>
/// <param name="Project">Project of the write key.</param>
/// <param name="EventId">Event id (client's or fingerprint-derived).</param>
/// <param name="UserId">user_id, if any (indexed for GDPR).</param>
/// <param name="AnonymousId">anonymous_id, if any (indexed for GDPR).</param>
/// <param name="Payload">The event's JSON object as received.</param>
public sealed record ArchiveRecord(DateTimeOffset ReceivedAt, string Project, Guid EventId, string? UserId, string? AnonymousId, string Payload);

/// <summary>What a GDPR erase removed from the archive.</summary>
/// <param name="LinesRemoved">Lines removed.</param>
/// <param name="FilesRewritten">Files rewritten without them.</param>
public sealed record ArchiveErasure(long LinesRemoved, int FilesRewritten);
