using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// Where accepted events live. Implementations: <see cref="SqliteEventStore"/> (default) and
/// <see cref="PostgresEventStore"/>; Kafka or ClickHouse would be further implementations (docs/ingest-scale-out.md).
/// All methods are safe to call concurrently.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Short name for logs and /admin/stats (<c>sqlite</c>, <c>postgres</c>).</summary>
    string Name { get; }

    /// <summary>Creates tables and indexes when missing. Called once at startup.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a batch in one transaction, skipping events whose <see cref="StoredEvent.EventId"/> is already stored
    /// (or repeats earlier in the batch). Returns the ids actually inserted. Either the whole batch is committed
    /// when this returns, or it throws and nothing is.
    /// </summary>
    Task<IReadOnlySet<Guid>> WriteBatchAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>Totals, unique users (user_id, else anonymous_id) and unique sessions of events with timestamp in [from, to).</summary>
    Task<SummaryReport> SummaryAsync(ReportQuery query, CancellationToken cancellationToken);

    /// <summary>Events by count, largest first.</summary>
    Task<IReadOnlyList<EventCount>> TopEventsAsync(ReportQuery query, int limit, CancellationToken cancellationToken);

    /// <summary>Events and unique users per hour (UTC).</summary>
    Task<IReadOnlyList<HourlyCount>> HourlyAsync(ReportQuery query, CancellationToken cancellationToken);

    /// <summary>Every stored event whose user_id or anonymous_id is <paramref name="userId"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ExportUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes every stored event whose user_id or anonymous_id is <paramref name="userId"/>; returns the count.</summary>
    Task<long> EraseUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes events received before <paramref name="cutoff"/>; returns the count (approximate where whole partitions are dropped).</summary>
    Task<long> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Number of stored events.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Checks the database answers (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>A report's filter: events with timestamp in [<paramref name="From"/>, <paramref name="To"/>), optionally of one project or event.</summary>
public sealed record ReportQuery(DateTimeOffset From, DateTimeOffset To, string? Project = null, string? Event = null);

/// <summary>Totals over a period.</summary>
/// <param name="Events">Number of events.</param>
/// <param name="UniqueUsers">Distinct user_id (or anonymous_id when no user_id).</param>
/// <param name="UniqueSessions">Distinct session_id.</param>
public sealed record SummaryReport(long Events, long UniqueUsers, long UniqueSessions);

/// <summary>An event name with its count.</summary>
public sealed record EventCount(string Event, long Count, long UniqueUsers);

/// <summary>One hour of the trend.</summary>
public sealed record HourlyCount(DateTimeOffset Hour, long Events, long UniqueUsers);
