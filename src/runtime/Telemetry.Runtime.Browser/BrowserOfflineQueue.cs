using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Telemetry.Runtime.Browser;

/// <summary>
/// The offline queue in a browser: the runtime's <see cref="InMemoryOfflineQueue"/> (same bounds, tier order,
/// eviction, leases and event ids as the SQLite queue) with every change written through to IndexedDB, and the
/// stored events loaded back when the page starts. Leases live in memory only, so a page that closes mid-send
/// leaves its events stored and unleased: the next page sends them again with the same ids (at-least-once).
/// </summary>
/// <remarks>
/// IndexedDB is asynchronous and the queue's contract is not, so each change starts one IndexedDB transaction
/// synchronously (in call order, committed at once) and the queue does not wait for it: the in-memory state is
/// the truth for this page, IndexedDB for the next one. A write the browser fails is counted by the JavaScript side
/// (<see cref="BrowserTelemetry.WriteStatus"/>); the events stay queued in memory.
/// </remarks>
public sealed class BrowserOfflineQueue : IOfflineQueue, IOfflineQueueObserver
{
    private readonly InMemoryOfflineQueue _inner;
    private Action<string?, string?>? _write;
    private bool _restoring;
    private long _nextOrder;

    /// <summary>Creates an empty queue; <see cref="Attach"/> connects it to its store.</summary>
    /// <param name="limits">The bounds (default <see cref="QueueLimits.Default"/>).</param>
    /// <param name="databaseName">The IndexedDB database name, for <see cref="Description"/>.</param>
    public BrowserOfflineQueue(QueueLimits? limits, string databaseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        DatabaseName = databaseName;
        _inner = new InMemoryOfflineQueue(limits, this);
    }

    /// <summary>The IndexedDB database holding the events.</summary>
    public string DatabaseName { get; }

    /// <inheritdoc/>
    public string Description => "indexeddb:" + DatabaseName;

    /// <inheritdoc/>
    public QueueLimits Limits => _inner.Limits;

    /// <inheritdoc/>
    public long Count => _inner.Count;

    /// <inheritdoc/>
    public long Bytes => _inner.Bytes;

    /// <summary>Write transactions started (one per change that stored or removed events).</summary>
    public long Writes { get; private set; }

    /// <summary>
    /// Loads the records a previous page stored (<paramref name="storedJson"/>, the JSON array the store returned)
    /// in their original order, then sends every later change to <paramref name="write"/> (deleted ids as a JSON array,
    /// records to put as a JSON array; either may be null). Records that cannot be read are skipped and reported.
    /// </summary>
    /// <returns>The number of records restored and of records skipped as unreadable.</returns>
    public (int Restored, int Skipped) Attach(string? storedJson, Action<string?, string?> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_write is not null) throw new InvalidOperationException("The browser queue is already attached to its store.");
        var (records, skipped) = QueueRecordCodec.ReadAll(storedJson);
        records.Sort((x, y) => x.Order.CompareTo(y.Order));
        var events = new List<QueuedEvent>(records.Count);
        foreach (var record in records)
        {
            events.Add(record.Event);
            _nextOrder = Math.Max(_nextOrder, record.Order + 1);
        }

        _write = write;
        if (skipped.Count > 0) write(QueueRecordCodec.Ids(skipped), null);
        _restoring = true;
        try
        {
            _inner.Append(events);
        }
        finally
        {
            _restoring = false;
        }

        return (events.Count, skipped.Count);
    }

    /// <inheritdoc/>
    public QueueAppendResult Append(IReadOnlyList<QueuedEvent> events) => _inner.Append(events);

    /// <inheritdoc/>
    public IReadOnlyList<QueuedEvent> Lease(int maxEvents, long maxBytes) => _inner.Lease(maxEvents, maxBytes);

    /// <inheritdoc/>
    public void EndLease(IReadOnlyList<QueuedEvent> leased) => _inner.EndLease(leased);

    /// <inheritdoc/>
    public void Complete(IReadOnlyCollection<Guid> eventIds) => _inner.Complete(eventIds);

    /// <inheritdoc/>
    public void Release(IReadOnlyCollection<Guid> eventIds) => _inner.Release(eventIds);

    /// <inheritdoc/>
    public TierCounts Purge(string subject) => _inner.Purge(subject);

    /// <inheritdoc/>
    public TierCounts PurgeIdentity(string id) => _inner.PurgeIdentity(id);

    /// <inheritdoc/>
    public IReadOnlyList<QueuedEvent> Export(string subject) => _inner.Export(subject);

    /// <inheritdoc/>
    public TierCounts RemoveOlderThan(DateTimeOffset cutoff) => _inner.RemoveOlderThan(cutoff);

    /// <summary>Nothing to release: the database stays for the next page.</summary>
    public void Dispose() => _inner.Dispose();

    void IOfflineQueueObserver.Stored(IReadOnlyList<QueuedEvent> events)
    {
        if (_restoring) return;
        var write = Store();
        var records = new List<QueueRecord>(events.Count);
        foreach (var e in events) records.Add(new QueueRecord(_nextOrder++, e));
        write(null, QueueRecordCodec.WriteAll(records));
        Writes++;
    }

    void IOfflineQueueObserver.Removed(IReadOnlyList<Guid> eventIds)
    {
        var write = Store();
        var ids = new List<string>(eventIds.Count);
        foreach (var id in eventIds) ids.Add(id.ToString("D"));
        write(QueueRecordCodec.Ids(ids), null);
        Writes++;
    }

    // InvalidOperationException is among the storage failures the pipeline counts (StorageError) instead of crashing.
    private Action<string?, string?> Store() =>
        _write ?? throw new InvalidOperationException("The browser telemetry queue is not attached yet: await StartBrowserTelemetryAsync() before the app tracks events.");
}

/// <summary>A queued event as stored in IndexedDB, with its place in the queue.</summary>
internal readonly record struct QueueRecord(long Order, QueuedEvent Event);

/// <summary>The IndexedDB record format: one JSON object per event, the payload kept as text.</summary>
internal static class QueueRecordCodec
{
    public static string WriteAll(IReadOnlyList<QueueRecord> records)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                var e = record.Event.Event;
                writer.WriteStartObject();
                writer.WriteString("id", e.EventId.ToString("D"));
                writer.WriteNumber("order", record.Order);
                writer.WriteString("name", e.Name);
                writer.WriteString("tier", e.Tier.ToString());
                writer.WriteString("ts", e.Timestamp.ToString("O", CultureInfo.InvariantCulture));
                if (e.UserId is not null) writer.WriteString("user", e.UserId);
                if (e.AnonymousId is not null) writer.WriteString("anon", e.AnonymousId);
                writer.WriteString("subject", record.Event.Subject);
                writer.WriteString("json", Encoding.UTF8.GetString(e.Json.Span));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string Ids(IReadOnlyList<string> ids)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var id in ids) writer.WriteStringValue(id);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads stored records; unreadable ones are returned by id (when they have one) so they can be deleted.</summary>
    public static (List<QueueRecord> Records, List<string> Skipped) ReadAll(string? json)
    {
        var records = new List<QueueRecord>();
        var skipped = new List<string>();
        if (string.IsNullOrEmpty(json)) return (records, skipped);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array) return (records, skipped);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (TryRead(item, out var record)) records.Add(record);
            else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) skipped.Add(id.GetString()!);
        }

        return (records, skipped);
    }

    private static bool TryRead(JsonElement item, out QueueRecord record)
    {
        record = default;
        if (item.ValueKind != JsonValueKind.Object) return false;
        if (Text(item, "id") is not { } idText || !Guid.TryParse(idText, out var id)) return false;
        if (!item.TryGetProperty("order", out var orderElement) || !orderElement.TryGetInt64(out var order)) return false;
        if (Text(item, "name") is not { Length: > 0 } name) return false;
        if (Text(item, "tier") is not { } tierText || !Enum.TryParse<EventTier>(tierText, ignoreCase: false, out var tier) || !Enum.IsDefined(tier)) return false;
        if (Text(item, "ts") is not { } tsText || !DateTimeOffset.TryParse(tsText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var timestamp)) return false;
        if (Text(item, "subject") is not { } subject) return false;
        if (Text(item, "json") is not { Length: > 0 } payload) return false;
        var outgoing = new OutgoingEvent(id, name, tier, timestamp, Text(item, "user"), Text(item, "anon"), Encoding.UTF8.GetBytes(payload));
        record = new QueueRecord(order, new QueuedEvent(outgoing, subject));
        return true;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
