using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// The shared state that lets several ingest nodes run as one (docs/ingest-scale-out.md): the projects' write keys
/// (as SHA-256 hashes) and the rate-limit counters. Both event stores implement it in their database, so nodes behind
/// a load balancer that point at one PostgreSQL agree on keys, limits and (through <see cref="IEventStore"/>) dedup.
/// A Kafka or ClickHouse event store would pair with one of these for this part.
/// </summary>
public interface IControlStore
{
    /// <summary>Every write key record, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<WriteKeyRecord>> LoadWriteKeysAsync(CancellationToken cancellationToken);

    /// <summary>The record of the key with this SHA-256 hash, or null (a point lookup, used when a node sees a key it has not loaded).</summary>
    Task<WriteKeyRecord?> FindWriteKeyAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>Adds a write key unless its hash is already stored (a revoked key stays revoked). Returns true when added.</summary>
    Task<bool> AddWriteKeyAsync(WriteKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Marks the key with id <paramref name="keyId"/> revoked; false when there is no such active key.</summary>
    Task<bool> RevokeWriteKeyAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Adds each delta to its (partition, window) counter, creating it when missing, in one transaction, and returns
    /// the counters' totals after the addition (the sum over all nodes). A delta of 0 only reads its total (no write;
    /// 0 when the counter does not exist yet).
    /// </summary>
    Task<IReadOnlyList<RateCount>> AddRateCountsAsync(IReadOnlyList<RateCount> deltas, CancellationToken cancellationToken);

    /// <summary>Deletes counters of windows that started before <paramref name="windowStart"/> (Unix seconds).</summary>
    Task DeleteRateCountsBeforeAsync(long windowStart, CancellationToken cancellationToken);
}

/// <summary>A stored write key: never the key itself, only its SHA-256 hash and a short id derived from it.</summary>
/// <param name="KeyId">First 16 hex digits of the hash: names the key in listings and for revocation.</param>
/// <param name="Hash">SHA-256 of the key's UTF-8 bytes.</param>
/// <param name="Project">The project whose events the key may send.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="RevokedAt">When it was revoked, or null while active.</param>
public sealed record WriteKeyRecord(string KeyId, byte[] Hash, string Project, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null);

/// <summary>A rate-limit counter: requests of <paramref name="Partition"/> (<c>key:…</c> or <c>ip:…</c>) in the fixed window starting at <paramref name="WindowStart"/> (Unix seconds).</summary>
public sealed record RateCount(string Partition, long WindowStart, long Count);
